/**
 * Slurm job states as the coordinator sees them, parsed from squeue, sacct and scontrol output (pure, tested
 * on recorded outputs). Accounting (sacct) is optional on a cluster; squeue and `scontrol show job` know a
 * finished job until the controller forgets it (MinJobAge), so each source is parsed and the freshest wins.
 */

export type JobState =
  | 'PENDING'
  | 'RUNNING'
  | 'COMPLETING'
  | 'COMPLETED'
  | 'FAILED'
  | 'TIMEOUT'
  | 'PREEMPTED'
  | 'NODE_FAIL'
  | 'CANCELLED'
  | 'BOOT_FAIL'
  | 'OUT_OF_MEMORY'
  | 'DEADLINE'
  | 'SUSPENDED'
  | 'REQUEUED'
  | 'UNKNOWN';

export interface JobInfo {
  /** `123` for a plain job, `123_4` for element 4 of array job 123. */
  jobId: string;
  state: JobState;
  /** squeue's reason (e.g. Resources, Priority), or '' */
  reason: string;
  /** `code:signal` as Slurm prints it, when known. */
  exitCode?: string;
  /** Node(s) the job runs or ran on. */
  nodes?: string;
}

const KNOWN = new Set<string>([
  'PENDING',
  'RUNNING',
  'COMPLETING',
  'COMPLETED',
  'FAILED',
  'TIMEOUT',
  'PREEMPTED',
  'NODE_FAIL',
  'CANCELLED',
  'BOOT_FAIL',
  'OUT_OF_MEMORY',
  'DEADLINE',
  'SUSPENDED',
  'REQUEUED',
]);

/** States Slurm may still change on its own: keep waiting. */
const ACTIVE_STATES = new Set<string>([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'REQUEUED',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
  'STOPPED',
]);

/** "CANCELLED by 0" → CANCELLED; CD → COMPLETED; states we do not model keep their activity class. */
export function normalizeState(raw: string): JobState {
  const word = (raw.trim().split(/\s+/)[0] ?? '').replace(/\+$/, '').toUpperCase();
  const short: Record<string, JobState> = {
    PD: 'PENDING',
    R: 'RUNNING',
    CG: 'COMPLETING',
    CD: 'COMPLETED',
    F: 'FAILED',
    TO: 'TIMEOUT',
    PR: 'PREEMPTED',
    NF: 'NODE_FAIL',
    CA: 'CANCELLED',
    BF: 'BOOT_FAIL',
    OOM: 'OUT_OF_MEMORY',
    DL: 'DEADLINE',
    S: 'SUSPENDED',
    RQ: 'REQUEUED',
  };
  if (short[word]) return short[word];
  if (KNOWN.has(word)) return word as JobState;
  if (ACTIVE_STATES.has(word)) return word === 'CONFIGURING' ? 'PENDING' : 'RUNNING';
  return 'UNKNOWN';
}

export type StateClass = 'active' | 'done' | 'retry' | 'unknown';

/**
 * What the coordinator does next. `retry`: the task did not finish for a reason outside it (preempted, node
 * failure, time limit, cancelled by someone else, a failed run) — resubmitted once, it resumes from its log.
 */
export function classify(state: JobState): StateClass {
  switch (state) {
    case 'PENDING':
    case 'RUNNING':
    case 'COMPLETING':
    case 'SUSPENDED':
    case 'REQUEUED':
      return 'active';
    case 'COMPLETED':
      return 'done';
    case 'UNKNOWN':
      return 'unknown';
    default:
      return 'retry';
  }
}

/** `squeue -h -t all -r -o '%i|%T|%r|%N'`. */
export const SQUEUE_FORMAT = '%i|%T|%r|%N';

export function parseSqueue(out: string): JobInfo[] {
  const jobs: JobInfo[] = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const [id, state, reason, nodes] = line.split('|');
    if (!id || state === undefined) continue;
    jobs.push({
      jobId: id.trim(),
      state: normalizeState(state),
      reason: reason?.trim() === 'None' ? '' : (reason?.trim() ?? ''),
      ...(nodes?.trim() ? { nodes: nodes.trim() } : {}),
    });
  }
  return jobs;
}

/** `sacct -X -n -P -o JobID,State,ExitCode,NodeList` (one line per job allocation, `|`-separated). */
export const SACCT_FIELDS = 'JobID,State,ExitCode,NodeList';

export function parseSacct(out: string): JobInfo[] {
  const jobs: JobInfo[] = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const [id, state, exitCode, nodes] = line.split('|');
    // Steps (123.batch, 123.0) describe parts of a job; -X should leave none, but a cluster may differ.
    if (!id || state === undefined || id.includes('.')) continue;
    jobs.push({
      jobId: id.trim(),
      state: normalizeState(state),
      reason: '',
      ...(exitCode?.trim() ? { exitCode: exitCode.trim() } : {}),
      ...(nodes?.trim() && nodes.trim() !== 'None assigned' ? { nodes: nodes.trim() } : {}),
    });
  }
  return jobs;
}

/**
 * `scontrol show job -o [ID]`: one line per job of `Key=Value` pairs. Array elements carry ArrayJobId and
 * ArrayTaskId; their JobId is an internal number, so the id is rebuilt as `ArrayJobId_ArrayTaskId`.
 */
export function parseScontrolJobs(out: string): JobInfo[] {
  const jobs: JobInfo[] = [];
  for (const line of out.split('\n')) {
    const get = (key: string) => new RegExp(`(?:^|\\s)${key}=(\\S*)`).exec(line)?.[1];
    const id = get('JobId');
    const state = get('JobState');
    if (!id || !state) continue;
    const arrayJob = get('ArrayJobId');
    const arrayTask = get('ArrayTaskId');
    const reason = get('Reason') ?? '';
    const nodes = get('NodeList');
    const exitCode = get('ExitCode');
    jobs.push({
      jobId: arrayJob && arrayTask && /^\d+$/.test(arrayTask) ? `${arrayJob}_${arrayTask}` : id,
      state: normalizeState(state),
      reason: reason === 'None' ? '' : reason,
      ...(exitCode ? { exitCode } : {}),
      ...(nodes && nodes !== '(null)' ? { nodes } : {}),
    });
  }
  return jobs;
}

/** `sbatch --parsable` prints `jobid` or `jobid;cluster`. */
export function parseSbatch(out: string): string {
  const first = out.trim().split('\n').pop()?.trim() ?? '';
  const id = first.split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: ${JSON.stringify(out.trim())}`);
  return id;
}
