import { VlmhbError } from '../../errors.js';
import { EXIT } from '../errors.js';

const log = (m: string) => process.stderr.write(`vlmhb: ${m}\n`);

/** `vlmhb dataset import --from FORMAT SRC --out DIR`: a dataset of another tool in our own format. */
export async function importCommand(
  src: string,
  f: { from: string; out: string; docClass?: string; dpi?: number; questions?: string; json?: boolean },
) {
  const { importers, isImportFormat, IMPORT_FORMATS, writeImport } = await import(
    '../../dataset/import/index.js'
  );
  if (!isImportFormat(f.from)) {
    throw new VlmhbError('VLMHB_USAGE', `unknown format "${f.from}"; known: ${IMPORT_FORMATS.join(', ')}`, {
      where: { key: '--from' },
    });
  }
  if ((f.dpi !== undefined || f.questions !== undefined) && f.from !== 'pdf') {
    throw new VlmhbError('VLMHB_USAGE', '--dpi and --questions apply to --from pdf only', {
      where: { key: f.dpi !== undefined ? '--dpi' : '--questions' },
    });
  }
  const { stderrProgress } = await import('../../runner/progress.js');
  const plan = await importers[f.from].open(src, {
    ...(f.docClass !== undefined ? { docClass: f.docClass } : {}),
    ...(f.dpi !== undefined ? { dpi: f.dpi } : {}),
    ...(f.questions !== undefined ? { questions: f.questions } : {}),
  });
  const progress = stderrProgress();
  progress.start(plan.total, `importing ${f.from}`);
  let result: Awaited<ReturnType<typeof writeImport>>;
  try {
    result = await writeImport(plan, f.out, () => progress.tick({ failed: false }));
  } finally {
    progress.stop();
  }
  if (result.unanswered > 0) {
    log(
      `${result.unanswered} of ${result.rows} rows have an empty answer: fill the "answer" column of ${result.dir}/annotation.csv before scoring`,
    );
  }
  if (f.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    process.stdout.write(
      `${result.dir}\t${result.images} images, ${result.rows} rows (${result.multiAnswer} with several answers, ${result.unanswered} unanswered)\n`,
    );
  return EXIT.ok;
}
