import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The package root: the page's own script and style ship as source files under src/, also in dist builds. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'report', 'html', 'client')))
      return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('vlmhb: cannot find the report page sources (src/report/html/client)');
    dir = up;
  }
}

export interface PageAssets {
  /** Apache ECharts, the full build: heatmap, boxplot and scatter are not in its smaller builds. */
  echarts: string;
  /** jsdiff (`diff` on npm) for the character diff of expected vs answer. */
  diff: string;
  /** Decodes the packed answer table (client/columns.js, see pack.ts). */
  columns: string;
  app: string;
  css: string;
  /** @font-face rules with PT Sans (Latin + Cyrillic, regular + bold) as data URLs. */
  fonts: string;
}

let cached: PageAssets | undefined;

function font(weight: 400 | 700, subset: 'latin' | 'cyrillic', range: string): string {
  const file = require.resolve(`@fontsource/pt-sans/files/pt-sans-${subset}-${weight}-normal.woff2`);
  const data = readFileSync(file).toString('base64');
  return `@font-face{font-family:'PT Sans';font-style:normal;font-weight:${weight};font-display:swap;src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${range}}`;
}

const LATIN =
  'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+2074,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';
const CYRILLIC = 'U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116';

export function pageAssets(): PageAssets {
  if (cached) return cached;
  const client = join(packageRoot(), 'src', 'report', 'html', 'client');
  cached = {
    echarts: readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8'),
    // diff's exports map hides dist/; its UMD build sits beside package.json.
    diff: readFileSync(join(dirname(require.resolve('diff/package.json')), 'dist', 'diff.min.js'), 'utf8'),
    columns: readFileSync(join(client, 'columns.js'), 'utf8'),
    app: readFileSync(join(client, 'app.js'), 'utf8'),
    css: readFileSync(join(client, 'style.css'), 'utf8'),
    fonts: [
      font(400, 'latin', LATIN),
      font(700, 'latin', LATIN),
      font(400, 'cyrillic', CYRILLIC),
      font(700, 'cyrillic', CYRILLIC),
    ].join('\n'),
  };
  return cached;
}
