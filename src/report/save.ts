import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { validityMarkdown } from '../check/markdown.js';
import type { ValidityReport } from '../check/validity.js';
import { originalPrefix, timestamp } from '../config/names.js';
import type { PlannedTask } from '../config/types.js';
import type { ServerInfo } from '../engines/types.js';
import { type MetricsResult, metricsToCsvRows } from '../metrics/aggregate.js';
import type { SpeedStats } from '../metrics/speed.js';
import { markdownGroups, markdownOutcome, markdownSummary, type SummaryRow } from './markdown.js';
import { writeCopyOnce } from './original-copy.js';
import type { TaskOutcome } from './outcome.js';

export interface SavedResults {
  json: string[];
  csv: string[];
  markdown: string;
}

/** The machine-readable result of one task; `overall`/`by_*` keys keep the documented shape. */
export function resultJson(
  task: PlannedTask,
  metrics: MetricsResult,
  speed: SpeedStats,
  server?: ServerInfo,
  outcome?: TaskOutcome,
  validity?: RunValidity,
) {
  return {
    task: {
      dataset: task.dataset,
      task: task.task,
      framework: task.framework,
      model: task.model,
      system_prompt: task.systemPromptFile ?? null,
      prompt_collection: task.promptCollectionFile ?? null,
      mode: task.mode ?? 'field',
      metrics: task.metrics,
      aggregators: task.aggregators,
    },
    ...metrics.groups,
    ...(metrics.loose
      ? { overall_loose: metrics.loose.overall, by_doc_type_loose: metrics.loose.by_doc_type }
      : {}),
    normalization: metrics.normalization,
    speed,
    server: server ? { url: server.url, version: server.version ?? null, models: server.models } : null,
    ...(outcome
      ? {
          overall_with_errors: outcome.overall_with_errors ?? null,
          status: outcome.status,
          timing: outcome.timing,
          resources: outcome.resources,
          cost: outcome.cost,
          limits: outcome.limits,
          run: outcome.run,
        }
      : {}),
    ...(validity ? { validity } : {}),
  };
}

/** Label-free validity of the answers (src/check/): drift shows in production runs without references. */
export type RunValidity = Pick<ValidityReport, 'overall' | 'by_field'>;

export function summaryRow(
  task: PlannedTask,
  metrics: MetricsResult,
  speed: SpeedStats,
  outcome?: TaskOutcome,
): SummaryRow {
  const overall: Partial<Record<string, number>> = { ...metrics.groups.overall };
  return {
    ...(outcome ? { outcome } : {}),
    dataset: task.dataset,
    framework: task.framework,
    model: task.model,
    promptCollection: task.promptCollectionFile ? (task.promptCollectionFile.split(/[\\/]/).pop() ?? '') : '',
    overall,
    ...(metrics.loose ? { overallLoose: { ...metrics.loose.overall } } : {}),
    speed,
    errors: speed.failed,
    n: metrics.groups.overall?.n ?? speed.requests,
    mode: task.mode ?? 'field',
  };
}

export function saveResults(args: {
  task: PlannedTask;
  runDir: string;
  metrics: MetricsResult;
  speed: SpeedStats;
  stamp: Date;
  server?: ServerInfo;
  outcome?: TaskOutcome;
  validity?: RunValidity;
}): SavedResults {
  const { task, runDir, metrics, speed, stamp, outcome, validity } = args;
  const json = `${JSON.stringify(resultJson(task, metrics, speed, args.server, outcome, validity), null, 2)}\n`;
  const csv = `\ufeff${stringify(metricsToCsvRows(metrics), { header: true, delimiter: ';' })}`;
  const row = summaryRow(task, metrics, speed, outcome);
  const md = [
    `# ${task.dataset} · ${task.framework} · ${task.model}\n`,
    outcome?.status.partial
      ? `\n**Partial run:** ${outcome.status.answered + outcome.status.failed} of ${outcome.status.total} items asked; metrics are over the ${outcome.status.answered} answered items only.\n\n`
      : '',
    markdownSummary([row]),
    outcome ? markdownOutcome(outcome) : '',
    metrics.groups.by_doc_type
      ? `\n## By document type\n\n${markdownGroups('Document type', metrics.groups.by_doc_type, metrics.loose?.by_doc_type)}`
      : '',
    metrics.groups.by_split && Object.keys(metrics.groups.by_split).length > 1
      ? `\n## By split (scan artefacts)\n\n${markdownGroups('Split', metrics.groups.by_split)}`
      : '',
    metrics.groups.by_doc_question
      ? `\n## By field\n\n${markdownGroups('Field', metrics.groups.by_doc_question)}`
      : '',
    // Without references too: the share of answers that pass their field's checks (vlmhb check).
    validity && validity.overall.checked > 0
      ? `\n## Label-free validity (checksums, formats, dates)\n\n${validityMarkdown(validity)}`
      : '',
  ].join('');

  // The original project's ModelsMetrics/ copies only for a complete run: its readers cannot tell partial.
  const original = outcome === undefined || outcome.status.complete;
  const runJson = join(runDir, 'metrics.json');
  const runCsv = join(runDir, 'metrics.csv');
  const files = { json: [runJson], csv: [runCsv], markdown: join(runDir, 'summary.md') };
  mkdirSync(runDir, { recursive: true });
  writeFileSync(runJson, json);
  writeFileSync(runCsv, csv);
  writeFileSync(files.markdown, md);
  if (original) {
    mkdirSync(task.metricsDir, { recursive: true });
    const prefix = `${originalPrefix(task)}_metrics_`;
    const at = join(task.metricsDir, `${prefix}${timestamp(stamp)}`);
    // The metrics CSV holds only metrics: when the same metrics were already copied, so was this run
    // (the JSON differs only in its timestamps), and neither copy is written again.
    const csvCopy = writeCopyOnce(task.metricsDir, prefix, '.csv', `${at}.csv`, csv);
    const jsonCopy = csvCopy.replace(/\.csv$/, '.json');
    if (csvCopy === `${at}.csv`) writeFileSync(jsonCopy, json);
    files.csv.push(csvCopy);
    files.json.push(jsonCopy);
  }
  return files;
}
