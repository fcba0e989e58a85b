import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportModel, renderReport } from '../../src/report/html/index.js';
import { loadRuns, readAnswers } from '../../src/report/html/load.js';
import type { ReportModel } from '../../src/report/html/model.js';
import { defaultLimits, paretoFront, verdictOf } from '../../src/report/html/verdict.js';
import { launchChromium, watchPage } from '../helpers/browser.js';
import { vlmhb } from '../helpers/cli.js';
import { writeSynthDataset, writeSynthRun } from '../helpers/synth-runs.js';
import { caught, testdir } from '../helpers/testdir.js';
import {
  buildFixture,
  CACHED_IDS,
  MATCHED_SECOND,
  type ReportFixture,
  XSS_ANSWER,
  XSS_PROMPT_ANSWER,
} from './fixture.js';

let fx: ReportFixture;
let model: ReportModel;
beforeAll(async () => {
  fx = await buildFixture();
  model = await buildReportModel([fx.results], { images: 'none' });
});

describe('report data model', () => {
  it('finds every run under a results folder, nested ones included, and reads their answers', () => {
    expect(model.tasks.map((t) => t.id).sort()).toEqual(['tesseract-1600', 'tesseract-800', 'vlm-hostile']);
    const full = model.tasks.find((t) => t.id === 'tesseract-1600')!;
    const count = model.answers.task.filter((ti) => model.tasks[ti]!.id === 'tesseract-1600').length;
    expect(count).toBe(32);
    expect(full.status).toMatchObject({
      answered: 32,
      total: 32,
      failed: 0,
      partial: false,
      source: 'metrics',
    });
  });

  it('scores each answer so that the rows agree with the run’s own metrics.json', () => {
    for (const dir of fx.real) {
      const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
      const ti = model.tasks.findIndex((t) => t.dir === dir);
      const answers = readAnswers(join(dir, 'answers.jsonl'));
      const rows = model.answers.task.flatMap((t, i) => (t === ti ? [i] : []));
      expect(rows).toHaveLength(answers.length);
      rows.forEach((row, k) => {
        const id = answers[k]!.id;
        expect(model.answers.cer[row]).toBeCloseTo(metrics.by_id[String(id)].cer, 4);
        expect(model.answers.anls[row]).toBeCloseTo(metrics.by_id[String(id)].anls, 4);
      });
    }
  });

  it('shows the result contract fields when present and n/a when absent', () => {
    const hostile = model.tasks.find((t) => t.id === 'vlm-hostile')!;
    expect(hostile.gpuMemoryGb).toBe(17);
    expect(hostile.cost).toEqual({ per1000: 1.45, currency: 'USD', pricePerHour: 2.5 });
    expect(hostile.limitsSource).toBe('metrics.json');
    expect(hostile.verdict).toBe('fail');
    expect(hostile.run.machine).toBe('gpu-box-1 (32 CPUs, linux)');
    expect(hostile.frameworkVersion).toBe('vllm-synth-1.0');
    const real = model.tasks.find((t) => t.id === 'tesseract-1600')!;
    expect(real.limitsSource).toBe('defaults');
    expect(real.gpuMemoryGb).toBeNull();
    expect(real.limits.find((l) => l.name === 'gpu_memory_gb')?.pass).toBeNull();
    const md = renderReport(model, 'md');
    expect(md).toContain('1.45 USD');
    expect(md).toMatch(/GPU GB ≤ 48: n\/a/);
    // anls is a floor: the verdict reads "≥".
    expect(md).toContain('ANLS ≥ 0.95: FAIL');
  });

  it('marks answers served from the answer cache and shows the reference each answer was scored against', () => {
    const ti = model.tasks.findIndex((t) => t.id === 'vlm-hostile');
    expect(model.tasks[ti]!.status.fromCache).toBe(CACHED_IDS.length);
    // The hostile run's rows are its items 0..29 in id order.
    const rows = model.answers.task.flatMap((t, i) => (t === ti ? [i] : []));
    expect(rows.filter((r) => model.answers.fromCache[r] === 1).map((r) => rows.indexOf(r))).toEqual(
      CACHED_IDS,
    );
    const real = model.tasks.find((t) => t.id === 'tesseract-1600')!;
    expect(real.status.fromCache).toBe(0);
    // Item 11 answered «АННА-МАРИ»: closest to the second reference, so scored and shown against it.
    const r11 = rows[11]!;
    expect(model.answers.references[r11]).toEqual(['АННА', 'АННА-МАРИЯ']);
    expect(model.answers.answer[r11]).toBe(MATCHED_SECOND);
    expect(model.answers.matched[r11]).toBe(1);
    expect(model.answers.expected[r11]).toBe('АННА-МАРИЯ');
    expect(model.answers.cer[r11]).toBeCloseTo(1 / 10, 4);
    const r3 = rows[3]!;
    expect(model.answers.matched[r3]).toBe(0);
    expect(model.answers.expected[r3]).toBe('АННА');
    expect(model.answers.references[rows[2]!]).toBeNull();
    expect(model.answers.matched[rows[2]!]).toBeNull();
    expect(renderReport(model, 'html')).toContain(`${CACHED_IDS.length} answers from cache</span>`);
    expect(renderReport(model, 'md')).toContain(
      `From the answer cache (not asked now, left out of the speed figures): vllm · Qwen/Qwen2.5-VL-7B-Instruct ${CACHED_IDS.length}.`,
    );
  });

  it('detects the resolution sweep and ranks tasks the same way in Markdown and JSON', () => {
    expect(model.sweeps).toHaveLength(1);
    expect(model.sweeps[0]!.points.map((p) => p.value)).toEqual([800, 1600]);
    const json = JSON.parse(renderReport(model, 'json'));
    expect(json.leaderboard).toEqual(model.leaderboard.map((i) => model.tasks[i]!.id));
    const md = renderReport(model, 'md');
    const order = json.leaderboard.map((id: string) => model.tasks.find((t) => t.id === id)!.label);
    const positions = order.map((label: string) => md.indexOf(`| ${label.replace(/\|/g, '\\|')} |`));
    expect(positions.every((p: number) => p > 0)).toBe(true);
    expect([...positions].sort((a: number, b: number) => a - b)).toEqual(positions);
  });

  it('puts prompt collections side by side when tasks differ only in them, and draws that chart', async () => {
    const t = await testdir({});
    const ds = await writeSynthDataset(t.path('ds'), { docs: 4, images: 2 });
    for (const [name, errorRate] of [
      ['v1.csv', 0.4],
      ['v2.csv', 0.1],
    ] as const) {
      writeSynthRun(t.path('results', name), ds, {
        framework: 'vllm',
        model: 'm',
        promptCollection: name,
        errorRate,
      });
    }
    const m = await buildReportModel([t.path('results')], { images: 'none' });
    expect(m.promptComparisons).toEqual([{ label: 'vllm · m · synth', tasks: [0, 1] }]);
    expect(m.sweeps).toEqual([]);
    expect(renderReport(m, 'html')).toContain('id="chart-prompts-0"');
    await t.cleanup();
  });

  it('refuses a broken metrics.json naming the file', async () => {
    const t = await testdir({
      'run/task.json': JSON.stringify({ datasetDir: '/nowhere', dataset: 'x', framework: 'f', model: 'm' }),
      'run/metrics.json': '{"overall": {"cer": "zero"}}',
    });
    const e = await caught(() => loadRuns([t.dir]));
    expect(e.code).toBe('VLMHB_RUN_INVALID');
    expect(e.message).toContain(join(t.dir, 'run', 'metrics.json'));
    expect(e.message).toContain('overall.cer');
    await t.cleanup();
  });

  it('names the line of a corrupt answers.jsonl record and skips a torn last line', async () => {
    const good = JSON.stringify({
      id: 0,
      docId: 'd',
      docClass: 'c',
      questionType: 'q',
      prompt: 'p',
      answer: 'a',
      error: null,
      latencyMs: 1,
    });
    const t = await testdir({
      'a.jsonl': `${good}\n{"id": 1\n${good}\n`,
      'b.jsonl': `${good}\n{"id": 1, "doc`,
    });
    const e = await caught(() => readAnswers(t.path('a.jsonl')));
    expect(e.code).toBe('VLMHB_ANSWERS_INVALID');
    expect(e.message).toContain('row 2');
    expect(readAnswers(t.path('b.jsonl'))).toHaveLength(1);
    await t.cleanup();
  });
});

