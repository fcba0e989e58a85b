import { readFile } from 'node:fs/promises';
import type { AnswersLog } from './answers-log.js';
import { inputHash, sha256 } from './input-hash.js';
import type { AskUnit } from './units.js';

export interface PendingSelection {
  /** The units still to ask, each with only its pending samples in `pending`. */
  units: AskUnit[];
  /** Items answered by an earlier session and kept as they are. */
  resumed: number;
  /** Items answered before whose inputs (prompt, system prompt, image, settings) changed since: re-asked. */
  changed: number;
  /** Items whose last answer was an error, re-asked because of `--retry-errors`. */
  retried: number;
}

/**
 * Resume: which items of `units` (built over every sample) must be asked. An item is kept when its last
 * answer exists, is not an error being retried, and was asked with the same inputs as now; an answer
 * logged without an input hash (an older log, imported answers) is taken as unchanged.
 */
export async function selectPending(
  units: AskUnit[],
  log: AnswersLog,
  opts: { retryErrors?: boolean; systemPrompt?: string | undefined },
): Promise<PendingSelection> {
  const imageHashes = new Map<string, Promise<string | undefined>>();
  const imageHash = (path: string) => {
    let h = imageHashes.get(path);
    if (!h) {
      // An unreadable image cannot be compared; the item is re-asked and fails with image_unreadable.
      h = readFile(path).then(sha256, () => undefined);
      imageHashes.set(path, h);
    }
    return h;
  };
  let resumed = 0;
  let changed = 0;
  let retried = 0;
  const out: AskUnit[] = [];
  for (const unit of units) {
    const pending = new Set<number>();
    for (const s of unit.samples) {
      if (!unit.pending.has(s.id)) continue;
      const prev = log.get(s.id);
      if (!prev) {
        pending.add(s.id);
        continue;
      }
      if (prev.error !== null && opts.retryErrors === true) {
        pending.add(s.id);
        retried++;
        continue;
      }
      if (prev.inputHash !== undefined) {
        const img = await imageHash(s.imageAbsPath);
        const now =
          img === undefined
            ? undefined
            : inputHash({
                prompt: unit.prompt,
                systemPrompt: opts.systemPrompt,
                imageSha256: img,
                settings: unit.settings,
              });
        if (now !== prev.inputHash) {
          pending.add(s.id);
          changed++;
          continue;
        }
      }
      resumed++;
    }
    if (pending.size > 0) out.push({ ...unit, pending });
  }
  return { units: out, resumed, changed, retried };
}
