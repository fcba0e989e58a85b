import { describe, expect, it } from 'vitest';
import { vlmhb } from '../helpers/cli.js';

/** Exit codes as the README states them: 0 ok, 1 a task failed, 2 bad input or usage, 130 interrupted. */
describe('vlmhb exit codes for usage errors', () => {
  it('prints the help on stderr and exits 2 when no command is given', async () => {
    const r = await vlmhb([]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Usage: vlmhb/);
    expect(r.stderr).toMatch(/\brun\b/);
    expect(r.stdout).toBe('');
  });

  it('exits 0 for --help and --version', async () => {
    expect((await vlmhb(['--help'])).exitCode).toBe(0);
    expect((await vlmhb(['--version'])).exitCode).toBe(0);
    expect((await vlmhb(['run', '--help'])).exitCode).toBe(0);
  });

  it.each([
    [['frobnicate'], /unknown command/],
    [['run', '--bogus'], /unknown option '--bogus'/],
    [['eval', '--dataset', 'x'], /required option '--answers/],
    [['dataset', 'validate'], /missing required argument/],
  ])('exits 2 for the option parser error of %j', async (args, message) => {
    const r = await vlmhb(args);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each(['0', '-1', 'abc', '1.5'])('run --concurrency %s exits 2 with one wording', async (v) => {
    const r = await vlmhb(['run', '--dataset', 'nowhere', '--framework', 'tesseract', `--concurrency=${v}`]);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toContain(`--concurrency must be a positive integer (got "${v}")`);
  });

  it.each([
    ['run', '--long-side=-100', '--long-side must be a positive integer (got "-100")'],
    ['run', '--long-side=0', '--long-side must be a positive integer (got "0")'],
    ['throughput', '--long-side=-100', '--long-side must be a positive integer (got "-100")'],
    ['throughput', '--num-prompts=0', '--num-prompts must be a positive integer (got "0")'],
    ['throughput', '--num-prompts=abc', '--num-prompts must be a positive integer (got "abc")'],
    ['throughput', '--request-rate=abc', '--request-rate must be positive numbers or inf (got "abc")'],
    ['throughput', '--request-rate=1,-2', '--request-rate must be positive numbers or inf (got "-2")'],
    ['throughput', '--concurrency=4,0', '--concurrency must be a positive integer (got "0")'],
  ])('%s %s exits 2', async (cmd, flag, message) => {
    const r = await vlmhb([cmd, '--dataset', 'nowhere', '--framework', 'tesseract', flag]);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('throughput against a server framework without --base-url exits 2 and asks for the URL', async () => {
    const r = await vlmhb(['throughput', '--dataset', 'nowhere', '--framework', 'vllm', '--model', 'm']);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toMatch(/needs --base-url/);
  });

  it('throughput accepts inf and decimal rates (the parser lets them through to the dataset check)', async () => {
    const r = await vlmhb([
      'throughput',
      '--dataset',
      'nowhere',
      '--framework',
      'tesseract',
      '--request-rate=inf,0.5',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/dataset folder "nowhere" not found/);
    expect(r.stderr).not.toMatch(/--request-rate/);
  });
});

describe('dataset generate flag values', () => {
  it('rejects a non-positive --long-side item with the shared wording', async () => {
    const r = await vlmhb(['dataset', 'generate', '--out', '/tmp/never-written', '--long-side', '1024,-5']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--long-side must be a positive integer (got "-5")');
  });
});
