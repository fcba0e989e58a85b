import { planSingleTask } from '../../config/load.js';
import { checkImages, loadDataset } from '../../dataset/load.js';
import { canonicalFramework, loadEngineFactory } from '../../engines/registry.js';
import type { GenerationSettings } from '../../engines/types.js';
import { VlmhbError } from '../../errors.js';
import { scoreItems } from '../../metrics/aggregate.js';
import { loadPromptCollection } from '../../prompts/collection.js';
import { resolvePrompts } from '../../prompts/resolve.js';
import { loadSystemPrompt } from '../../prompts/system-prompt.js';
import { mdCell } from '../../report/markdown.js';
import { scoreInput } from '../../task/score-input.js';
import { buildRequests } from '../../throughput/requests.js';
import { runThroughput, type SweepPoint, type ThroughputResult } from '../../throughput/run.js';
import { EXIT } from '../errors.js';

export interface ThroughputFlags {
  dataset: string;
  framework: string;
  model?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  prompts?: string;
  systemPrompt?: string;
  concurrency?: string[];
  requestRate?: string[];
  burstiness: number;
  numPrompts?: number;
  seed: number;
  longSide?: number;
  maxTokens?: number;
  json?: boolean;
}

/** Sweep points: every concurrency × every request rate ('inf' = all at once, as vLLM spells it). */
export function sweepPoints(concurrency: string[] = [], rates: string[] = []): SweepPoint[] {
  const cs = concurrency.length ? concurrency.map(Number) : [undefined];
  const rs = rates.length
    ? rates.map((r) => (r === 'inf' ? Number.POSITIVE_INFINITY : Number(r)))
    : [undefined];
  return cs.flatMap((c) =>
    rs.map((r) => ({
      ...(c !== undefined ? { concurrency: c } : {}),
      ...(r !== undefined ? { requestRate: r } : {}),
    })),
  );
}

/**
 * `vlmhb throughput`: loads a server the way `vllm bench serve` does, with the dataset's real images and
 * prompts, and scores the very answers it timed, so a faster setting that reads worse shows it.
 */
export async function throughputCommand(f: ThroughputFlags): Promise<number> {
  // Throughput loads a server somebody started; only the embedded Tesseract runs in this process. Without
  // the URL every request would go to a guessed default port and the table would be all failures.
  if (!f.baseUrl && canonicalFramework(f.framework) && (await loadEngineFactory(f.framework)).remote) {
    throw new VlmhbError(
      'VLMHB_USAGE',
      `throughput --framework ${f.framework} needs --base-url of the running server, e.g. http://127.0.0.1:8000/v1`,
    );
  }
  const task = planSingleTask({
    dataset: f.dataset,
    framework: f.framework,
    ...(f.model ? { model: f.model } : {}),
    ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
    ...(f.apiKeyEnv ? { apiKeyEnv: f.apiKeyEnv } : {}),
    ...(f.prompts ? { prompts: f.prompts } : {}),
    ...(f.systemPrompt ? { systemPrompt: f.systemPrompt } : {}),
  });
  const dataset = await loadDataset(task.datasetDir);
  await checkImages(dataset);
  const collection = task.promptCollectionFile
    ? await loadPromptCollection(task.promptCollectionFile)
    : undefined;
  const prompts = resolvePrompts(dataset.samples, collection);
  const systemPrompt = task.systemPromptFile ? await loadSystemPrompt(task.systemPromptFile) : undefined;
  const settings: GenerationSettings = { temperature: 0, maxTokens: f.maxTokens ?? 256, seed: 0 };
  if (f.longSide !== undefined) settings.longSide = f.longSide;
  const n = f.numPrompts ?? dataset.samples.length;
  const { requests, samples } = await buildRequests(dataset.samples, prompts, n, settings, systemPrompt);

  const factory = await loadEngineFactory(task.framework);
  const rows: { point: SweepPoint; result: ThroughputResult; cer?: number; exactMatch?: number }[] = [];
  for (const point of sweepPoints(f.concurrency, f.requestRate)) {
    process.stderr.write(`vlmhb: throughput ${describe(point)}: ${n} requests\n`);
    // A fresh client per point: no connection pool or engine-side cache (the OCR cache, prepared images)
    // carries one point's work into the next.
    const engine = await factory.create({
      model: task.model,
      ...(task.baseUrl ? { baseUrl: task.baseUrl } : {}),
      ...(task.apiKeyEnv ? { apiKeyEnv: task.apiKeyEnv } : {}),
    });
    try {
      const result = await runThroughput({
        engine,
        requests,
        burstiness: f.burstiness,
        seed: f.seed,
        percentiles: [50, 90, 99],
        ...point,
      });
      const scored = scoreItems(
        // Ids are request positions: with --num-prompts above the dataset size a sample repeats.
        result.outcomes.map((o, i) => scoreInput(samples[i]!, o.success ? (o.output ?? '') : null, i)),
        { metrics: ['cer', 'exact_match'], aggregators: ['overall'] },
      ).groups.overall;
      rows.push({
        point,
        result,
        ...(scored?.cer !== undefined ? { cer: scored.cer } : {}),
        ...(scored?.exact_match !== undefined ? { exactMatch: scored.exact_match } : {}),
      });
    } finally {
      await engine.close();
    }
  }
  if (f.json) {
    const out = rows.map(({ point, result, cer, exactMatch }) => {
      const { outcomes: _outcomes, ...metrics } = result;
      return { ...point, ...metrics, cer, exact_match: exactMatch };
    });
    process.stdout.write(
      `${JSON.stringify({ framework: task.framework, model: task.model, points: out }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(markdown(rows));
  }
  return EXIT.ok;
}

function describe(p: SweepPoint): string {
  const c = p.concurrency !== undefined ? `concurrency ${p.concurrency}` : 'unbounded concurrency';
  const r =
    p.requestRate !== undefined && Number.isFinite(p.requestRate) ? `${p.requestRate} req/s` : 'all at once';
  return `${c}, ${r}`;
}

function markdown(
  rows: { point: SweepPoint; result: ThroughputResult; cer?: number; exactMatch?: number }[],
) {
  const f = (v: number | undefined, d = 1) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(d));
  const head = [
    'Load',
    'Done',
    'Failed',
    'req/s',
    'out tok/s',
    'TTFT mean ms',
    'TTFT p99 ms',
    'TPOT mean ms',
    'ITL mean ms',
    'E2EL mean ms',
    'E2EL p99 ms',
    'CER',
    'EM',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const { point, result: r, cer, exactMatch } of rows) {
    // vLLM prints zeros for token timings it never saw; a table reader would take them for measurements.
    const streamed = r.outcomes.some((o) => o.ttftMs !== undefined);
    const t = (v: number | undefined, d = 1) => (streamed ? f(v, d) : '–');
    lines.push(
      `| ${[
        mdCell(describe(point)),
        String(r.completed),
        String(r.failed),
        f(r.requestThroughput, 2),
        f(r.outputThroughput),
        t(r.ttft.mean),
        t(r.ttft.percentiles[99]),
        t(r.tpot.mean, 2),
        t(r.itl.mean, 2),
        f(r.e2el.mean),
        f(r.e2el.percentiles[99]),
        f(cer, 4),
        f(exactMatch, 4),
      ].join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
