import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tesseractAdapter } from '../../src/engines/frameworks/tesseract.js';
import { EXECUTOR_IDS, loadExecutor } from '../../src/executors/registry.js';
import type { ServerSpec } from '../../src/executors/types.js';
import { serveFramework } from '../../src/serve/index.js';

// `external` starts nothing, so the shared suite (start, readiness, crash, cleanup) does not apply to it;
// this is its contract: the task's base_url as is, asked like any server, and left running on stop.
let server: Awaited<ReturnType<typeof serveFramework>>;
beforeAll(async () => {
  server = await serveFramework({ framework: 'tesseract', model: 'external-ocr', port: 0 });
});
afterAll(async () => {
  await server.close();
});

function spec(over: Partial<ServerSpec> = {}): ServerSpec {
  return {
    framework: 'tesseract',
    model: 'external-ocr',
    launch: tesseractAdapter.launch({ model: 'external-ocr' }),
    port: 0,
    healthPath: '/health',
    ...over,
  };
}

describe('executor external', () => {
  it("hands over the running server's base_url; stop leaves the user's server running", async () => {
    const external = await loadExecutor('external');
    const started = await external.start(spec({ baseUrl: `${server.url}/v1` }), {
      device: { kind: 'cpu' },
      logDir: '/nonexistent',
    });
    expect(started.baseUrl).toBe(`${server.url}/v1`);
    expect(started.loadMs).toBe(0); // nothing was loaded by us
    const models = await new OpenAI({ baseURL: started.baseUrl, apiKey: 'EMPTY' }).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['external-ocr']);
    await started.stop();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('without a base_url, a usage error that says what to give', async () => {
    const external = await loadExecutor('external');
    await expect(external.start(spec(), { device: { kind: 'cpu' }, logDir: '/tmp' })).rejects.toMatchObject({
      code: 'VLMHB_USAGE',
      message: expect.stringContaining('has no base_url'),
    });
  });

  it('the registry names every executor and refuses an unknown one with a usage error', async () => {
    expect(EXECUTOR_IDS).toEqual(['external', 'local', 'docker', 'apptainer', 'slurm']);
    for (const id of EXECUTOR_IDS) expect((await loadExecutor(id)).id).toBe(id);
    await expect(loadExecutor('kubernetes')).rejects.toMatchObject({
      code: 'VLMHB_USAGE',
      message: expect.stringContaining('known: external, local, docker, apptainer, slurm'),
    });
  });
});
