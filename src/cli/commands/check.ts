import { validityMarkdown } from '../../check/markdown.js';
import { checkAnswers } from '../../check/validity.js';
import { readCheckItems } from '../../runs/check-items.js';
import { EXIT } from '../errors.js';

/** `vlmhb check`: label-free validity of answers (checksums, formats, dates, refusals). */
export async function checkCommand(f: {
  answers: string;
  dataset?: string;
  json?: boolean;
}): Promise<number> {
  const items = await readCheckItems(f.answers, f.dataset);
  const report = checkAnswers(items);
  if (f.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(validityMarkdown(report));
  return EXIT.ok;
}
