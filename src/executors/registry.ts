import { VlmhbError } from '../errors.js';
import type { Executor } from './types.js';

/**
 * Executors by config id (`--executor NAME`, `executor:` in YAML). Each loads lazily so a run against an
 * already-running server never loads a container client. Adding one = one file + one line here.
 */
const loaders = {
  external: async () => (await import('./external.js')).externalExecutor,
  local: async () => (await import('./local.js')).localExecutor,
  docker: async () => (await import('./docker.js')).dockerExecutor,
  apptainer: async () => (await import('./apptainer.js')).apptainerExecutor,
  slurm: async () => (await import('./slurm.js')).slurmExecutor,
} as const satisfies Record<string, () => Promise<Executor>>;

export type ExecutorId = keyof typeof loaders;

export const EXECUTOR_IDS = Object.keys(loaders) as ExecutorId[];

export function isExecutorId(id: string): id is ExecutorId {
  return Object.hasOwn(loaders, id);
}

export async function loadExecutor(id: string): Promise<Executor> {
  if (!isExecutorId(id))
    throw new VlmhbError('VLMHB_USAGE', `unknown executor "${id}"; known: ${EXECUTOR_IDS.join(', ')}`);
  return loaders[id]();
}
