import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { beforeAll } from 'vitest';
import { apptainerExecutor } from '../../src/executors/apptainer.js';
import { testExecutor } from './suite.js';

// Real Apptainer (sid's apptainer in a trixie root, scripts/apptainer-wrapper.sh) running the tool's own SIF
// (node + Tesseract + vlmhb, built by scripts/apptainer-up.sh, cached under /var/cache/vlmhb/apptainer).
const UP = fileURLToPath(new URL('../../scripts/apptainer-up.sh', import.meta.url));
const WRAPPER = fileURLToPath(new URL('../../scripts/apptainer-wrapper.sh', import.meta.url));
const spec: { image?: string; options: Record<string, unknown> } = { options: { apptainer_bin: WRAPPER } };

beforeAll(async () => {
  // Cold: two debootstraps and a SIF build (minutes); warm: a hash check (seconds).
  spec.image = (await execa('bash', [UP], { stderr: 'inherit' })).stdout.trim();
}, 1_200_000);

testExecutor('apptainer', () => apptainerExecutor, { spec, neverReadyTimeoutMs: 20_000 });
