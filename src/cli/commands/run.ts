import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnswerCache } from '../../cache/store.js';
import { loadConfig, planSingleTask } from '../../config/load.js';
import { timestamp } from '../../config/names.js';
import type { PlannedTask } from '../../config/types.js';
import { VlmhbError } from '../../errors.js';
import { stopAllServers } from '../../executors/cleanup.js';
import { markdownGroups, markdownSummary, mdCell } from '../../report/markdown.js';
import { summaryRow } from '../../report/save.js';
import { stderrProgress } from '../../runner/progress.js';
import { detectDevices } from '../../scheduler/devices.js';
import { runSchedule, type ScheduledOutcome } from '../../scheduler/drive.js';
import { planSchedule } from '../../scheduler/plan.js';
import type { TaskResult } from '../../task/run.js';
import { needsGpu } from '../../task/server.js';
import { EXIT, exitCodeFor, reportError } from '../errors.js';
import { applyOverrides, configOverrides, type TaskFlagValues } from './task-flags.js';

export interface RunFlags extends TaskFlagValues {
  dataset?: string;
  framework?: string;
  dataRoot?: string;
  retryErrors?: boolean;
  /** false with --no-cache. */
  cache?: boolean;
  cacheFile?: string;
  json?: boolean;
  /** GPU indices or UUIDs, e.g. "0,2,5". */
  gpus?: string;
  failOnLimits?: boolean;
  /** Share of items (0..1) that may still be failed after retries without failing the run. @default 0 */
  maxErrorRate?: number;
}

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

/** The planned tasks of a config (flags applied to every task) or of the one task given by flags. */
export async function planTasks(config: string | undefined, f: RunFlags): Promise<PlannedTask[]> {
  if (config && (f.dataset || f.framework)) {
    throw new VlmhbError(
      'VLMHB_USAGE',
      'give either a config file or --dataset/--framework, not both (other flags apply to every task of the config)',
    );
  }
  if (config) {
    const tasks = await loadConfig(config, f.dataRoot ? { dataRoot: f.dataRoot } : {});
    return applyOverrides(tasks, configOverrides(f), f.out);
  }
  if (!f.dataset || !f.framework) {
    throw new VlmhbError('VLMHB_USAGE', 'give a config file, or --dataset DIR and --framework NAME');
  }
  const task = planSingleTask({
    dataset: f.dataset,
    framework: f.framework,
    ...(f.model ? { model: f.model } : {}),
    ...(f.prompts ? { prompts: f.prompts } : {}),
    ...(f.systemPrompt ? { systemPrompt: f.systemPrompt } : {}),
    ...(f.out ? { out: f.out } : {}),
    ...(f.metrics ? { metrics: f.metrics } : {}),
    ...(f.aggregators ? { aggregators: f.aggregators } : {}),
    ...(f.filterDocClass ? { filterDocClass: f.filterDocClass } : {}),
    ...(f.filterQuestionType ? { filterQuestionType: f.filterQuestionType } : {}),
    ...(f.onlyEvaluateMetrics ? { onlyEvaluateMetrics: true } : {}),
    ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
    ...(f.apiKeyEnv ? { apiKeyEnv: f.apiKeyEnv } : {}),
    ...(f.concurrency !== undefined ? { concurrency: f.concurrency } : {}),
    ...(f.longSide !== undefined ? { longSide: f.longSide } : {}),
    ...(f.mode ? { mode: f.mode } : {}),
    ...(f.maxPixels !== undefined ? { maxPixels: f.maxPixels } : {}),
    ...(f.maxTokens !== undefined ? { maxTokens: f.maxTokens } : {}),
    ...(f.normalize ? { normalization: f.normalize } : {}),
    ...(f.dockerImage ? { dockerImage: f.dockerImage } : {}),
  });
  // What planSingleTask does not model comes from the same flag mapping as for a config.
  const rest = configOverrides({
    ...(f.timeout !== undefined ? { timeout: f.timeout } : {}),
    ...(f.maxRetries !== undefined ? { maxRetries: f.maxRetries } : {}),
    ...(f.executor !== undefined ? { executor: f.executor } : {}),
  });
  return [{ ...task, ...rest }];
}

