import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { VlmhbError } from '../../errors.js';
import { defaultImageCacheDir } from '../../report/html/images.js';
import { startViewer } from '../../viewer/server.js';
import { EXIT } from '../errors.js';

export async function viewCommand(dir: string, f: { host: string; port: number }): Promise<number> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new VlmhbError('VLMHB_FILE_NOT_FOUND', 'results folder not found', { where: { file: root } });
  }
  const viewer = await startViewer({
    root,
    host: f.host,
    port: f.port,
    cacheDir: defaultImageCacheDir(),
    log: (m) => process.stderr.write(`${m}\n`),
  }).catch((e: NodeJS.ErrnoException) => {
    throw new VlmhbError('VLMHB_USAGE', `cannot listen on ${f.host}:${f.port}: ${e.code ?? e.message}`, {
      where: { key: '--port' },
      cause: e,
    });
  });
  process.stderr.write(`vlmhb view: serving ${root} read-only at ${viewer.url} (Ctrl-C to stop)\n`);
  process.stdout.write(`${viewer.url}\n`);
  // Stopping the viewer is its normal end, so a signal exits 0 once open connections are dropped.
  await new Promise<void>((done) => {
    const stop = () => {
      viewer.server.closeAllConnections();
      void viewer.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}
