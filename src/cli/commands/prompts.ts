import { resolve } from 'node:path';
import { AnswerCache } from '../../cache/store.js';
import { VlmhbError } from '../../errors.js';
import { comparePrompts, writeCompareResult } from '../../prompts-lab/compare.js';
import { compareMarkdown } from '../../prompts-lab/markdown.js';
import { readCompareResult, selectBest, writeSelection } from '../../prompts-lab/select.js';
import { EXIT } from '../errors.js';

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

export interface CompareFlags {
  dataset: string;
  framework: string;
  model?: string;
  baseUrl?: string;
  collections: string[];
  out?: string;
  cache?: boolean;
  cacheFile?: string;
  confidence?: number;
  resamples?: number;
  seed?: number;
  json?: boolean;
}

export async function promptsCompareCommand(f: CompareFlags): Promise<number> {
  if (f.confidence !== undefined && !(f.confidence > 0 && f.confidence < 1))
    throw new VlmhbError('VLMHB_USAGE', `--confidence must lie between 0 and 1, got ${f.confidence}`);
  const out = resolve(f.out ?? 'prompts-compare');
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const cache = f.cache === false ? false : AnswerCache.open(f.cacheFile);
  try {
    const result = await comparePrompts({
      dataset: f.dataset,
      framework: f.framework,
      ...(f.model ? { model: f.model } : {}),
      ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
      collections: f.collections,
      out,
      cache,
      ...(f.confidence !== undefined ? { confidence: f.confidence } : {}),
      ...(f.resamples !== undefined ? { resamples: f.resamples } : {}),
      ...(f.seed !== undefined ? { seed: f.seed } : {}),
      log,
      signal: controller.signal,
    });
    const md = compareMarkdown(result);
    const file = writeCompareResult(out, result, md);
    log(`wrote ${file}`);
    process.stdout.write(f.json ? `${JSON.stringify(result, null, 2)}\n` : md);
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
    if (cache) cache.close();
  }
}

export async function promptsSelectCommand(f: {
  from: string;
  out: string;
  json?: boolean;
}): Promise<number> {
  const result = readCompareResult(f.from);
  const chosen = selectBest(result);
  const written = writeSelection(result, chosen, f.out);
  log(`wrote ${written.csv} and ${written.sidecar}`);
  if (f.json) process.stdout.write(`${JSON.stringify({ ...written, prompts: chosen }, null, 2)}\n`);
  else
    for (const c of chosen)
      process.stdout.write(
        `${c.field}: ${c.source.collection} (CER ${c.cer.toFixed(4)}${c.tied_with.length ? `, tied with ${c.tied_with.join(', ')}` : ''})\n`,
      );
  return EXIT.ok;
}
