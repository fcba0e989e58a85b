/** One question about one document image: a row of annotation.csv / annotation.jsonl. */
export interface Sample {
  /** 0-based row position in the annotation file (the original project's answer id). */
  id: number;
  /** `data_index`: the document id; several samples (fields) share one document. */
  docId: string;
  split: string;
  /** As written in the annotation file, relative to the dataset folder. */
  imagePath: string;
  /** Absolute, resolved and checked to stay inside the dataset folder. */
  imageAbsPath: string;
  question: string;
  /** The preferred reference answer: `references[0]`. */
  answer: string;
  /**
   * Every acceptable answer, `answer` first: the optional `answers` column (a JSON list) when set, else
   * `[answer]`. Always set by loadDataset; optional so hand-built samples stay valid.
   */
  references?: string[];
  docClass: string;
  questionType: string;
  /** [x0, y0, x1, y1] in image pixels when the dataset has it. */
  answerBbox: [number, number, number, number] | null;
  /** Every box when answer_bbox lists several (`[[x0, y0, x1, y1], …]`); answerBbox is the first. */
  answerBboxes?: [number, number, number, number][];
}

export interface Dataset {
  /** Absolute path of the dataset folder. */
  dir: string;
  /** Folder name, used in output file names. */
  name: string;
  /** Absolute path of the annotation file that was read. */
  annotationFile: string;
  samples: Sample[];
}

/** The columns of annotation.csv, in the original project's order. */
export const ANNOTATION_COLUMNS = [
  'data_index',
  'split',
  'image_path',
  'question',
  'answer',
  'doc_class',
  'question_type',
  'answer_bbox',
] as const;
