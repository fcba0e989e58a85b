import { createRequire } from 'node:module';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/**
 * Fonts come from npm packages only, never from the system, so every machine draws the same
 * glyphs. @fontsource splits a face into Cyrillic and Latin files; both are registered under
 * separate names and listed together, and the canvas falls back glyph by glyph along the list.
 * DejaVu (full coverage) ends every list so no glyph ever reaches a system font.
 */
const require = createRequire(import.meta.url);

function pkgDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/**
 * `mono` is the typewriter face (DejaVu Sans Mono first: Tesseract confuses PT Mono's 3 and 5); `ptmono`
 * is PT Mono. `arimo`, `tinos` and `cousine` are metric twins of Arial, Times New Roman and Courier New,
 * the faces office printers and passport-desk software print values in; `hand` (Caveat) stands for values
 * written by hand in cursive, `block` (Neucha) for a form filled in by hand in block letters.
 */
export type Family = 'sans' | 'serif' | 'mono' | 'ptmono' | 'arimo' | 'tinos' | 'cousine' | 'hand' | 'block';

type Face = { pkg: string; file: string; weights: number[]; italic: boolean };
const FACES: Record<Exclude<Family, 'ptmono'>, Face> = {
  sans: { pkg: '@fontsource/pt-sans', file: 'pt-sans', weights: [400, 700], italic: true },
  serif: { pkg: '@fontsource/pt-serif', file: 'pt-serif', weights: [400, 700], italic: true },
  mono: { pkg: '@fontsource/pt-mono', file: 'pt-mono', weights: [400], italic: false },
  arimo: { pkg: '@fontsource/arimo', file: 'arimo', weights: [400, 700], italic: true },
  tinos: { pkg: '@fontsource/tinos', file: 'tinos', weights: [400, 700], italic: true },
  cousine: { pkg: '@fontsource/cousine', file: 'cousine', weights: [400, 700], italic: false },
  hand: { pkg: '@fontsource/caveat', file: 'caveat', weights: [400, 700], italic: false },
  block: { pkg: '@fontsource/neucha', file: 'neucha', weights: [400], italic: false },
};

const DV_SANS = [
  'DejaVuSans.ttf',
  'DejaVuSans-Bold.ttf',
  'DejaVuSans-Oblique.ttf',
  'DejaVuSans-BoldOblique.ttf',
];
const DV_SERIF = [
  'DejaVuSerif.ttf',
  'DejaVuSerif-Bold.ttf',
  'DejaVuSerif-Italic.ttf',
  'DejaVuSerif-BoldItalic.ttf',
];
const DV_MONO = ['DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf', 'DejaVuSansMono-Oblique.ttf'];
const DEJAVU: Record<Exclude<Family, 'ptmono'>, string[]> = {
  sans: DV_SANS,
  serif: DV_SERIF,
  mono: DV_MONO,
  arimo: DV_SANS,
  tinos: DV_SERIF,
  cousine: DV_MONO,
  hand: DV_SANS,
  block: DV_SANS,
};

let registered = false;

export function ensureFonts(): void {
  if (registered) return;
  for (const [family, face] of Object.entries(FACES) as [keyof typeof FACES, Face][]) {
    const dir = path.join(pkgDir(face.pkg), 'files');
    for (const subset of ['cyrillic', 'latin'] as const) {
      for (const w of face.weights) {
        for (const style of face.italic ? ['normal', 'italic'] : ['normal']) {
          const file = path.join(dir, `${face.file}-${subset}-${w}-${style}.woff2`);
          GlobalFonts.registerFromPath(file, `vlmhb-${family}-${subset}`);
        }
      }
    }
    const dv = path.join(pkgDir('dejavu-fonts-ttf'), 'ttf');
    for (const f of DEJAVU[family]) GlobalFonts.registerFromPath(path.join(dv, f), `vlmhb-${family}-dejavu`);
  }
  registered = true;
}

export interface FontOpts {
  bold?: boolean;
  italic?: boolean;
}

/** A canvas font string for one of our families. */
export function font(family: Family, px: number, opts: FontOpts = {}): string {
  const style = opts.italic ? 'italic ' : '';
  const weight = opts.bold ? 'bold ' : '';
  const list =
    family === 'mono'
      ? '"vlmhb-mono-dejavu"'
      : family === 'ptmono'
        ? '"vlmhb-mono-cyrillic", "vlmhb-mono-latin", "vlmhb-mono-dejavu"'
        : `"vlmhb-${family}-cyrillic", "vlmhb-${family}-latin", "vlmhb-${family}-dejavu"`;
  return `${style}${weight}${px.toFixed(1)}px ${list}`;
}
