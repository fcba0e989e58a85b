import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, relative, resolve, sep } from 'node:path';
import { buildReportModel } from '../report/html/index.js';
import { findRunDirs, readRunHeader } from '../report/html/load.js';
import { renderHtml, reportCsp } from '../report/html/render-html.js';
import { compareFields, compareOverall } from './compare.js';
import { comparePage, errorPage, listPage, type RunListItem, VIEWER_CSP } from './pages.js';
import { resolveInside } from './safe-path.js';

export interface ViewerOptions {
  root: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 = any free port. @default 0 */
  port?: number;
  log?: (msg: string) => void;
  /** Encoded images kept between reports; see embedImages. */
  cacheDir?: string;
}

export interface RunningViewer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.csv': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/html; charset=utf-8',
  csp = VIEWER_CSP,
) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(type.startsWith('text/html') ? { 'content-security-policy': csp } : {}),
  });
  res.end(body);
}

/**
 * A read-only viewer of one results folder. Every run is addressed by its path relative to the folder;
 * a run named in a query must be one the folder listing found, and raw files go through resolveInside,
 * so nothing outside the folder is ever read.
 */
export function startViewer(opts: ViewerOptions): Promise<RunningViewer> {
  const root = resolve(opts.root);
  const log = opts.log ?? (() => {});
  const runs = (): Map<string, string> => {
    const out = new Map<string, string>();
    for (const dir of findRunDirs([root])) out.set(relative(root, dir).split(sep).join('/') || '.', dir);
    return out;
  };
  const selected = (url: URL): { dirs: string[] } | { status: 400 | 404; message: string } => {
    const wanted = url.searchParams.getAll('run');
    if (wanted.length === 0) return { status: 400, message: 'name at least one run (?run=...)' };
    const known = runs();
    const dirs: string[] = [];
    for (const w of wanted) {
      const dir = known.get(w);
      if (!dir) return { status: 404, message: `no such run in this folder: ${w}` };
      dirs.push(dir);
    }
    return { dirs };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, errorPage(405, 'read-only viewer'));
    }
    const raw = req.url ?? '/';
    const rawPath = raw.split('?')[0] ?? '/';
    // Raw files first, from the undecoded path: URL parsing would fold '..' away before we could refuse it.
    if (rawPath.startsWith('/files/')) {
      const r = resolveInside(root, rawPath.slice('/files/'.length));
      if (!r.ok)
        return send(
          res,
          r.status,
          errorPage(r.status, r.status === 403 ? 'outside the results folder' : 'not found'),
        );
      const st = statSync(r.abs);
      if (!st.isFile()) return send(res, 404, errorPage(404, 'not a file'));
      res.writeHead(200, {
        'content-type': TYPES[extname(r.abs).toLowerCase()] ?? 'application/octet-stream',
        'content-length': st.size,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'",
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(r.abs).pipe(res);
      return;
    }
    if (rawPath.includes('..') || /%2e%2e/i.test(rawPath)) return send(res, 403, errorPage(403, 'refused'));
    const url = new URL(raw, 'http://viewer.invalid');
    if (url.pathname === '/') {
      const items: RunListItem[] = [];
      for (const [rel, dir] of runs()) {
        try {
          const { task, metrics, sessions } = readRunHeader(dir);
          items.push({
            rel,
            framework: task.framework,
            model: task.model,
            dataset: task.dataset,
            prompts: task.promptCollectionFile?.split(/[\\/]/).pop() ?? null,
            cer: metrics?.overall_with_errors?.['cer'] ?? metrics?.overall?.['cer'] ?? null,
            secondsPerDoc:
              typeof metrics?.speed?.documentLatencyMs.mean === 'number'
                ? metrics.speed.documentLatencyMs.mean / 1000
                : null,
            answered: metrics?.status?.answered ?? metrics?.speed?.requests ?? null,
            date: metrics?.run?.started_at ?? sessions?.sessions[0]?.startedAt ?? null,
          });
        } catch (e) {
          log(`viewer: skipping ${dir}: ${(e as Error).message}`);
        }
      }
      return send(res, 200, listPage(root, items));
    }
    if (url.pathname === '/report' || url.pathname === '/compare') {
      const sel = selected(url);
      if ('status' in sel) return send(res, sel.status, errorPage(sel.status, sel.message));
      if (url.pathname === '/report') {
        const model = await buildReportModel(sel.dirs, {
          onWarning: log,
          ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
        });
        return send(res, 200, renderHtml(model), 'text/html; charset=utf-8', reportCsp());
      }
      if (sel.dirs.length < 2) return send(res, 400, errorPage(400, 'pick two or more runs to compare'));
      const model = await buildReportModel(sel.dirs, { format: 'json', onWarning: log });
      const href = `/report?${url.searchParams.toString()}`;
      return send(
        res,
        200,
        comparePage(
          model.tasks,
          compareOverall(model.tasks),
          compareFields(model.tasks, 'cer'),
          compareFields(model.tasks, 'anls'),
          href,
        ),
      );
    }
    return send(res, 404, errorPage(404, 'not found'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`viewer: ${req.url}: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, errorPage(500, (e as Error).message.split('\n')[0] ?? 'error'));
      else res.destroy();
    });
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      ok({
        url: `http://${host}:${a.port}/`,
        server,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
