import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tesseractAdapter } from '../../src/engines/frameworks/tesseract.js';
import type { Device, Executor, RunningServer, ServerSpec, StartContext } from '../../src/executors/types.js';
import { renderLabelCard } from '../serve/render.js';

export interface ExecutorSuiteOptions {
  /** Executor-specific spec fields, e.g. `image` for container executors. */
  spec?: Partial<ServerSpec>;
  device?: Device;
  /**
   * Things the executor may have left behind that carry `marker` (containers with our labels, jobs);
   * must return [] after every stop. The suite itself checks the process table.
   */
  leftovers?: (marker: string) => Promise<string[]>;
  /** Readiness timeout for the "never ready" case (long enough to start on a loaded machine). @default 10000 */
  neverReadyTimeoutMs?: number;
}

/** Processes whose command line contains `marker` (every server here carries it in `--model`). */
export function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(marker)) found.push(`${pid}: ${cmd.trim()}`);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

const card = renderLabelCard([
  ['Фамилия', 'Иванова'],
  ['СНИЛС', '123-456-789 64'],
]);

/**
 * The suite every executor passes (see src/executors/types.ts): a real `vlmhb serve --framework tesseract`
 * started through the executor answers a real OCR question; its log is kept; a server that exits early or
 * never gets ready fails with its log tail and leaves nothing running; stop is idempotent.
 */
export function testExecutor(
  name: string,
  makeExecutor: () => Executor | Promise<Executor>,
  opts: ExecutorSuiteOptions = {},
): void {
  describe(`executor ${name} (shared suite)`, () => {
    const dirs: string[] = [];
    const started: RunningServer[] = [];
    const markers: string[] = [];

    function fresh(): { marker: string; ctx: StartContext } {
      const marker = `suite-${name}-${randomBytes(4).toString('hex')}`;
      markers.push(marker);
      const logDir = mkdtempSync(join(tmpdir(), `vlmhb-exec-${name}-`));
      dirs.push(logDir);
      return { marker, ctx: { device: opts.device ?? { kind: 'cpu' }, logDir } };
    }

    function tesseractSpec(marker: string, over: Partial<ServerSpec> = {}): ServerSpec {
      const at = (bind: { host: string; port: number }) =>
        tesseractAdapter.launch({ model: marker, host: bind.host, port: bind.port });
      return {
        framework: 'tesseract',
        model: marker,
        launch: at({ host: '127.0.0.1', port: tesseractAdapter.defaultPort }),
        launchAt: at,
        port: 0,
        healthPath: tesseractAdapter.healthPath,
        ...opts.spec,
        ...over,
      };
    }

    async function expectNothingLeft(marker: string): Promise<void> {
      expect(processesWith(marker)).toEqual([]);
      if (opts.leftovers) expect(await opts.leftovers(marker)).toEqual([]);
    }

    afterEach(async () => {
      await Promise.allSettled(started.splice(0).map((s) => s.stop()));
    });
    afterAll(async () => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
      // Belt and braces: the whole suite left nothing behind, whatever a failed case did.
      for (const m of markers) await expectNothingLeft(m);
    });

    it('starts a real tesseract server that answers an OCR question; logs kept; stop leaves nothing', async () => {
      const executor = await makeExecutor();
      const { marker, ctx } = fresh();
      const server = await executor.start(tesseractSpec(marker), ctx);
      started.push(server);

      expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      expect(server.loadMs).toBeGreaterThan(0);
      const root = server.baseUrl.replace(/\/v1$/, '');
      expect((await fetch(`${root}/health`)).status).toBe(200);

      const client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'EMPTY', maxRetries: 0 });
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toEqual([marker]);
      const r = await client.chat.completions.create({
        model: marker,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: `data:image/png;base64,${card.toString('base64')}` } },
              { type: 'text', text: 'Номер СНИЛС?' },
            ],
          },
        ],
        temperature: 0,
      });
      expect(r.choices[0]?.message.content).toBe('123-456-789 64');

      expect(server.logFile).toBe(join(ctx.logDir, 'server.log'));
      expect(readFileSync(server.logFile, 'utf8')).toContain(`vlmhb: serving tesseract at`);
      expect(server.tail()).toContain('vlmhb: serving tesseract');

      await server.stop();
      await expectNothingLeft(marker);
      await expect(fetch(`${root}/health`)).rejects.toThrow();
      // Idempotent: a second and a concurrent stop resolve and change nothing.
      await Promise.all([server.stop(), server.stop()]);
      await expectNothingLeft(marker);
    });

    it('a server that exits before it is ready fails with its log tail; nothing is left', async () => {
      const executor = await makeExecutor();
      const { marker, ctx } = fresh();
      const broken = (bind: { host: string; port: number }) => ({
        argv: ['vlmhb', 'serve', '--framework', `no-such-engine-${marker}`, '--port', String(bind.port)],
        env: {},
      });
      const spec = tesseractSpec(marker, {
        launch: broken({ host: '127.0.0.1', port: 1 }),
        launchAt: broken,
      });
      const t0 = Date.now();
      const err = await executor.start(spec, { ...ctx, readyTimeoutMs: 120_000 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'VLMHB_SERVER_FAILED' });
      const message = (err as Error).message;
      expect(message).toContain('exited before it was ready');
      // The tail quotes the server's own words, so the user sees why without opening the log.
      expect(message).toContain(`unknown framework "no-such-engine-${marker}"`);
      expect(Date.now() - t0).toBeLessThan(60_000); // failed fast, not at the 120 s timeout
      expect(existsSync(join(ctx.logDir, 'server.log'))).toBe(true);
      await expectNothingLeft(marker);
    });

    it('a server that never gets ready times out and is cleaned up', async () => {
      const executor = await makeExecutor();
      const { marker, ctx } = fresh();
      const timeoutMs = opts.neverReadyTimeoutMs ?? 10_000;
      // A real server whose health path answers 404 forever: up, but never ready.
      const spec = tesseractSpec(marker, { healthPath: '/never-ready' });
      const err = await executor.start(spec, { ...ctx, readyTimeoutMs: timeoutMs }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'VLMHB_SERVER_FAILED' });
      expect((err as Error).message).toContain(`was not ready after ${Math.round(timeoutMs / 1000)} s`);
      expect((err as Error).message).toContain('vlmhb: serving tesseract');
      await expectNothingLeft(marker);
    });

    it('an aborted start stops the server', async () => {
      const executor = await makeExecutor();
      const { marker, ctx } = fresh();
      const ac = new AbortController();
      const spec = tesseractSpec(marker, { healthPath: '/never-ready' });
      const pending = executor.start(spec, { ...ctx, signal: ac.signal, readyTimeoutMs: 120_000 });
      setTimeout(() => ac.abort(), 1_500);
      await expect(pending).rejects.toMatchObject({ code: 'VLMHB_SERVER_FAILED' });
      await expectNothingLeft(marker);
    });
  });
}
