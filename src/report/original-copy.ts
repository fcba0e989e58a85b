import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes one of the original project's timestamped copies (ModelsAnswers/, ModelsMetrics/) unless a copy
 * with the same prefix and exactly these bytes is already there: a rerun that changed nothing (a skipped
 * task, Slurm results collected after the job wrote them) adds no second file with a new timestamp, while
 * any change (a retried item, other metrics) still does. Returns the path holding the content.
 */
export function writeCopyOnce(
  dir: string,
  prefix: string,
  ext: string,
  file: string,
  content: string,
): string {
  const bytes = Buffer.from(content);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || !name.endsWith(ext)) continue;
      const path = join(dir, name);
      // Size first: most copies differ in length, and reading every one would cost more than writing.
      if (statSync(path).size === bytes.length && readFileSync(path).equals(bytes)) return path;
    }
  }
  writeFileSync(file, bytes);
  return file;
}