describe('verdict rules', () => {
  it('fails a task over a limit, passes one under all measured limits, and calls unmeasured n/a', () => {
    expect(verdictOf(defaultLimits({ secondsPerDoc: 2, gpuMemoryGb: null, cer: 0.1 }))).toBe('fail');
    expect(verdictOf(defaultLimits({ secondsPerDoc: 0.5, gpuMemoryGb: 20, cer: 0.1 }))).toBe('pass');
    // One slow document fails the hard limit even when the mean is fine.
    expect(
      verdictOf(defaultLimits({ secondsPerDoc: 0.5, maxSecondsPerDoc: 6, gpuMemoryGb: 20, cer: 0.1 })),
    ).toBe('fail');
    expect(verdictOf(defaultLimits({ secondsPerDoc: null, gpuMemoryGb: null, cer: null }))).toBe('n/a');
    expect(verdictOf(defaultLimits({ secondsPerDoc: 0.5, gpuMemoryGb: 20, cer: 0.1, cerTarget: 0.05 }))).toBe(
      'fail',
    );
  });

  it('keeps on the Pareto front only tasks no other task beats on CER and seconds at once', () => {
    const t = (cer: number, s: number) =>
      ({ overall: { cer }, overallWithErrors: null, secondsPerDoc: s, gpuMemoryGb: null }) as never;
    expect(paretoFront([t(0.1, 1), t(0.05, 2), t(0.2, 3), t(0.05, 1.5)])).toEqual([0, 3]);
  });
});

