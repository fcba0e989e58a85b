import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRow } from '../../src/viewer/compare.js';
import { resolveInside } from '../../src/viewer/safe-path.js';
import { launchChromium, watchPage } from '../helpers/browser.js';
import { vlmhb } from '../helpers/cli.js';
import { writeSynthDataset, writeSynthRun } from '../helpers/synth-runs.js';

let root: string;
let results: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vlmhb-view-'));
  results = join(root, 'results');
  const ds = await writeSynthDataset(join(root, 'ds'), { docs: 8, images: 4 });
  writeSynthRun(join(results, 'good'), ds, {
    framework: 'vllm',
    model: 'big-vlm',
    errorRate: 0.05,
    latencyMs: 300,
  });
  writeSynthRun(join(results, 'team', 'fast'), ds, {
    framework: 'sglang',
    model: 'small-vlm',
    errorRate: 0.5,
    latencyMs: 40,
    seed: 3,
  });
  writeFileSync(join(root, 'secret.txt'), 'outside the results folder');
  symlinkSync(join(root, 'secret.txt'), join(results, 'link-out'));
  symlinkSync('/etc', join(results, 'etc-link'));
  writeFileSync(join(results, 'notes.txt'), 'inside');
  mkdirSync(join(results, 'sub'));
  symlinkSync(join(results, 'notes.txt'), join(results, 'sub', 'link-in'));
});

describe('resolveInside', () => {
  it('refuses parent steps however they are spelt, and links that lead out of the folder', () => {
    for (const p of [
      '../secret.txt',
      '%2e%2e/secret.txt',
      '..%2fsecret.txt',
      'sub/..%5c..%5csecret.txt',
      '%2E%2E',
    ]) {
      expect(resolveInside(results, p), p).toEqual({ ok: false, status: 403 });
    }
    expect(resolveInside(results, 'link-out')).toEqual({ ok: false, status: 403 });
    expect(resolveInside(results, 'etc-link/passwd')).toEqual({ ok: false, status: 403 });
    expect(resolveInside(results, 'missing.txt')).toEqual({ ok: false, status: 404 });
    expect(resolveInside(results, 'sub/link-in')).toMatchObject({ ok: true });
    expect(resolveInside(results, 'notes%2Etxt')).toMatchObject({ ok: true });
  });
});

describe('compareRow', () => {
  it('marks the best value and signs each delta against the first run', () => {
    expect(compareRow('CER', [0.2, 0.1, null], true)).toMatchObject({
      best: [1],
      deltas: [null, -0.1, null],
    });
    expect(compareRow('ANLS', [0.5, 0.9], false)).toMatchObject({ best: [1], deltas: [null, 0.4] });
    expect(compareRow('CER', [0.2, null], true).best).toEqual([]);
  });
});

/** A raw request: the path goes on the wire exactly as written (fetch and browsers would normalise it). */
function raw(base: string, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('vlmhb view', () => {
  let child: ReturnType<typeof vlmhb>;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    child = vlmhb(['view', results, '--port', '0']);
    url = await new Promise<string>((ok, fail) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
        if (m) ok(m[0]);
      });
      void child.then((r) => fail(new Error(`viewer exited: ${String(r.stderr)}`)));
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    child?.kill('SIGTERM');
  });

  it('binds 127.0.0.1 and refuses everything outside the results folder', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    for (const p of [
      '/files/../../etc/passwd',
      '/files/%2e%2e/%2e%2e/etc/passwd',
      '/files/..%2f..%2f..%2fetc%2fpasswd',
      '/files/link-out',
      '/files/etc-link/passwd',
    ]) {
      const r = await raw(url, p);
      expect(r.status, p).toBe(403);
      expect(r.body).not.toContain('root:');
      expect(r.body).not.toContain('outside the results folder\n');
    }
    expect((await raw(url, '/report?run=../../etc')).status).toBe(404);
    expect((await raw(url, '/report?run=%2e%2e')).status).toBe(404);
    expect((await raw(url, '/../../etc/passwd')).status).toBe(403);
    expect((await raw(url, '/files/nothing-here.json')).status).toBe(404);
    expect((await raw(url, '/', 'POST')).status).toBe(405);
    const ok = await raw(url, '/files/good/metrics.json');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).task.model).toBe('big-vlm');
  });

  it('lists every run, compares two with per-field deltas and the better one marked', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const log = watchPage(page);
    await page.goto(url);
    const runs = await page.$$eval('#runs tbody tr td:nth-child(2)', (n) => n.map((x) => x.textContent));
    expect(runs).toEqual(['good', 'team/fast']);
    await page.check('input[value="good"]');
    await page.check('input[value="team/fast"]');
    await page.click('#compare');
    await page.waitForSelector('#cmp-fields');
    const cer = await page.$$eval('#cmp-overall tr', (rows) =>
      rows.map((r) =>
        [...r.querySelectorAll('td')].map((c) => ({
          text: c.textContent,
          best: c.classList.contains('best'),
        })),
      ),
    );
    const cerRow = cer.find((r) => r[0]?.text?.startsWith('CER'))!;
    // The run with fewer wrong answers has the lower CER: it is the baseline and marked best.
    expect(cerRow[1]!.best).toBe(true);
    expect(cerRow[2]!.best).toBe(false);
    expect(cerRow[2]!.text).toMatch(/\(\+0\.\d+\)/);
    const fieldRows = await page.$$eval('#cmp-fields tbody tr', (r) => r.length);
    expect(fieldRows).toBe(10);
    expect(await page.$$('#cmp-fields td.best')).not.toHaveLength(0);
    expect(await page.$$('#cmp-fields .worse')).not.toHaveLength(0);
    expect(log.errors).toEqual([]);
    for (const r of log.requests) expect(r.startsWith(url) || r.startsWith('data:'), r).toBe(true);
    await page.close();
  });

  it('opens a run’s report built on the fly, charts drawn, nothing fetched from elsewhere', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const log = watchPage(page);
    await page.goto(url);
    await page.click('a[href="/report?run=team%2Ffast"]');
    await page.waitForSelector('body[data-ready="1"]');
    expect(await page.textContent('#leaderboard')).toContain('small-vlm');
    const canvases = await page.$$eval('[data-chart] canvas', (c) => c.length);
    expect(canvases).toBeGreaterThanOrEqual(5);
    expect(log.errors).toEqual([]);
    for (const r of log.requests) expect(r.startsWith(url) || r.startsWith('data:'), r).toBe(true);
    await page.close();
  });
});
