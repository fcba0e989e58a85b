import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact, registerSecret } from '../../../src/util/redact.js';
import { vlmhb } from '../../helpers/cli.js';
import { writeMiniDataset } from '../../helpers/mini-dataset.js';

const KEY = 'sk-test-Secr3tValue-0123456789';

/**
 * A misbehaving server on 127.0.0.1: lists one model, then answers every chat request with an error body
 * that echoes the request's Authorization header and the bare key, as some proxies do.
 */
let server: ReturnType<typeof createServer>;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const auth = String(req.headers.authorization ?? '');
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"object":"list","data":[{"id":"m"}]}');
        return;
      }
      const bare = auth.replace(/^Bearer /, '');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: `bad request; you sent authorization: ${auth} (key ${bare})` } }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secrets stay out of results, logs and stdout', () => {
  it('redacts the API key a server echoes in its error body', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vlmhb-secret-'));
    const dataset = writeMiniDataset(join(root, 'ds'));
    const out = join(root, 'run');
    const r = await vlmhb(
      [
        'run',
        '--dataset',
        dataset,
        '--framework',
        'openai',
        '--model',
        'm',
        '--base-url',
        baseUrl,
        '--api-key-env',
        'VLMHB_TEST_KEY',
        '--out',
        out,
        '--json',
      ],
      { env: { VLMHB_TEST_KEY: KEY } },
    );
    const answers = readFileSync(join(out, 'answers.jsonl'), 'utf8');
    // The failure is recorded (so the test would notice if nothing was asked) ...
    expect(answers).toContain('http_4xx');
    expect(answers).toContain('you sent authorization: Bearer [REDACTED] (key [REDACTED])');
    // ... and the key is nowhere: not in any file of the run, not on stdout or stderr.
    for (const f of filesUnder(root)) {
      if (f.endsWith('.png')) continue;
      expect(readFileSync(f, 'utf8'), f).not.toContain('Secr3tValue');
    }
    expect(String(r.stdout)).not.toContain('Secr3tValue');
    expect(String(r.stderr)).not.toContain('Secr3tValue');
  }, 60_000);

  it('redact() replaces registered values, their JSON-escaped form and any bearer token', () => {
    registerSecret('ab"cd\\ef-123');
    expect(redact('x ab"cd\\ef-123 y')).toBe('x [REDACTED] y');
    expect(redact(JSON.stringify({ k: 'ab"cd\\ef-123' }))).toBe('{"k":"[REDACTED]"}');
    expect(redact('Authorization: Bearer eyJhbGciOi.abc-def_ghi')).toBe('Authorization: Bearer [REDACTED]');
    expect(redact('short EMPTY words stay')).toBe('short EMPTY words stay');
  });
});
