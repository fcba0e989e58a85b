import { readFileSync } from 'node:fs';
import { embedImages, type ImageOptions } from './images.js';
import { loadRuns } from './load.js';
import { buildModel, type ModelOptions, type ReportModel } from './model.js';
import { renderHtml } from './render-html.js';
import { renderJson, renderMarkdown } from './render-text.js';

export type ReportFormat = 'html' | 'md' | 'json';

export interface ReportOptions extends Omit<ModelOptions, 'toolVersion'>, ImageOptions {
  format?: ReportFormat;
  onWarning?: (msg: string) => void;
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Run folders → one data model → the chosen rendering. Images are encoded only for HTML. */
export async function buildReportModel(
  paths: readonly string[],
  opts: ReportOptions = {},
): Promise<ReportModel> {
  const runs = await loadRuns(paths);
  const model = buildModel(runs, { ...opts, toolVersion: toolVersion() });
  for (const w of model.warnings) opts.onWarning?.(w);
  if ((opts.format ?? 'html') === 'html') await embedImages(model.images, opts);
  else await embedImages(model.images, { images: 'none' });
  return model;
}

export function renderReport(model: ReportModel, format: ReportFormat = 'html'): string {
  if (format === 'md') return renderMarkdown(model);
  if (format === 'json') return renderJson(model);
  return renderHtml(model);
}

export async function buildReport(paths: readonly string[], opts: ReportOptions = {}): Promise<string> {
  return renderReport(await buildReportModel(paths, opts), opts.format ?? 'html');
}
