import { z } from 'zod';

/**
 * The YAML `slurm:` block (per task, or in `defaults`): how a task's batch job asks Slurm for resources.
 * Each value becomes one `sbatch` argument passed as argv (never through a shell); values are checked here
 * so a typo fails at plan time with the config key, not in the queue an hour later.
 */
const noControl = (what: string) =>
  z
    .string()
    .min(1)
    .refine((s) => !/[\0-\x1f\x7f]/.test(s), `${what} must not contain control characters or newlines`);

export const SlurmOptionsSchema = z
  .object({
    partition: noControl('partition').optional().describe('sbatch --partition: the queue to submit to.'),
    account: noControl('account').optional().describe('sbatch --account: the account charged for the job.'),
    qos: noControl('qos').optional().describe('sbatch --qos: quality of service.'),
    time: noControl('time')
      .regex(
        /^(\d+-)?\d+(:\d+){0,2}$|^(INFINITE|UNLIMITED)$/i,
        'time must be minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS',
      )
      .optional()
      .describe(
        'sbatch --time: wall-clock limit of one job (its tasks together when they share a server), e.g. "02:00:00" or "1-00:00:00".',
      ),
    gres: noControl('gres')
      .optional()
      .describe('sbatch --gres, e.g. "gpu:1" or "gpu:a6000:1". Absent = no generic resource asked.'),
    gpus: z
      .union([z.number().int().positive(), noControl('gpus')])
      .optional()
      .describe('sbatch --gpus, e.g. 1 or "a6000:1" (clusters with GPU scheduling by --gpus).'),
    cpus_per_task: z.number().int().positive().optional().describe('sbatch --cpus-per-task.'),
    mem: noControl('mem')
      .regex(/^\d+[KMGT]?$/i, 'mem must be a number with an optional K, M, G or T suffix')
      .optional()
      .describe('sbatch --mem: memory per node, e.g. "64G".'),
    job_name: noControl('job_name').optional().describe('sbatch --job-name. @default "vlmhb"'),
    extra: z
      .array(
        noControl('extra option')
          .regex(/^-/, 'each extra option must start with "-"')
          .refine(
            (o) => !/^--requeue(=|$)/.test(o),
            '--requeue is not allowed: vlmhb itself resubmits a task whose job did not finish (max_requeues), and Slurm restarting the job too would hide its end state',
          ),
      )
      .optional()
      .describe('More sbatch options, one argument each, e.g. ["--constraint=a6000", "--exclusive"].'),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits, _'),
        z.string(),
      )
      .optional()
      .describe('Environment variables exported in the job script before the tool starts (quoted).'),
    executor: z
      .string()
      .optional()
      .describe(
        "Who starts the model server inside the job, on the node: 'local' (a child process), 'apptainer' (a container), or 'external' (ask the task's base_url; the embedded tesseract engine runs in the job itself). @default \"external\"",
      ),
    share_server: z
      .boolean()
      .optional()
      .describe(
        'Run consecutive tasks whose servers are interchangeable (same framework, model, image, launch settings) in one job that starts the server once, as `vlmhb run` does locally; false = each task a job of its own (tasks spread over more GPUs, each loading the model). @default true',
      ),
    array: z
      .boolean()
      .optional()
      .describe('Submit tasks with identical Slurm settings as one job array. @default true'),
    max_requeues: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'How often a task whose job failed, timed out, was preempted or cancelled by someone else is resubmitted (it resumes from its answers log). @default 1',
      ),
  })
  .strict()
  .describe('Slurm batch settings for tasks run with executor slurm.');

export type SlurmOptions = z.output<typeof SlurmOptionsSchema>;
