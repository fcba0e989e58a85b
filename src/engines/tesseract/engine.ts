/**
 * `framework: tesseract` — the classical OCR baseline VLMs are compared against. Per question: prepare
 * the image, OCR it (once per image content, cached), map the question to a field, read the field off
 * the page. Failures come back as data ({error: {code: 'ocr_failed'}}), never as exceptions.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';
import { z } from 'zod';
import { VlmhbError } from '../../errors.js';
import type { Engine, EngineFactory, EngineOptions, EngineRequest, EngineResponse } from '../types.js';
import { type CacheResult, OcrCache } from './cache.js';
import { type DocType, guessDocType } from './doctype.js';
import {
  authorityFromLine,
  CHECKED_NUMBERS,
  extractField,
  noisyAuthorityLine,
  numberRegion,
} from './extract.js';
import type { QuestionKind } from './fields.js';
import { engineVersion } from './fingerprint.js';
import { applyFormat, parseFormat } from './format.js';
import { prepareImage } from './image.js';
import { flattenToPgm } from './normalize.js';
import { runTesseract } from './ocr.js';
import { questionKind } from './question.js';
import { cropBinarized, rightStripUpright } from './strip.js';
import type { Box, OcrPage } from './tsv.js';
import { type PageView, viewPage } from './values.js';

export const tesseractParamsSchema = z.object({
  /** Tesseract `-l` value. */
  languages: z
    .string()
    .regex(/^[A-Za-z_]+(\+[A-Za-z_]+)*$/, 'like "rus+eng"')
    .default('rus+eng'),
  /** Page segmentation mode; 11 (sparse text) reads label/value forms best. */
  psm: z.number().int().min(0).max(13).default(11),
  /** Folder for the on-disk OCR cache; none by default. */
  cacheDir: z.string().min(1).optional(),
  /** Tesseract processes at once. Default: CPU cores. */
  concurrency: z.number().int().min(1).optional(),
  /**
   * Divide out uneven lighting (shadows) before OCR. Off by default: on the synthetic set it helped
   * shadowed and noisy scans but hurt perspective-warped ones (see the engine report).
   */
  normalize: z.boolean().default(false),
  /** Path or name of the tesseract binary. */
  binary: z.string().min(1).default('tesseract'),
});

export type TesseractParams = z.infer<typeof tesseractParamsSchema>;

function parseParams(params: Record<string, unknown> | undefined): TesseractParams {
  const r = tesseractParamsSchema.safeParse(params ?? {});
  if (r.success) return r.data;
  const msg = r.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
  throw new VlmhbError('VLMHB_CONFIG_INVALID', `tesseract engine params: ${msg}`, {
    where: { key: 'params' },
  });
}

const PASSPORT_ID_KINDS: ReadonlySet<QuestionKind> = new Set([
  'passport_series',
  'passport_number',
  'passport_series_number',
]);

/** Digits-only re-reads of a checked number's line: page segmentation mode, margin in word heights. */
const SECOND_LOOKS: readonly (readonly [number, number])[] = [
  [7, 0.6],
  [13, 1.2],
  [7, 1.2],
];

/** Part of every cache key: bump when what goes into Tesseract changes, so old disk entries are not reused. */
const CACHE_VERSION = 9;

const ms = (t0: number) => Math.round((performance.now() - t0) * 100) / 100;

function abortedResponse(latencyMs: number): EngineResponse {
  return { error: { code: 'aborted', message: 'request aborted', retryable: false }, latencyMs };
}

class TesseractEngine implements Engine {
  readonly framework = 'tesseract';
  readonly defaultConcurrency: number;
  readonly version: string;
  private readonly queue: PQueue;
  private readonly cache: OcrCache;
  private readonly views = new WeakMap<OcrPage, PageView>();

  constructor(
    readonly model: string,
    private readonly params: TesseractParams,
  ) {
    this.defaultConcurrency = params.concurrency ?? availableParallelism();
    this.version = engineVersion(params);
    this.queue = new PQueue({ concurrency: this.defaultConcurrency });
    this.cache = new OcrCache(params.cacheDir);
  }

