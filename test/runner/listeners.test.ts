import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFaultServer } from '../fixtures/fault-server.js';
import { vlmhb } from '../helpers/cli.js';
import { type MiniDoc, writeMiniDataset } from '../helpers/mini-dataset.js';

// 30 items on 15 identical pages: the OCR cache answers most of them, so many requests pass quickly.
const docs: MiniDoc[] = Array.from({ length: 15 }, (_, i) => ({
  docId: `doc_${i}`,
  docClass: 'СНИЛС',
  fields: [
    { questionType: 'Фамилия', label: 'Фамилия', value: 'Иванов', question: 'Напиши фамилию' },
    { questionType: 'Имя', label: 'Имя', value: 'Пётр', question: 'Напиши имя' },
  ],
}));

describe('no abort-listener leak warnings on stderr', () => {
  it('a Tesseract run with many items prints no MaxListenersExceededWarning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlmhb-listen-'));
    const dataset = writeMiniDataset(join(dir, 'ds'), docs);
    const r = await vlmhb([
      'run',
      '--dataset',
      dataset,
      '--framework',
      'tesseract',
      '--out',
      join(dir, 'run'),
    ]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(r.stderr).toContain('30/30');
    expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
  }, 60_000);

  it('sixteen requests in flight against a server print no such warning either', async () => {
    const server = await startFaultServer({ mode: 'ok', answer: 'Иванов' });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'vlmhb-listen-'));
      const dataset = writeMiniDataset(join(dir, 'ds'), docs);
      const r = await vlmhb([
        'run',
        '--dataset',
        dataset,
        '--framework',
        'vllm',
        '--model',
        'm',
        '--base-url',
        server.baseUrl,
        '--out',
        join(dir, 'run'),
        '--concurrency',
        '16',
      ]);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
    } finally {
      await server.close();
    }
  }, 60_000);
});
