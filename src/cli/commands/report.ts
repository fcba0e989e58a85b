import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { VlmhbError } from '../../errors.js';
import { defaultImageCacheDir, type ImageMode } from '../../report/html/images.js';
import { buildReportModel, type ReportFormat, renderReport } from '../../report/html/index.js';
import { EXIT } from '../errors.js';

export interface ReportFlags {
  out?: string;
  format?: ReportFormat;
  images?: ImageMode;
  cerTarget?: number;
  title?: string;
  check?: boolean;
  /** false with --no-image-cache. */
  imageCache?: boolean;
}

function formatFor(f: ReportFlags): ReportFormat {
  if (f.format) return f.format;
  const ext = f.out ? extname(f.out).toLowerCase() : '';
  if (ext === '.md') return 'md';
  if (ext === '.json') return 'json';
  return 'html';
}

export async function reportCommand(paths: string[], f: ReportFlags): Promise<number> {
  const format = formatFor(f);
  const started = performance.now();
  const model = await buildReportModel(paths, {
    format,
    ...(f.images ? { images: f.images } : {}),
    ...(f.cerTarget !== undefined ? { cerTarget: f.cerTarget } : {}),
    ...(f.title ? { title: f.title } : {}),
    ...(f.imageCache === false ? {} : { cacheDir: defaultImageCacheDir() }),
    onWarning: (w) => process.stderr.write(`vlmhb: warning: ${w}\n`),
  });
  if (model.tasks.length === 0) {
    throw new VlmhbError(
      'VLMHB_FILE_NOT_FOUND',
      'no run folders (task.json with answers.jsonl or metrics.json)',
      {
        where: { file: paths.join(', ') },
      },
    );
  }
  const text = renderReport(model, format);
  if (f.out) {
    writeFileSync(f.out, text);
    const s = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `report: ${model.tasks.length} task(s), ${model.answers.task.length} answers → ${f.out} (${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${s} s)\n`,
    );
  } else process.stdout.write(text);
  if (f.check && model.tasks.some((t) => t.verdict === 'fail')) {
    process.stderr.write('report: at least one task fails its limits\n');
    return EXIT.failed;
  }
  return EXIT.ok;
}
