import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { VlmhbError } from '../../errors.js';
import { DEFAULT_THRESHOLDS, evaluateGate, type GateResult } from '../../gate/evaluate.js';
import { gateJUnit } from '../../gate/junit.js';
import { gateMarkdown } from '../../gate/markdown.js';
import { loadRun } from '../../runs/load.js';
import { EXIT } from '../errors.js';

/** `10%` or a fraction `0.1`; the flag name goes into the error. */
export function parseShare(flag: string, v: string): number {
  const t = v.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  const n = pct ? Number(pct[1]) / 100 : Number(t);
  if (!Number.isFinite(n) || n < 0 || t === '')
    throw new VlmhbError(
      'VLMHB_USAGE',
      `${flag} must be a percentage like 10% or a fraction like 0.1, got "${v}"`,
      {
        where: { key: flag },
      },
    );
  return n;
}

export interface GateFlags {
  baseline: string;
  candidate: string;
  dataset?: string;
  maxCerIncrease?: string;
  maxLatencyIncrease?: string;
  maxMemoryIncrease?: string;
  confidence?: string;
  resamples?: number;
  seed?: number;
  junit?: string;
  markdown?: string;
  jsonOut?: string;
  json?: boolean;
}

/** `vlmhb gate`: exit 0 pass, 1 fail, 2 could not compare (or bad input). */
export async function gateCommand(f: GateFlags): Promise<number> {
  const started = Date.now();
  const maxCer =
    f.maxCerIncrease === undefined ? DEFAULT_THRESHOLDS.maxCerIncrease : Number(f.maxCerIncrease);
  if (!Number.isFinite(maxCer) || maxCer < 0)
    throw new VlmhbError(
      'VLMHB_USAGE',
      `--max-cer-increase must be a non-negative number, got "${f.maxCerIncrease}"`,
    );
  const confidence = f.confidence === undefined ? DEFAULT_THRESHOLDS.confidence : Number(f.confidence);
  if (!(confidence > 0 && confidence < 1))
    throw new VlmhbError('VLMHB_USAGE', `--confidence must lie between 0 and 1, got "${f.confidence}"`);
  const thresholds = {
    maxCerIncrease: maxCer,
    maxLatencyIncrease:
      f.maxLatencyIncrease === undefined
        ? DEFAULT_THRESHOLDS.maxLatencyIncrease
        : parseShare('--max-latency-increase', f.maxLatencyIncrease),
    maxMemoryIncrease:
      f.maxMemoryIncrease === undefined
        ? DEFAULT_THRESHOLDS.maxMemoryIncrease
        : parseShare('--max-memory-increase', f.maxMemoryIncrease),
    confidence,
    ...(f.resamples !== undefined ? { resamples: f.resamples } : {}),
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
  };
  const dsOpt = f.dataset ? { datasetDir: f.dataset } : {};
  const [base, cand] = await Promise.all([loadRun(f.baseline, dsOpt), loadRun(f.candidate, dsOpt)]);
  const result: GateResult = evaluateGate(base, cand, thresholds);
  const md = gateMarkdown(result);
  if (f.junit)
    writeFileSync(
      f.junit,
      gateJUnit(result, {
        timestamp: new Date(started),
        hostname: hostname(),
        seconds: (Date.now() - started) / 1000,
      }),
    );
  if (f.markdown) writeFileSync(f.markdown, md);
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (f.jsonOut) writeFileSync(f.jsonOut, json);
  if (f.json) process.stdout.write(json);
  else process.stdout.write(md);
  if (result.verdict === 'incomparable') {
    process.stderr.write(`vlmhb: gate could not compare: ${result.incomparable?.reason}\n`);
    return EXIT.input;
  }
  return result.verdict === 'pass' ? EXIT.ok : EXIT.failed;
}
