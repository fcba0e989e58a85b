import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFramework } from '../../../src/serve/index.js';
import { vlmhb } from '../../helpers/cli.js';
import { writeMiniDataset } from '../../helpers/mini-dataset.js';

/**
 * FAKE vLLM-shaped server on 127.0.0.1 (real HTTP, fixed answers): /health and /v1/... answer, anything
 * else is 404, as vLLM's router does. Counts chat requests.
 */
let server: ReturnType<typeof createServer>;
let root: string;
let chats = 0;
let auth: string[] = [];
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/health') return json(200, {});
      if (path === '/v1/models') return json(200, { object: 'list', data: [{ id: 'm' }] });
      if (path === '/v1/chat/completions') {
        chats++;
        auth.push(String(req.headers.authorization));
        // A streamed request gets Server-Sent Events, as vLLM sends them.
        if (/"stream":\s*true/.test(body)) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const chunk = (delta: object, finish: string | null) =>
            `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
          res.end(
            `${chunk({ role: 'assistant', content: 'Иванов' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`,
          );
          return;
        }
        return json(200, {
          choices: [{ index: 0, message: { role: 'assistant', content: 'Иванов' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        });
      }
      json(404, { detail: 'Not Found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const dataset = () => writeMiniDataset(join(mkdtempSync(join(tmpdir(), 'vlmhb-srv-')), 'ds'));
const withoutKey = () => {
  const env = { ...process.env };
  delete env['OPENAI_API_KEY'];
  return env;
};

// Runs start in a scratch folder: a run without --out writes ModelsAnswers/, ModelsMetrics/ and Reports/
// into the working directory, which must not be the checkout.
const run = (args: string[], opts: Parameters<typeof vlmhb>[1] = {}) =>
  vlmhb(args, { cwd: mkdtempSync(join(tmpdir(), 'vlmhb-cwd-')), ...opts });

describe('remote server checks', () => {
  it('a base URL without /v1 is caught by the probe, with the fix, before any request', async () => {
    chats = 0;
    const r = await run([
      'run',
      '--dataset',
      dataset(),
      '--framework',
      'vllm',
      '--model',
      'm',
      '--base-url',
      root,
    ]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(
      `${root}/models is 404 while ${root}/v1/models answers: the base URL lacks /v1`,
    );
    expect(r.stderr).toContain(`--base-url ${root}/v1`);
    expect(chats).toBe(0);
    const ok = await run([
      'run',
      '--dataset',
      dataset(),
      '--framework',
      'vllm',
      '--model',
      'm',
      '--base-url',
      `${root}/v1`,
    ]);
    expect(ok.exitCode, String(ok.stderr)).toBe(0);
    expect(chats).toBeGreaterThan(0);
  }, 60_000);

  it('the openai framework needs no OPENAI_API_KEY for a server on 127.0.0.1 or localhost', async () => {
    auth = [];
    const r = await run(
      ['run', '--dataset', dataset(), '--framework', 'openai', '--model', 'm', '--base-url', `${root}/v1`],
      { env: withoutKey(), extendEnv: false },
    );
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(auth.length).toBeGreaterThan(0);
    const local = `http://localhost:${new URL(root).port}/v1`;
    const r2 = await run(
      ['run', '--dataset', dataset(), '--framework', 'openai', '--model', 'm', '--base-url', local],
      {
        env: withoutKey(),
        extendEnv: false,
      },
    );
    expect(r2.exitCode, String(r2.stderr)).toBe(0);
  }, 60_000);

  it('still demands the key for a remote host, and for a variable the user named', async () => {
    const remote = await run(
      [
        'run',
        '--dataset',
        dataset(),
        '--framework',
        'openai',
        '--model',
        'm',
        '--base-url',
        'https://api.example.invalid/v1',
      ],
      { env: withoutKey(), extendEnv: false },
    );
    expect(remote.exitCode).not.toBe(0);
    expect(remote.stderr).toMatch(/environment variable OPENAI_API_KEY is not set/);
    const named = await run(
      [
        'run',
        '--dataset',
        dataset(),
        '--framework',
        'openai',
        '--model',
        'm',
        '--base-url',
        `${root}/v1`,
        '--api-key-env',
        'MY_UNSET_KEY',
      ],
      { env: withoutKey(), extendEnv: false },
    );
    expect(named.exitCode).not.toBe(0);
    expect(named.stderr).toMatch(/environment variable MY_UNSET_KEY is not set/);
  }, 60_000);

  it('serve --framework vllm refuses to guess an upstream and exits 2', async () => {
    const r = await vlmhb(['serve', '--framework', 'vllm', '--model', 'm', '--port', '0']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /serve --framework vllm proxies a running vllm server: give its URL with --upstream/,
    );
  });

  it('serve --framework vllm --upstream proxies to the given server', async () => {
    chats = 0;
    const proxy = await serveFramework({ framework: 'vllm', model: 'm', port: 0, upstream: `${root}/v1` });
    try {
      const image = `data:image/png;base64,${Buffer.from(writeMiniPng()).toString('base64')}`;
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'm',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Фамилия?' },
                { type: 'image_url', image_url: { url: image } },
              ],
            },
          ],
        }),
      });
      const body = (await res.json()) as { choices: { message: { content: string } }[] };
      expect(res.status).toBe(200);
      expect(body.choices[0]?.message.content).toBe('Иванов');
      expect(chats).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});

function writeMiniPng(): Buffer {
  // 1×1 white PNG.
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC',
    'base64',
  );
}
