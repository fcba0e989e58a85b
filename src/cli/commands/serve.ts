import { serveFramework } from '../../serve/index.js';
import { EXIT } from '../errors.js';

/** Serves until SIGINT/SIGTERM; prints the base URL on stdout so scripts can read it. */
export async function serveCommand(f: {
  framework: string;
  model?: string;
  host: string;
  port: number;
  upstream?: string;
  apiKeyEnv?: string;
}) {
  const server = await serveFramework({
    framework: f.framework,
    ...(f.model ? { model: f.model } : {}),
    ...(f.upstream ? { upstream: f.upstream } : {}),
    ...(f.apiKeyEnv ? { apiKeyEnv: f.apiKeyEnv } : {}),
    host: f.host,
    port: f.port,
  });
  process.stdout.write(`${server.url}\n`);
  process.stderr.write(`vlmhb: serving ${f.framework} at ${server.url}/v1 — Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return EXIT.ok;
}
