import type { ErrorLocation } from '../../errors.js';

export type Bbox = [number, number, number, number];

/** One question about one imported page, in the tool's own terms (a future annotation.csv row). */
export interface ImportedRow {
  docId: string;
  split: string;
  question: string;
  /** Every acceptable answer, the preferred one first; an empty list means "not annotated yet". */
  answers: string[];
  docClass: string;
  questionType: string;
  /** Every box the source gives for the answer, [x0, y0, x1, y1] in image pixels. */
  bboxes: Bbox[];
  /**
   * The source's other fields (DocVQA's `docId`, `ucsf_document_id`, a TSV's extra columns), by their
   * own names: written as extra annotation.csv columns after the standard ones, so nothing is lost.
   */
  extra?: Record<string, string>;
}

/** The image of one page: bytes read from the source, or a file to copy as it is. */
export type ImportedImage = { bytes: Uint8Array } | { file: string };

/** One page (one image) of the source with its questions. */
export interface ImportedDoc {
  /**
   * File name under `images/`, possibly with subfolders (`train/0001.jpg`). Two docs may name the same
   * file only with the same bytes (DocVQA repeats a page's image in every row asking about it): it is
   * written once.
   */
  imageName: string;
  image: ImportedImage;
  rows: ImportedRow[];
  /** The record this page came from, for errors found while writing it. */
  source?: ErrorLocation;
}

export interface ImportOptions {
  /** doc_class for formats that have none; a format's own class wins where it has one. */
  docClass?: string;
  /** Render resolution for `pdf`. @default 150 */
  dpi?: number;
  /** `pdf`: CSV or JSON naming the questions per page or file. */
  questions?: string;
}

export interface ImportPlan {
  /** Pages the source holds, for the progress bar. */
  total: number;
  docs: AsyncIterable<ImportedDoc>;
}

/**
 * One source format. `open` checks the source and counts its pages; reading and decoding happen
 * lazily as `docs` is iterated, so a large set is never held in memory at once. Unreadable input is a
 * VlmhbError naming the file and the record (row, index or page).
 */
export interface Importer {
  name: string;
  /** One line for `--help` and the docs. */
  description: string;
  open(src: string, opts: ImportOptions): Promise<ImportPlan>;
}