/** GPUs, looked for only when some task needs one or --gpus names them. */
export async function devicesFor(tasks: PlannedTask[], gpus: string | undefined) {
  if (gpus === undefined && !tasks.some(needsGpu)) return [];
  return detectDevices({ gpus });
}

/** Ctrl-C and SIGTERM abort the run (servers are stopped, answers so far saved as partial); a second one quits now. */
export function abortOnSignals(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  let count = 0;
  const on = (name: string) => () => {
    count++;
    // A second signal quits now, but still stops every server an executor started (no container or
    // process may outlive the tool).
    if (count > 1) void stopAllServers().finally(() => process.exit(EXIT.interrupted));
    if (count > 1) return;
    log(
      `${name}: finishing requests in flight and stopping servers; answers so far are saved (again to quit now)`,
    );
    ac.abort();
  };
  const int = on('interrupted');
  const term = on('terminated');
  process.on('SIGINT', int);
  process.on('SIGTERM', term);
  return {
    signal: ac.signal,
    dispose() {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
    },
  };
}

/** Runs the tasks on the planned devices; a failed task is reported and the rest still run. */
export async function runCommand(config: string | undefined, f: RunFlags): Promise<number> {
  const tasks = await planTasks(config, f);
  if (tasks.some((t) => t.executor === 'slurm')) {
    // Whole tasks as batch jobs (src/slurm/): submitted, followed, then reported as below.
    const { runOnSlurm } = await import('./slurm.js');
    return runOnSlurm(tasks, f, config ? tasks[0]?.reportsDir : (f.out ?? tasks[0]?.reportsDir));
  }
  const schedule = planSchedule(tasks, await devicesFor(tasks, f.gpus));
  const signals = abortOnSignals();
  // One cache for every task of the run, so a task reuses what an earlier one (or command) answered.
  const cache = f.cache === false ? false : AnswerCache.open(f.cacheFile);
  let outcomes: ScheduledOutcome[];
  try {
    outcomes = await runSchedule(schedule, {
      cache,
      progress: () => stderrProgress(),
      log,
      signal: signals.signal,
      ...(f.retryErrors ? { retryErrors: true } : {}),
      ...(f.concurrency !== undefined ? { concurrency: f.concurrency } : {}),
      onTaskDone: (o) => {
        if (o.result) {
          log(`answers: ${o.result.answersLogFile}`);
          log(`metrics: ${o.result.saved.json[1] ?? o.result.saved.json[0]}`);
        } else if (o.error !== undefined) reportError(o.error);
      },
    });
  } finally {
    signals.dispose();
    if (cache) cache.close();
  }
  const only = outcomes.length === 1 ? outcomes[0] : undefined;
  if (only?.error !== undefined) return exitCodeFor(only.error);
  return finishRun(outcomes, {
    ...f,
    interrupted: signals.signal.aborted,
    // One task from flags: --out is its run folder and the summary goes there (as before); with a config
    // --out moved every task's Reports/ under it.
    reportsDir: config ? tasks[0]?.reportsDir : (f.out ?? tasks[0]?.reportsDir),
  });
}

/**
 * Prints and saves the summary, then the exit code: 130 when interrupted; 1 when a task failed, when
 * more items are still failed after retries than --max-error-rate allows, or (--fail-on-limits) when a
 * limit failed; else 0. Results are saved either way.
 */
