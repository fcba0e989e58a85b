import { hfParquet } from './hf-parquet.js';
import { pdf } from './pdf.js';
import type { Importer } from './types.js';
import { vlmevalkitTsv } from './vlmevalkit-tsv.js';
import { vlmhyperbenchJson } from './vlmhyperbench-json.js';

/** Every source format by its `--from` name. Adding one = one file + one line here. */
export const importers = {
  'vlmhyperbench-json': vlmhyperbenchJson,
  'vlmevalkit-tsv': vlmevalkitTsv,
  pdf,
  'hf-parquet': hfParquet,
} as const satisfies Record<string, Importer>;

export type ImportFormat = keyof typeof importers;

export const IMPORT_FORMATS = Object.keys(importers) as ImportFormat[];

export function isImportFormat(s: string): s is ImportFormat {
  return Object.hasOwn(importers, s);
}

export type { ImportedDoc, ImportedRow, Importer, ImportOptions, ImportPlan } from './types.js';
export { type WriteResult, writeImport } from './write.js';
