import { VlmhbError } from '../errors.js';
import type { Executor } from './types.js';

/**
 * `slurm`: a whole task becomes a batch job (src/slurm/): the job runs `vlmhb task run` on a node, which
 * starts the server there with the task's `slurm.executor` (local or apptainer). Registered so configs may
 * say `executor: slurm`; `vlmhb run` and `vlmhb slurm submit` hand such tasks to the Slurm coordinator
 * before any server would be started, so a server-level start reaching this executor is a usage error
 * (e.g. a task file whose executor was left at slurm), reported as such instead of starting a job whose
 * server this process could not reach.
 */
export const slurmExecutor: Executor = {
  id: 'slurm',
  supportsGpu: false,
  async start() {
    throw new VlmhbError(
      'VLMHB_USAGE',
      'executor slurm runs whole tasks as batch jobs (vlmhb run CONFIG --executor slurm, or vlmhb slurm submit); inside a job the server is started by slurm.executor (local, apptainer or external)',
    );
  },
};
