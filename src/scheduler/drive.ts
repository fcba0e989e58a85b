import { mkdirSync } from 'node:fs';
import type { PlannedTask } from '../config/types.js';
import { pendingItems } from '../task/inspect.js';
import { type PreparedTask, prepareTask } from '../task/prepare.js';
import { type RunTaskOptions, runTask, type TaskResult } from '../task/run.js';
import { deviceName, type StartedServer, serverAnswers, startTaskServer } from '../task/server.js';
import type { Schedule, ServerGroup } from './plan.js';

/** What happened to one task of the schedule. */
export interface ScheduledOutcome {
  task: PlannedTask;
  result?: TaskResult;
  /** The error that failed the task (its server did not start, its inputs were bad, ...). */
  error?: unknown;
  /** Not run: the run was interrupted before its turn. */
  notRun?: boolean;
}

export interface DriveOptions
  extends Pick<
    RunTaskOptions,
    'retryErrors' | 'concurrency' | 'log' | 'signal' | 'sampler' | 'readyTimeoutMs' | 'loadExecutor' | 'cache'
  > {
  /** A progress sink per task (the CLI draws one bar per task). */
  progress?: (task: PlannedTask) => NonNullable<RunTaskOptions['progress']>;
  /** Called as each task ends, in completion order. */
  onTaskDone?: (o: ScheduledOutcome) => void;
  /** Folder for servers' logs when a group's tasks share one; default the first task's run folder. */
  serverLogDir?: (group: ServerGroup) => string;
}

/**
 * Runs a schedule: GPU rounds one after another (every group of a round at once, each on its pinned
 * GPU) and, beside them, the CPU pool's groups one after another. A group's server is started once for
 * all its tasks (skipped when every task is already finished), started again when it stopped answering
 * between two tasks, and always stopped, also on errors and interrupts. A task that fails is reported;
 * the others go on. Results come back in the config's order.
 */
export async function runSchedule(schedule: Schedule, opts: DriveOptions = {}): Promise<ScheduledOutcome[]> {
  const outcomes = new Map<PlannedTask, ScheduledOutcome>();
  const record = (o: ScheduledOutcome) => {
    outcomes.set(o.task, o);
    opts.onTaskDone?.(o);
  };
  const gpuLane = (async () => {
    for (const round of schedule.rounds) {
      if (opts.signal?.aborted) break;
      opts.log?.(
        `round ${round.index + 1}/${schedule.rounds.length}: ${round.groups.map((g) => `${deviceName(g.device)} ← ${g.tasks.length} task(s)`).join('; ')}`,
      );
      await Promise.all(round.groups.map((g) => runGroup(g, opts, record)));
    }
  })();
  const cpuLane = (async () => {
    for (const g of schedule.cpu) {
      if (opts.signal?.aborted) break;
      await runGroup(g, opts, record);
    }
  })();
  await Promise.all([gpuLane, cpuLane]);
  const all = [...schedule.rounds.flatMap((r) => r.groups), ...schedule.cpu].flatMap((g) => g.tasks);
  return all.sort((a, b) => a.index - b.index).map((t) => outcomes.get(t) ?? { task: t, notRun: true });
}

async function runGroup(
  group: ServerGroup,
  opts: DriveOptions,
  record: (o: ScheduledOutcome) => void,
): Promise<void> {
  // Prepare every task first: bad inputs fail their task before a model is loaded for it.
  const prepared: { task: PlannedTask; p?: PreparedTask; pending: number }[] = [];
  for (const task of group.tasks) {
    try {
      const p = await prepareTask(task);
      prepared.push({ task, p, pending: await pendingItems(p, opts) });
    } catch (error) {
      record({ task, error });
      prepared.push({ task, pending: 0 });
    }
  }
  let server: StartedServer | undefined;
  let uses = 0;
  try {
    for (const { task, p, pending } of prepared) {
      if (!p) continue;
      if (opts.signal?.aborted) {
        record({ task, notRun: true });
        continue;
      }
      try {
        if (server && pending > 0 && !(await serverAnswers(server))) {
          // Died since its last task (out of memory, killed): start a new one rather than fail the rest.
          const tail = server.server.tail(5).trim();
          opts.log?.(
            `${task.framework} · ${task.model} on ${deviceName(group.device)} no longer answers ${server.spec.healthPath}; restarting it${tail ? `. Its log ends:\n${tail}` : ''}`,
          );
          await server.server.stop().catch(() => {});
          server = undefined;
          uses = 0;
        }
        if (group.startsServer && pending > 0 && !server) {
          const logDir = opts.serverLogDir?.(group) ?? p.runDir;
          mkdirSync(logDir, { recursive: true });
          server = await startTaskServer(task, {
            device: group.device,
            logDir,
            ...(opts.signal ? { signal: opts.signal } : {}),
            ...(opts.log ? { log: opts.log } : {}),
            ...(opts.readyTimeoutMs !== undefined ? { readyTimeoutMs: opts.readyTimeoutMs } : {}),
            ...(opts.loadExecutor ? { loadExecutor: opts.loadExecutor } : {}),
            datasetDirs: group.tasks.map((t) => t.datasetDir),
          });
        }
        opts.log?.(`task ${task.index + 1}: ${task.dataset} · ${task.framework} · ${task.model}`);
        const result = await runTask(task, {
          prepared: p,
          device: group.device,
          ...(server && pending > 0 ? { server, serverReused: uses > 0 } : {}),
          ...(opts.retryErrors ? { retryErrors: true } : {}),
          ...(opts.cache !== undefined ? { cache: opts.cache } : {}),
          ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
          ...(opts.log ? { log: opts.log } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.progress ? { progress: opts.progress(task) } : {}),
          ...(opts.sampler ? { sampler: opts.sampler } : {}),
        });
        if (server && pending > 0) uses++;
        record({ task, result });
      } catch (error) {
        record({ task, error });
        // A server that failed to start fails every task of the group the same way.
        if (group.startsServer && !server) {
          for (const rest of prepared.slice(prepared.findIndex((x) => x.task === task) + 1)) {
            if (rest.p && rest.pending > 0) {
              record({ task: rest.task, error });
              rest.p = undefined;
            }
          }
        }
      }
    }
  } finally {
    if (server) {
      await server.server.stop();
      opts.log?.(
        `stopped ${group.tasks[0]?.framework} · ${group.tasks[0]?.model} on ${deviceName(group.device)}`,
      );
    }
  }
}
