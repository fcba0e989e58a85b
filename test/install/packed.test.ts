import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/**
 * The installed tool, as `npm pack` ships it: compiled code only (no src/, no tsx), run from a folder that
 * is not the checkout. Packs a copy of the working tree, so the checkout's own dist/ is never touched
 * while other tests run the CLI from it. Slow (a full tsc build and an npm install): one file, one test.
 */
describe('the packed package, installed into an empty folder', () => {
  it('generates a dataset, runs it and writes the summary from compiled code', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vlmhb-pack-'));
    const copy = join(work, 'checkout');
    mkdirSync(copy);
    for (const f of [
      'bin',
      'src',
      'schema',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'README.md',
      'ARCHITECTURE.md',
    ])
      cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const packed = await execa('npm', ['pack', '--pack-destination', work, '--json', '--silent'], {
      cwd: copy,
    });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('dist/synth/worker.js');
    expect(files.some((f) => f.startsWith('src/'))).toBe(false);

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}\n');
    await execa(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, info!.filename)],
      { cwd: app },
    );
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
    const bin = join(app, 'node_modules', '.bin', 'vlmhb');
    const env = { VLMHB_FROM_SOURCE: '1' }; // no effect without src/: proves the package needs none
    const gen = await execa(
      bin,
      ['dataset', 'generate', '--doc', 'snils', '--count', '2', '--workers', '2', '--out', 'ds'],
      { cwd: app, env, reject: false },
    );
    expect(gen.exitCode, String(gen.stderr)).toBe(0);
    expect(existsSync(join(app, 'ds', 'annotation.csv'))).toBe(true);

    const run = await execa(
      bin,
      ['run', '--dataset', 'ds', '--framework', 'tesseract', '--out', 'run', '--json'],
      {
        cwd: app,
        env,
        reject: false,
      },
    );
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const out = JSON.parse(run.stdout) as { tasks: { overall: { n: number; cer: number } }[] };
    expect(out.tasks[0]?.overall.n).toBeGreaterThan(0);
    expect(readFileSync(join(app, 'run', 'summary.md'), 'utf8')).toMatch(/CER/);
    expect(existsSync(join(app, 'run', 'metrics.json'))).toBe(true);
  }, 600_000);
});
