import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AnswerCache } from '../../cache/store.js';
import { loadConfig } from '../../config/load.js';
import { VlmhbError } from '../../errors.js';
import { sweepMarkdown, sweepResolution } from '../../sweep/resolution.js';
import { EXIT } from '../errors.js';
import { interrupted } from './interrupted.js';

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

export interface SweepFlags {
  sizes?: number[];
  tolerance?: number;
  out?: string;
  dataRoot?: string;
  cache?: boolean;
  cacheFile?: string;
  json?: boolean;
}

/** `vlmhb sweep resolution CONFIG`: per document type, the smallest long side that keeps the CER. */
export async function sweepResolutionCommand(config: string, f: SweepFlags): Promise<number> {
  if (f.tolerance !== undefined && !(f.tolerance >= 0))
    throw new VlmhbError('VLMHB_USAGE', `--tolerance must be a non-negative number, got ${f.tolerance}`);
  const tasks = await loadConfig(config, f.dataRoot ? { dataRoot: f.dataRoot } : {});
  const out = resolve(f.out ?? 'sweep-resolution');
  const cache = f.cache === false ? false : AnswerCache.open(f.cacheFile);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const sweeps = await sweepResolution(tasks, {
      ...(f.sizes ? { sizes: f.sizes } : {}),
      ...(f.tolerance !== undefined ? { tolerance: f.tolerance } : {}),
      out,
      cache,
      log,
      signal: controller.signal,
    });
    const md = sweepMarkdown(sweeps);
    writeFileSync(join(out, 'sweep.json'), `${JSON.stringify(sweeps, null, 2)}\n`);
    writeFileSync(join(out, 'sweep.md'), md);
    process.stdout.write(f.json ? `${JSON.stringify(sweeps, null, 2)}\n` : md);
    const failed = sweeps.reduce((t, x) => t + x.failed, 0);
    if (failed > 0) {
      // A failed request is not a wrong answer: the choice may be wrong until they are asked again.
      log(`${failed} request(s) failed; the choice is not final: rerun the same command to ask them again`);
      return EXIT.failed;
    }
    return EXIT.ok;
  } catch (e) {
    return interrupted(controller.signal, e);
  } finally {
    process.off('SIGINT', onSigint);
    if (cache) cache.close();
  }
}