describe('vlmhb report in headless Chromium', () => {
  let browser: Browser;
  let html: string;
  let file: string;
  beforeAll(async () => {
    browser = await launchChromium();
    file = join(fx.root, 'report.html');
    const r = await vlmhb(['report', fx.results, '--out', file]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    html = readFileSync(file, 'utf8');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('is one self-contained file under a no-network policy, with untrusted text escaped', () => {
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/,
    );
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:|\/\/|file:)/i);
    expect(html).not.toContain(XSS_ANSWER);
    expect(html).not.toContain(XSS_PROMPT_ANSWER);
    expect(html).toContain('\\u003cimg src=x onerror=alert(1)>');
  });

  it('renders with no console errors, no request but the file itself, and every chart drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const log = watchPage(page);
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="1"]');
    const charts = await page.$$eval('[data-chart]', (nodes) =>
      nodes.map((n) => {
        const c = n.querySelector('canvas');
        if (!c) return { id: n.id, ink: 0 };
        const g = c.getContext('2d')!;
        const px = g.getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) ink++;
        return { id: n.id, ink };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'chart-heatmap',
        'chart-doctype',
        'chart-split',
        'chart-latency',
        'chart-pareto',
        'chart-sweep',
      ]),
    );
    for (const c of charts) expect(c.ink, c.id).toBeGreaterThan(1000);
    expect(log.errors).toEqual([]);
    // data: URLs (the inlined thumbnails and fonts) are not requests that leave the page.
    expect(log.requests.filter((u) => !u.startsWith('data:'))).toEqual([`file://${file}`]);
    await page.close();
  });

  it('filters and sorts the error browser, and shows hostile answers as text without running them', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const log = watchPage(page);
    await page.goto(`file://${file}`);
    await page.waitForSelector('.eb-row');
    const count = () => page.textContent('#row-count');
    const wrongOnly = await count();
    await page.uncheck('#f-wrong');
    const all = await count();
    expect(all).toMatch(/^(\d+) of \1 answers$/);
    expect(all).not.toBe(wrongOnly);

    const task = model.tasks.findIndex((t) => t.id === 'vlm-hostile');
    await page.selectOption('#f-task', String(task));
    expect(await count()).toBe(`30 of ${model.answers.task.length} answers`);
    const field = await page.$eval(
      '#f-field',
      (s) =>
        [...s.querySelectorAll('option')].find((o) => o.textContent === 'Фамилия')!.getAttribute('value')!,
    );
    await page.selectOption('#f-field', field);
    const rowFields = await page.$$eval('.eb-row .c-task .muted', (n) => n.map((x) => x.textContent));
    expect(rowFields.length).toBeGreaterThan(0);
    for (const f of rowFields) expect(f).toContain('Фамилия');

    await page.selectOption('#f-field', '');
    // Polled from Node: the page's CSP forbids the string evaluation waitForFunction would use.
    const rowsShow = async (text: string) => {
      await expect.poll(() => page.textContent('#row-count')).toMatch(/^1 of /);
      await expect.poll(() => page.textContent('.eb-row .c-diff')).toContain(text);
    };
    await page.fill('#f-text', 'onerror');
    await rowsShow('onerror');
    const diffText = await page.textContent('.eb-row .c-diff');
    expect(diffText).toContain(XSS_ANSWER);
    expect(await page.$$('.eb-row img[src="x"]')).toHaveLength(0);

    await page.fill('#f-text', 'pwned');
    await rowsShow('pwned');
    expect(await page.textContent('.eb-row .c-diff')).toContain(XSS_PROMPT_ANSWER);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');

    await page.fill('#f-text', '');
    await page.selectOption('#f-task', '');
    const n = model.answers.task.length;
    await expect.poll(() => page.textContent('#row-count')).toBe(`${n} of ${n} answers`);
    await page.click('#eb-head [data-sort="cer"]');
    const cers = await page.$$eval('.eb-row .c-cer', (n) => n.map((x) => x.textContent));
    const nums = cers.filter((x) => x !== 'n/a').map(Number);
    expect(nums.length).toBeGreaterThan(3);
    expect([...nums].sort((a, b) => b - a)).toEqual(nums);

    expect(log.dialogs).toEqual([]);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('shows the cache badge on the task, marks cached rows, and labels the matched reference', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const log = watchPage(page);
    await page.goto(`file://${file}`);
    await page.waitForSelector('.eb-row');
    const badges = await page.$$eval('#leaderboard .chip.cache', (n) => n.map((x) => x.textContent));
    expect(badges).toEqual([`${CACHED_IDS.length} answers from cache`]);
    const task = model.tasks.findIndex((t) => t.id === 'vlm-hostile');
    await page.uncheck('#f-wrong');
    await page.selectOption('#f-task', String(task));
    // Rows in id order; the first ones in view include items 5–7.
    const marks = await page.$$eval('.eb-row', (rows) =>
      rows.map((r) => [Number(r.getAttribute('data-index')), r.querySelector('.cache-mark') !== null]),
    );
    const first = Math.min(...marks.map(([i]) => i as number));
    expect(marks.filter(([, m]) => m).map(([i]) => (i as number) - first)).toEqual(CACHED_IDS);
    await page.fill('#f-text', MATCHED_SECOND.toLowerCase());
    await expect.poll(() => page.textContent('#row-count')).toMatch(/^1 of /);
    expect(await page.textContent('.eb-row .c-diff .lbl')).toBe('exp 2/2');
    expect(await page.getAttribute('.eb-row .c-diff .lbl', 'title')).toBe(
      'accepted answers: АННА | АННА-МАРИЯ',
    );
    expect(await page.textContent('.eb-row .c-diff')).toContain('АННА-МАРИЯ');
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('renders only the visible rows and enlarges an image with the field box drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`file://${file}`);
    await page.waitForSelector('.eb-row');
    await page.uncheck('#f-wrong');
    const rendered = await page.$$eval('.eb-row', (n) => n.length);
    expect(rendered).toBeLessThan(model.answers.task.length);
    // Enlarged views are embedded for images with a wrong answer (the default --images errors).
    await page.check('#f-wrong');
    await page.click('.eb-row .c-img img');
    await page.waitForSelector('#lightbox:not([hidden])');
    const box = await page.$eval('#lb-box', (b) => ({
      hidden: b.hasAttribute('hidden'),
      w: b.getBoundingClientRect().width,
      h: b.getBoundingClientRect().height,
    }));
    expect(box.hidden).toBe(false);
    expect(box.w).toBeGreaterThan(10);
    expect(box.h).toBeGreaterThan(3);
    expect(await page.evaluate("document.querySelector('#lb-img').naturalWidth")).toBeGreaterThan(400);
    await page.keyboard.press('Escape');
    expect(await page.$eval('#lightbox', (l) => l.hasAttribute('hidden'))).toBe(true);
    await page.close();
  });

  it('writes the Markdown summary and exits 1 with --check when a task fails its limits', async () => {
    const md = join(fx.root, 'summary.md');
    const r = await vlmhb(['report', fx.results, '--out', md, '--check']);
    expect(r.exitCode).toBe(1);
    expect(readFileSync(md, 'utf8')).toMatch(/^# VLMHyperBench report\n/);
    const none = await vlmhb(['report', join(fx.root, 'ds')]);
    expect(none.exitCode).toBe(2);
    expect(String(none.stderr)).toContain('no run folders');
  });
});
