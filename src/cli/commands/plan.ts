import type { PlannedTask } from '../../config/types.js';
import { getFrameworkAdapter } from '../../engines/frameworks/registry.js';
import { formatCommand } from '../../engines/frameworks/shell.js';
import type { Device } from '../../executors/types.js';
import { planSchedule, type Schedule, type ServerGroup } from '../../scheduler/plan.js';
import { deviceName, serverSpec } from '../../task/server.js';
import { EXIT } from '../errors.js';
import { devicesFor, planTasks, type RunFlags } from './run.js';

export type PlanFlags = Pick<RunFlags, 'gpus' | 'executor' | 'json' | 'dataRoot' | 'out'> & RunFlags;

/** `vlmhb plan CONFIG`: the tasks, their devices, the rounds and what will be started; runs nothing. */
export async function planCommand(config: string, f: PlanFlags): Promise<number> {
  const tasks = await planTasks(config, f);
  if (tasks.some((t) => t.executor === 'slurm')) {
    // Whole tasks as batch jobs: what would be submitted (src/slurm/plan.ts), not a local schedule.
    const { slurmJobPlan, slurmPlanText } = await import('../../slurm/plan.js');
    const jobs = slurmJobPlan(tasks);
    if (f.json) process.stdout.write(`${JSON.stringify({ slurm: jobs }, null, 2)}\n`);
    else process.stdout.write(slurmPlanText(jobs));
    return EXIT.ok;
  }
  const schedule = planSchedule(tasks, await devicesFor(tasks, f.gpus));
  if (f.json) process.stdout.write(`${JSON.stringify(planJson(schedule), null, 2)}\n`);
  else process.stdout.write(planText(schedule));
  return EXIT.ok;
}

function deviceJson(d: Device) {
  return d.kind === 'gpu'
    ? {
        kind: 'gpu',
        index: d.index,
        uuid: d.uuid ?? null,
        name: d.name ?? null,
        memory_total_mb: d.memoryTotalMb ?? null,
      }
    : { kind: 'cpu' };
}

/** Executors that run the server from an image; for the others an image would be a false promise. */
const RUNS_IMAGES = new Set(['docker', 'apptainer']);

/** The command a group's server is started with, shown with the adapter's default port (nothing runs). */
function startCommand(
  g: ServerGroup,
): { command: string; image: string | null; mounts: { host: string; container: string }[] } | null {
  const first = g.tasks[0] as PlannedTask;
  if (!g.startsServer) return null;
  const port = getFrameworkAdapter(first.framework)?.defaultPort ?? 8000;
  const spec = serverSpec(
    first,
    port,
    g.tasks.map((t) => t.datasetDir),
  );
  return {
    command: formatCommand(spec.launch.argv, spec.launch.env),
    image: RUNS_IMAGES.has(g.executor) ? (spec.image ?? null) : null,
    mounts: (spec.mounts ?? []).map((m) => ({ host: m.host, container: m.container })),
  };
}

function groupJson(g: ServerGroup) {
  const start = startCommand(g);
  return {
    device: deviceJson(g.device),
    executor: g.executor,
    starts_server: g.startsServer,
    ...(start ? start : {}),
    tasks: g.tasks.map((t) => ({
      index: t.index,
      dataset: t.dataset,
      framework: t.framework,
      model: t.model,
      prompt_collection: t.promptCollectionFile ?? null,
      // The whole planned task: what `vlmhb task run FILE` reads.
      planned: t,
    })),
  };
}

export function planJson(s: Schedule) {
  return {
    devices: s.gpus.map(deviceJson),
    rounds: s.rounds.map((r) => ({ index: r.index, groups: r.groups.map(groupJson) })),
    cpu: s.cpu.map(groupJson),
  };
}

function groupText(g: ServerGroup, indent: string): string[] {
  const first = g.tasks[0] as PlannedTask;
  const start = startCommand(g);
  const lines = [
    `${indent}${deviceName(g.device)}: ${start ? `start ${first.framework} · ${first.model} (executor ${g.executor}${start.image ? `, image ${start.image}` : ''})` : g.executor === 'external' && first.baseUrl ? `server at ${first.baseUrl} (external)` : 'in-process engine'}`,
  ];
  if (start) lines.push(`${indent}  $ ${start.command}`);
  if (start && start.mounts.length > 0)
    lines.push(`${indent}  mounts (read-only): ${start.mounts.map((m) => m.host).join(', ')}`);
  for (const t of g.tasks)
    lines.push(
      `${indent}  task ${t.index + 1}: ${t.dataset} · ${t.framework} · ${t.model} · ${t.promptCollectionFile?.split(/[\\/]/).pop() ?? '(dataset questions)'}${sweptSettings(t)}`,
    );
  return lines;
}

/** Settings a sweep may vary beside model and prompts, so expanded tasks read apart in the text plan. */
function sweptSettings(t: PlannedTask): string {
  const parts: string[] = [];
  if (t.systemPromptFile) parts.push(`system ${t.systemPromptFile.split(/[\\/]/).pop()}`);
  if (t.longSide !== undefined) parts.push(`long side ${t.longSide}`);
  if (t.longSideByDocClass) {
    const each = Object.entries(t.longSideByDocClass).map(([k, v]) => `${k} ${v}`);
    parts.push(`long side by type ${each.join(', ')}`);
  }
  if (t.maxPixels !== undefined) parts.push(`max pixels ${t.maxPixels}`);
  if (t.mode !== undefined) parts.push(`mode ${t.mode}`);
  return parts.map((p) => ` · ${p}`).join('');
}

export function planText(s: Schedule): string {
  const lines = [
    `Devices: ${s.gpus.length > 0 ? s.gpus.map((d) => `${deviceName(d)}${d.memoryTotalMb ? ` ${d.memoryTotalMb} MiB` : ''}`).join(', ') : 'no GPUs'}; CPU pool`,
  ];
  for (const r of s.rounds) {
    lines.push('', `Round ${r.index + 1} of ${s.rounds.length} (one task per GPU at a time):`);
    for (const g of r.groups) lines.push(...groupText(g, '  '));
  }
  if (s.cpu.length > 0) {
    lines.push('', 'CPU pool (beside the rounds, one after another):');
    for (const g of s.cpu) lines.push(...groupText(g, '  '));
  }
  return `${lines.join('\n')}\n`;
}
