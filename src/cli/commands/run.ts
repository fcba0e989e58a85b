import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, planSingleTask } from '../../config/load.js';
import { timestamp } from '../../config/names.js';
import type { PlannedTask } from '../../config/types.js';
import { VlmhbError } from '../../errors.js';
import type { NormalizationSettings } from '../../metrics/aggregate.js';
import { markdownGroups, markdownSummary, mdCell } from '../../report/markdown.js';
import { summaryRow } from '../../report/save.js';
import { stderrProgress } from '../../runner/progress.js';
import { runTask, type TaskResult } from '../../task/run.js';
import { EXIT, exitCodeFor, reportError } from '../errors.js';

export interface RunFlags {
  dataset?: string;
  framework?: string;
  model?: string;
  prompts?: string;
  systemPrompt?: string;
  out?: string;
  dataRoot?: string;
  metrics?: string[];
  baseUrl?: string;
  apiKeyEnv?: string;
  concurrency?: number;
  longSide?: number;
  maxPixels?: number;
  normalize?: NormalizationSettings;
  mode?: 'field' | 'document';
  retryErrors?: boolean;
  json?: boolean;
}

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

async function plan(config: string | undefined, f: RunFlags): Promise<PlannedTask[]> {
  if (config && f.dataset) {
    throw new VlmhbError('VLMHB_USAGE', 'give either a config file or --dataset/--framework, not both');
  }
  if (config) return loadConfig(config, f.dataRoot ? { dataRoot: f.dataRoot } : {});
  if (!f.dataset || !f.framework) {
    throw new VlmhbError('VLMHB_USAGE', 'give a config file, or --dataset DIR and --framework NAME');
  }
  return [
    planSingleTask({
      dataset: f.dataset,
      framework: f.framework,
      ...(f.model ? { model: f.model } : {}),
      ...(f.prompts ? { prompts: f.prompts } : {}),
      ...(f.systemPrompt ? { systemPrompt: f.systemPrompt } : {}),
      ...(f.out ? { out: f.out } : {}),
      ...(f.metrics ? { metrics: f.metrics } : {}),
      ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
      ...(f.apiKeyEnv ? { apiKeyEnv: f.apiKeyEnv } : {}),
      ...(f.concurrency !== undefined ? { concurrency: f.concurrency } : {}),
      ...(f.longSide !== undefined ? { longSide: f.longSide } : {}),
      ...(f.mode ? { mode: f.mode } : {}),
      ...(f.maxPixels !== undefined ? { maxPixels: f.maxPixels } : {}),
      ...(f.normalize ? { normalization: f.normalize } : {}),
    }),
  ];
}

/** Runs the tasks one after another; a failed task is reported and the rest still run. */
export async function runCommand(config: string | undefined, f: RunFlags): Promise<number> {
  const tasks = await plan(config, f);
  const ac = new AbortController();
  let sigints = 0;
  const onSigint = () => {
    sigints++;
    if (sigints > 1) process.exit(EXIT.interrupted);
    log('interrupted: finishing requests in flight; answers so far are saved (Ctrl-C again to quit now)');
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  const results: TaskResult[] = [];
  let failed = 0;
  try {
    for (const task of tasks) {
      if (ac.signal.aborted) break;
      log(`task ${task.index + 1}/${tasks.length}: ${task.dataset} · ${task.framework} · ${task.model}`);
      try {
        const r = await runTask(task, {
          progress: stderrProgress(),
          log,
          signal: ac.signal,
          ...(f.retryErrors ? { retryErrors: true } : {}),
          ...(f.concurrency !== undefined ? { concurrency: f.concurrency } : {}),
        });
        results.push(r);
        log(`answers: ${r.answersLogFile}`);
        log(`metrics: ${r.saved.json[1] ?? r.saved.json[0]}`);
      } catch (e) {
        failed++;
        reportError(e);
        if (tasks.length === 1) return exitCodeFor(e);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }

  const rows = results.map((r) => summaryRow(r.task, r.metrics, r.speed));
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
  const md = markdownSummary(rows) + details.join('');
  const first = tasks[0];
  if (first && results.length > 0) {
    const dir = f.out ?? first.reportsDir;
    mkdirSync(dir, { recursive: true });
    const stamp = timestamp(new Date());
    writeFileSync(join(dir, `summary_${stamp}.md`), md);
    writeFileSync(join(dir, `summary_${stamp}.json`), `${JSON.stringify(jsonOut(results), null, 2)}\n`);
  }
  if (f.json) process.stdout.write(`${JSON.stringify(jsonOut(results), null, 2)}\n`);
  else process.stdout.write(md);
  if (ac.signal.aborted) return EXIT.interrupted;
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

function jsonOut(results: TaskResult[]) {
  return {
    tasks: results.map((r) => ({
      dataset: r.task.dataset,
      framework: r.task.framework,
      model: r.task.model,
      prompt_collection: r.task.promptCollectionFile ?? null,
      mode: r.task.mode ?? 'field',
      system_prompt: r.task.systemPromptFile ?? null,
      run_dir: r.runDir,
      asked: r.asked,
      resumed: r.resumed,
      overall: r.metrics.groups.overall,
      speed: r.speed,
    })),
  };
}
