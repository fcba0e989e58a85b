/**
 * A contact sheet of every template style: one rendered page per (kind, style, seed), labelled with the
 * style and whether it is held out. `npx tsx bench/variety.ts [--out docs/img/synth-variety.png]
 * [--seeds 2] [--cell 300]`; the README's picture is made by this script.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import sharp from 'sharp';
import { ensureFonts, font } from '../src/synth/render/fonts.js';
import { pageSharp } from '../src/synth/render/page.js';
import { DOC_KINDS, templates } from '../src/synth/templates/index.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/img/synth-variety.png' },
    seeds: { type: 'string', default: '2' },
    cell: { type: 'string', default: '300' },
    kinds: { type: 'string' },
  },
});
const cell = Number(values.cell);
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => 101 + i);
const kinds = values.kinds ? (values.kinds.split(',') as typeof DOC_KINDS) : DOC_KINDS;
const pages: { label: string; png: Buffer; row: number }[] = [];
for (const [row, kind] of kinds.entries()) {
  const t = templates[kind];
  for (const st of t.styles) {
    for (const seed of seeds) {
      const doc = await t.render(t.sample(seed, st.id), seed, st.id);
      const png = await pageSharp(doc).resize(cell, cell, { fit: 'inside' }).png().toBuffer();
      pages.push({ label: `${st.id}${st.heldOut ? ' (held out)' : ''}`, png, row });
    }
  }
}
// One row per kind, its styles side by side.
const cols = Math.max(...kinds.map((k) => templates[k].styles.length)) * seeds.length;
const rows = kinds.length;
const gap = 8;
const lab = 20;
ensureFonts();
const canvas = createCanvas(cols * (cell + gap) + gap, rows * (cell + lab + gap) + gap);
const g = canvas.getContext('2d');
g.fillStyle = '#3a3d42';
g.fillRect(0, 0, canvas.width, canvas.height);
const inRow = new Map<number, number>();
for (const p of pages) {
  const i = inRow.get(p.row) ?? 0;
  inRow.set(p.row, i + 1);
  const x = gap + i * (cell + gap);
  const y = gap + p.row * (cell + lab + gap);
  const img = await loadImage(p.png);
  g.drawImage(img, x + (cell - img.width) / 2, y + cell - img.height);
  g.fillStyle = '#e8e8e8';
  g.font = font('sans', 14);
  g.fillText(p.label, x + 2, y + cell + 15, cell - 4);
}
// Palette PNG keeps the sheet small enough for the README.
writeFileSync(
  values.out,
  await sharp(await canvas.encode('png'))
    .png({ palette: true, colours: 128 })
    .toBuffer(),
);
process.stderr.write(`variety: ${pages.length} pages → ${values.out}\n`);
