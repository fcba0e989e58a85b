import { readdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { canEmbedAsIs, embedImages } from '../../src/report/html/images.js';
import type { ReportImage } from '../../src/report/html/model.js';
import { mulberry32 } from '../../src/util/rng.js';
import { testdir } from '../helpers/testdir.js';

/** A flat scan (compresses to a few KB) and a noisy one (a PNG far heavier than its JPEG). */
async function scans(dir: (...p: string[]) => string) {
  const flat = dir('flat.png');
  await sharp({ create: { width: 800, height: 560, channels: 3, background: '#f4f1e8' } })
    .png()
    .toFile(flat);
  const rand = mulberry32(3);
  const px = Buffer.alloc(800 * 560 * 3);
  for (let i = 0; i < px.length; i++) px[i] = 128 + Math.floor(rand() * 127);
  const noisy = dir('noisy.png');
  await sharp(px, { raw: { width: 800, height: 560, channels: 3 } })
    .png()
    .toFile(noisy);
  const big = dir('big.jpg');
  await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#ffffff' } })
    .jpeg()
    .toFile(big);
  return { flat, noisy, big };
}

const img = (name: string, abs: string, wrong = false): ReportImage => ({
  name,
  abs,
  ...(wrong ? { wrong } : {}),
});

describe('report images', () => {
  it('embeds a light web-format scan as it is, and re-encodes a heavy or oversized one as JPEG', async () => {
    const t = await testdir({});
    const s = await scans(t.path);
    const images = [img('flat.png', s.flat), img('noisy.png', s.noisy), img('big.jpg', s.big)];
    await embedImages(images, { images: 'all' });
    expect(images[0]!.full).toMatch(/^data:image\/png;base64,/);
    expect(images[1]!.full).toMatch(/^data:image\/jpeg;base64,/);
    expect(images[2]!.full).toMatch(/^data:image\/jpeg;base64,/);
    const big = await sharp(Buffer.from(images[2]!.full!.split(',')[1]!, 'base64')).metadata();
    expect(Math.max(big.width!, big.height!)).toBe(1000);
    // Sizes are the scan's own, for the field box.
    expect(images.map((i) => [i.width, i.height])).toEqual([
      [800, 560],
      [800, 560],
      [2400, 1600],
    ]);
    for (const i of images) {
      expect(i.thumb).toBeUndefined();
      expect(i.abs).toBeUndefined();
    }
    await t.cleanup();
  });

  it('gives an image with a wrong answer an enlarged view only, and any other a thumbnail only', async () => {
    const t = await testdir({});
    const s = await scans(t.path);
    const images = [img('wrong', s.noisy, true), img('right', s.noisy)];
    await embedImages(images, { images: 'errors', cacheDir: t.path('cache') });
    expect(images[0]!.full).toMatch(/^data:image\/jpeg;base64,/);
    expect(images[0]!.thumb).toBeUndefined();
    expect(images[1]!.full).toBeUndefined();
    const thumb = await sharp(Buffer.from(images[1]!.thumb!.split(',')[1]!, 'base64')).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['jpeg', 160, 112]);
    // One cache entry per image and kind; a second build over the same scans gets the same data.
    expect(readdirSync(t.path('cache'))).toHaveLength(2);
    const same = [img('wrong', s.noisy, true), img('right', s.noisy)];
    await embedImages(same, { images: 'errors', cacheDir: t.path('cache') });
    expect(same.map((i) => [i.full, i.thumb])).toEqual(images.map((i) => [i.full, i.thumb]));
    const again = [img('wrong', s.noisy, true), img('right', s.noisy)];
    writeFileSync(s.noisy, 'not an image any more');
    const warnings: string[] = [];
    await embedImages(again, {
      images: 'errors',
      cacheDir: t.path('cache'),
      onWarning: (w) => warnings.push(w),
    });
    // A changed file (size and mtime) is a new key: encoded again, and here unreadable: a warning.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('noisy.png');
    await t.cleanup();
  });

  it('keeps a rotated, CMYK or oversized file away from the as-is path', () => {
    const m = { format: 'jpeg', width: 800, height: 600, space: 'srgb' } as const;
    expect(canEmbedAsIs(m as never, 40_000, 1000)).toBe(true);
    expect(canEmbedAsIs({ ...m, orientation: 6 } as never, 40_000, 1000)).toBe(false);
    expect(canEmbedAsIs({ ...m, space: 'cmyk' } as never, 40_000, 1000)).toBe(false);
    expect(canEmbedAsIs({ ...m, width: 1200 } as never, 40_000, 1000)).toBe(false);
    expect(canEmbedAsIs(m as never, 800 * 600, 1000)).toBe(false);
    expect(canEmbedAsIs({ ...m, format: 'tiff' } as never, 40_000, 1000)).toBe(false);
  });
});