export function finishRun(
  outcomes: ScheduledOutcome[],
  f: Pick<RunFlags, 'json' | 'failOnLimits' | 'maxErrorRate'> & {
    interrupted: boolean;
    reportsDir?: string | undefined;
  },
): number {
  const results = outcomes.flatMap((o) => (o.result ? [o.result] : []));
  const md = summaryMarkdown(results);
  const json = jsonOut(outcomes);
  if (f.reportsDir && results.length > 0) {
    mkdirSync(f.reportsDir, { recursive: true });
    const stamp = timestamp(new Date());
    writeFileSync(join(f.reportsDir, `summary_${stamp}.md`), md);
    writeFileSync(join(f.reportsDir, `summary_${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  }
  if (f.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else process.stdout.write(md);

  if (f.interrupted) return EXIT.interrupted;
  let code: number = EXIT.ok;
  if (outcomes.some((o) => o.error !== undefined)) code = EXIT.failed;
  const allowed = f.maxErrorRate ?? 0;
  for (const r of results) {
    const s = r.outcome.status;
    const rate = s.total > 0 ? s.failed / s.total : 0;
    if (s.failed > 0 && rate > allowed) {
      log(
        `${r.task.dataset} · ${r.task.framework} · ${r.task.model}: ${s.failed} of ${s.total} items still failed after retries (${fmtCodes(s.errors_by_code)}); allowed share ${allowed} (--max-error-rate)`,
      );
      code = EXIT.failed;
    }
    const failed = r.outcome.limits.filter((l) => l.pass === false);
    if (failed.length > 0) {
      log(
        `${r.task.dataset} · ${r.task.framework} · ${r.task.model}: limit failed: ${failed.map((l) => `${l.name} ${l.value} > ${l.limit}`).join(', ')}`,
      );
      if (f.failOnLimits) code = EXIT.failed;
    }
  }
  return code;
}

function fmtCodes(c: Record<string, number>): string {
  return Object.entries(c)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
}

function summaryMarkdown(results: TaskResult[]): string {
  const rows = results.map((r) => summaryRow(r.task, r.metrics, r.speed, r.outcome));
  // The overview first, then what each task's numbers are made of: per document type and, for
  // augmented data, per scan artefact. Per-field tables stay in each run folder's summary.md.
  const details = results.map((r) => {
    const g = r.metrics.groups;
    const parts = [
      `\n### ${mdCell(r.task.dataset)} · ${mdCell(r.task.framework)} · ${mdCell(r.task.model)}\n\n`,
    ];
    if (g.by_doc_type)
      parts.push(markdownGroups('Document type', g.by_doc_type, r.metrics.loose?.by_doc_type));
    if (g.by_split && Object.keys(g.by_split).length > 1)
      parts.push(`\n${markdownGroups('Split', g.by_split)}`);
    parts.push(`\nDetails: ${r.saved.markdown}\n`);
    return parts.join('');
  });
  return markdownSummary(rows) + details.join('');
}

function jsonOut(outcomes: ScheduledOutcome[]) {
  return {
    tasks: outcomes.map((o) => {
      const t = o.task;
      const base = {
        dataset: t.dataset,
        framework: t.framework,
        model: t.model,
        prompt_collection: t.promptCollectionFile ?? null,
        mode: t.mode ?? 'field',
        system_prompt: t.systemPromptFile ?? null,
      };
      const r = o.result;
      if (!r) {
        return {
          ...base,
          error: o.error === undefined ? null : o.error instanceof Error ? o.error.message : String(o.error),
          not_run: o.notRun === true,
        };
      }
      return {
        ...base,
        run_dir: r.runDir,
        asked: r.asked,
        resumed: r.resumed,
        changed: r.changed,
        skipped: r.skipped,
        overall: r.metrics.groups.overall,
        overall_with_errors: r.outcome.overall_with_errors ?? null,
        speed: r.speed,
        status: r.outcome.status,
        timing: r.outcome.timing,
        resources: r.outcome.resources,
        cost: r.outcome.cost,
        limits: r.outcome.limits,
        run: r.outcome.run,
      };
    }),
  };
}
