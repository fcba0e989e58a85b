import type { PlannedTask } from '../config/types.js';
import { VlmhbError } from '../errors.js';
import type { Device } from '../executors/types.js';
import { executorOf, needsGpu, serverKey, startsServer } from '../task/server.js';

/** Consecutive tasks with identical server settings: one server (started once, when any is started) asks them all. */
export interface ServerGroup {
  key: string;
  executor: string;
  /** Whether this tool starts a server for the group (not for `external` or the in-process engine). */
  startsServer: boolean;
  device: Device;
  tasks: PlannedTask[];
}

/** GPU groups that run at the same time, one per GPU. */
export interface Round {
  index: number;
  groups: ServerGroup[];
}

export interface Schedule {
  gpus: Extract<Device, { kind: 'gpu' }>[];
  /** GPU work in rounds: a GPU runs one group at a time, pinned and shared with no other task. */
  rounds: Round[];
  /** Tasks that need no GPU (the embedded engine, hosted APIs, external servers), one after another beside the rounds. */
  cpu: ServerGroup[];
}

/**
 * The pure plan: tasks grouped by server settings (consecutive only, so the config's order is the run's
 * order), GPU groups dealt to the GPUs in rounds (6 groups on 3 GPUs = 2 rounds), the rest in the CPU pool.
 */
export function planSchedule(
  tasks: readonly PlannedTask[],
  gpus: readonly Extract<Device, { kind: 'gpu' }>[],
): Schedule {
  const groups: { key: string; gpu: boolean; tasks: PlannedTask[] }[] = [];
  for (const t of tasks) {
    const key = serverKey(t);
    const last = groups.at(-1);
    if (last && last.key === key) last.tasks.push(t);
    else groups.push({ key, gpu: needsGpu(t), tasks: [t] });
  }
  const gpuGroups = groups.filter((g) => g.gpu);
  if (gpuGroups.length > 0 && gpus.length === 0) {
    const t = gpuGroups[0]?.tasks[0] as PlannedTask;
    throw new VlmhbError(
      'VLMHB_USAGE',
      `task ${t.index + 1} (${t.framework} · ${t.model}, executor ${executorOf(t)}) needs a GPU and none was found ` +
        '(nvidia-smi lists none); give --gpus, or run against an already started server with --executor external',
    );
  }
  const rounds: Round[] = [];
  gpuGroups.forEach((g, i) => {
    const r = Math.floor(i / gpus.length);
    const round = rounds[r] ?? { index: r, groups: [] };
    rounds[r] = round;
    const device = gpus[i % gpus.length] as Extract<Device, { kind: 'gpu' }>;
    round.groups.push(group(g, device));
  });
  const cpu = groups.filter((g) => !g.gpu).map((g) => group(g, { kind: 'cpu' }));
  return { gpus: [...gpus], rounds, cpu };
}

function group(g: { key: string; tasks: PlannedTask[] }, device: Device): ServerGroup {
  const first = g.tasks[0] as PlannedTask;
  return {
    key: g.key,
    executor: executorOf(first),
    startsServer: startsServer(first),
    device,
    tasks: g.tasks,
  };
}
