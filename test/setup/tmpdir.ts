import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One scratch folder for the whole test run: every test file's mkdtemp(tmpdir()), and every child process
// it starts (the CLI, servers, Slurm jobs), land under it through TMPDIR, and it is removed when the run
// ends. Without it each run left thousands of folders (gigabytes of images and logs) in /tmp.
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'vlmhb-tests-'));
  process.env['TMPDIR'] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
