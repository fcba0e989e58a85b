/**
 * One run of the real `tesseract` CLI on image bytes, read back as words with boxes. The image goes in
 * on stdin and TSV comes out on stdout: no temp files, no shell. One thread per process
 * (OMP_THREAD_LIMIT=1): parallelism comes from running several processes, which is several times
 * faster than Tesseract's own threading on small pages.
 */
import { execa } from 'execa';
import { type OcrPage, parseTsv } from './tsv.js';

export interface OcrOptions {
  /** @default 'rus+eng' */
  languages: string;
  /** Page segmentation mode. @default 11 (sparse text: forms are label/value islands) */
  psm: number;
  /** @default 'tesseract' */
  binary: string;
  /** Restrict recognition to these characters (Tesseract's `tessedit_char_whitelist`). */
  whitelist?: string;
  signal?: AbortSignal;
}

export class OcrError extends Error {
  override readonly name = 'OcrError';
}

export async function runTesseract(image: Buffer, opts: OcrOptions): Promise<OcrPage> {
  const args = ['stdin', 'stdout', '-l', opts.languages, '--psm', String(opts.psm)];
  if (opts.whitelist) args.push('-c', `tessedit_char_whitelist=${opts.whitelist}`);
  args.push('tsv');
  let result: Awaited<ReturnType<typeof execa>>;
  try {
    result = await execa(opts.binary, args, {
      input: image,
      env: { OMP_THREAD_LIMIT: '1' },
      reject: false,
      stripFinalNewline: false,
      ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    });
  } catch (e) {
    throw new OcrError(`tesseract did not start: ${(e as Error).message}`, { cause: e });
  }
  if (result.failed) {
    const code = (result as { code?: string }).code;
    if (code === 'ENOENT') throw new OcrError(`tesseract binary not found: "${opts.binary}"`);
    const stderr = String(result.stderr ?? '').trim();
    throw new OcrError(
      `tesseract failed (exit ${result.exitCode ?? 'none'}): ${stderr.split('\n').slice(-3).join(' ') || result.shortMessage}`,
    );
  }
  const page = parseTsv(String(result.stdout));
  if (page.width === 0) {
    throw new OcrError(`tesseract gave no page: ${String(result.stderr ?? '').trim() || 'empty output'}`);
  }
  return page;
}