  async ask(req: EngineRequest): Promise<EngineResponse> {
    if (req.signal?.aborted) return abortedResponse(0);
    const tPrep = performance.now();
    let prepared: Awaited<ReturnType<typeof prepareImage>>;
    try {
      prepared = await prepareImage(req.image, req.settings);
    } catch (e) {
      return {
        error: { code: 'ocr_failed', message: `image unreadable: ${(e as Error).message}`, retryable: false },
        latencyMs: 0,
      };
    }
    const prepMs = ms(tPrep);
    const sentImage = { width: prepared.width, height: prepared.height, bytes: prepared.data.length };
    const { languages, psm, binary, normalize } = this.params;
    const key = createHash('sha256')
      .update(prepared.data)
      .update(`\0${CACHE_VERSION}\0${languages}\0${psm}\0${normalize ? 'flat' : ''}`)
      .digest('hex');
    const ocrInput = async () => (normalize ? flattenToPgm(prepared.data) : prepared.data);

    const t0 = performance.now();
    let ocrMs = 0;
    // Time spent waiting on the OCR cache: either this request's own Tesseract run (counted in ocrMs) or
    // another request's run of the same image. Only the former is this request's model time.
    let awaitMs = 0;
    const ocr = (
      cacheKey: string,
      image: () => Promise<Buffer>,
      how: { psm?: number; whitelist?: string } = {},
    ) =>
      this.cache.get(cacheKey, async () => {
        const data = await image();
        return this.queue.add(
          async () => {
            const tOcr = performance.now();
            const p = await runTesseract(data, { languages, psm, binary, ...how });
            ocrMs += ms(tOcr);
            return p;
          },
          { throwOnTimeout: true },
        );
      });

    const timed = async <T>(work: Promise<T>): Promise<T> => {
      const tA = performance.now();
      try {
        return await work;
      } finally {
        awaitMs += performance.now() - tA;
      }
    };
    /** A region of the page read alone, binarised (strip.ts); `tag` names the look in its cache key. */
    const readRegion = (tag: string, region: Box, how: { psm: number; whitelist?: string }) => {
      const box = {
        left: Math.round(region.x0),
        top: Math.round(region.y0),
        width: Math.max(1, Math.round(region.x1 - region.x0)),
        height: Math.max(1, Math.round(region.y1 - region.y0)),
      };
      return timed(
        this.orAbort(
          ocr(
            `${key}:${tag}:${box.left},${box.top},${box.width},${box.height}`,
            () => cropBinarized(prepared.data, box),
            how,
          ),
          req.signal,
        ),
      );
    };
    // Per-document extraction: the request's JSON schema names the fields (question types) to return.
    const schemaKeys = Object.keys(
      (req.settings.jsonSchema?.['properties'] as Record<string, unknown> | undefined) ?? {},
    );
    const fieldKind = schemaKeys.length > 0 ? 'document' : questionKind(req.prompt);
    let result: CacheResult;
    let raw: string;
    /** Second OCR looks this request took: the number's line alone, the right edge strip. */
    const looks: string[] = [];
    let docType: DocType;
    try {
      const page = await timed(this.orAbort(ocr(key, ocrInput), req.signal));
      if (page === 'aborted') return abortedResponse(ms(t0));
      result = page;
      docType = guessDocType(result.page);
      const read = async (kind: ReturnType<typeof questionKind>): Promise<string | 'aborted'> => {
        const view = this.view(page.page);
        const value = extractField(view, kind);
        if (kind === 'tax_authority_code') {
          // The first four digits of a person's ИНН are the code of the authority that assigned it
          // (extract.ts); the ИНН as its second looks read it is the surest reading of them.
          const inn = await read('inn');
          if (inn === 'aborted') return inn;
          return inn.length === 12 && CHECKED_NUMBERS.inn.valid(inn, view) ? inn.slice(0, 4) : value;
        }
        if (kind === 'inn' || kind === 'snils') {
          const check = CHECKED_NUMBERS[kind];
          if (check.valid(value.replace(/\D/g, ''), view)) return value;
          // Second looks, only when the reading fails its check digits: the number's own line alone,
          // digits only (spaced or boxed digits confuse the sparse-text page mode), first as one text
          // line (psm 7), then as a raw line (psm 13) with a wider margin for boxed digits that stand
          // taller than their caption.
          for (const [psm, pad] of SECOND_LOOKS) {
            const region = numberRegion(view, kind, pad);
            if (!region) break;
            const line = await readRegion(`line-bin:${psm}`, region, { psm, whitelist: '0123456789- ' });
            if (line === 'aborted') return line;
            looks.push(`line:${psm}`);
            const text = line.page.lines.map((l) => l.text).join('\n');
            const found = check.find(text).find((v) => check.valid(v.replace(/\D/g, ''), view));
            if (found) return found;
          }
          return value;
        }
        if (kind === 'tax_authority') {
          const region = noisyAuthorityLine(view);
          if (!region) return value;
          const raw = view.rows.find((r) => region.y0 <= r.box.y0 && r.box.y1 <= region.y1)?.text ?? value;
          // Second look, only when specks of the security pattern got into the line: the line alone.
          const line = await readRegion('text-line', region, { psm: 7 });
          if (line === 'aborted') return line;
          looks.push('text-line');
          return authorityFromLine(line.page.lines.map((l) => l.text).join('\n'), raw) ?? value;
        }
        if (value !== '' || !PASSPORT_ID_KINDS.has(kind) || (docType !== 'passport' && docType !== 'unknown'))
          return value;
        // Second look, only when the page gave nothing: the series and number run vertically along the
        // right edge (strip.ts), one way or the other.
        for (const angle of [90, 270] as const) {
          const strip = await timed(
            this.orAbort(
              ocr(`${key}:right-strip:${angle}`, () => rightStripUpright(prepared.data, angle)),
              req.signal,
            ),
          );
          if (strip === 'aborted') return strip;
          looks.push(`strip:${angle}`);
          const v = extractField(this.view(strip.page), kind);
          if (v !== '') return v;
        }
        return '';
      };
      if (schemaKeys.length > 0) {
        const obj: Record<string, string> = {};
        for (const k of schemaKeys) {
          const v = await read(questionKind(k));
          if (v === 'aborted') return abortedResponse(ms(t0));
          obj[k] = v;
        }
        raw = JSON.stringify(obj);
      } else {
        const v = await read(fieldKind as ReturnType<typeof questionKind>);
        if (v === 'aborted') return abortedResponse(ms(t0));
        raw = v;
      }
    } catch (e) {
      return {
        error: { code: 'ocr_failed', message: (e as Error).message, retryable: false },
        latencyMs: ms(t0),
        sentImage,
      };
    }

    const output = schemaKeys.length > 0 ? raw : applyFormat(raw, parseFormat(req.systemPrompt, req.prompt));
    const waitMs = Math.max(0, awaitMs - ocrMs);
    return {
      output,
      latencyMs: Math.round((performance.now() - t0 - waitMs) * 100) / 100,
      usage: undefined,
      sentImage,
      extra: {
        ocrMs: Math.round(ocrMs * 100) / 100,
        prepMs,
        waitMs: Math.round(waitMs * 100) / 100,
        cacheHit: result.source !== 'ocr',
        cacheSource: result.source,
        fieldKind,
        docType,
        ...(looks.length > 0 ? { secondLooks: looks } : {}),
      },
    };
  }

  private view(page: OcrPage): PageView {
    let view = this.views.get(page);
    if (!view) {
      view = viewPage(page);
      this.views.set(page, view);
    }
    return view;
  }

  /**
   * Waits for `work` unless the signal fires first; the work itself goes on and fills the cache. The
   * listener is removed as soon as either side settles: the runner passes one signal to every request of
   * a run, so a listener left behind per request leaks (MaxListenersExceededWarning after ten).
   */
  private async orAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | 'aborted'> {
    if (!signal) return work;
    if (signal.aborted) {
      work.catch(() => {});
      return 'aborted';
    }
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      signal.addEventListener('abort', onAbort, { once: true });
    });
    work.catch(() => {});
    try {
      return await Promise.race([work, aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.queue.clear();
    await this.queue.onIdle();
  }
}

export const tesseractEngineFactory: EngineFactory = {
  framework: 'tesseract',
  async create(opts: EngineOptions): Promise<Engine> {
    return new TesseractEngine(opts.model || 'tesseract-5', parseParams(opts.params));
  },
};
