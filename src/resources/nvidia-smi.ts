import { execa } from 'execa';

/**
 * nvidia-smi's CSV queries (`--format=csv,noheader,nounits`): one line per GPU or process, values
 * separated by ", ", memory in MiB. Parsing is pure and tested on recorded outputs; running it is one
 * argv call with a short timeout, so a wedged driver cannot hold up a task.
 */

export interface GpuInfo {
  index: number;
  uuid: string;
  name: string;
  memoryTotalMb: number;
}

export interface GpuMemory {
  index: number;
  usedMb: number;
}

export interface ComputeApp {
  pid: number;
  usedMb: number;
}

function rows(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(',').map((c) => c.trim()));
}

/** A number cell; nvidia-smi writes `[N/A]` or `[Not Supported]` where it has none. */
function num(cell: string | undefined): number | undefined {
  if (cell === undefined || cell === '' || cell.startsWith('[')) return undefined;
  const n = Number(cell);
  return Number.isFinite(n) ? n : undefined;
}

/** `--query-gpu=index,uuid,name,memory.total`. */
export function parseGpuList(text: string): GpuInfo[] {
  return rows(text).flatMap((r) => {
    const index = num(r[0]);
    if (index === undefined || r.length < 4) return [];
    // A GPU name may contain commas only in theory; keep everything between uuid and the last cell.
    const name = r.slice(2, -1).join(', ');
    return [{ index, uuid: r[1] ?? '', name, memoryTotalMb: num(r.at(-1)) ?? 0 }];
  });
}

/** `--query-gpu=index,memory.used`. */
export function parseGpuMemory(text: string): GpuMemory[] {
  return rows(text).flatMap((r) => {
    const index = num(r[0]);
    const usedMb = num(r[1]);
    return index === undefined || usedMb === undefined ? [] : [{ index, usedMb }];
  });
}

/** `--query-compute-apps=pid,used_memory`; "No running processes found" and similar lines are skipped. */
export function parseComputeApps(text: string): ComputeApp[] {
  return rows(text).flatMap((r) => {
    const pid = num(r[0]);
    const usedMb = num(r[1]);
    return pid === undefined || usedMb === undefined ? [] : [{ pid, usedMb }];
  });
}

export const QUERY_GPUS = ['--query-gpu=index,uuid,name,memory.total', '--format=csv,noheader,nounits'];
export const QUERY_MEMORY = ['--query-gpu=index,memory.used', '--format=csv,noheader,nounits'];
export const QUERY_APPS = ['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits'];

/** Runs `nvidia-smi ARGS`; undefined when it is not installed or fails (no GPU here). */
export async function nvidiaSmi(args: readonly string[], timeoutMs = 5_000): Promise<string | undefined> {
  try {
    const r = await execa('nvidia-smi', args, { timeout: timeoutMs, reject: false, stdin: 'ignore' });
    return r.exitCode === 0 ? String(r.stdout) : undefined;
  } catch {
    return undefined;
  }
}
