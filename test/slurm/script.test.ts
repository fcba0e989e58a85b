import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arraySpec, jobScript } from '../../src/slurm/script.js';

describe('jobScript', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlmhb-script-'));

  // The script runs under a real bash with `printf` standing in for the tool: argv and env as the node sees them.
  function runScript(script: string, env: Record<string, string>): string {
    const file = join(dir, `job-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, script);
    return execFileSync('bash', [file], { env: { PATH: process.env['PATH'] ?? '', ...env } }).toString();
  }

  it('picks the task file by SLURM_ARRAY_TASK_ID and passes hostile values literally', () => {
    const files = [join(dir, 'task 0.json'), join(dir, "task '1' $(id).json"), join(dir, 'task-2.json')];
    const script = jobScript({
      command: ['printf', '%s|%s|%s\n', '$MODEL_X'],
      taskFiles: files,
      env: { MODEL_X: 'a b; `rm -rf /`', VLMHB_APPTAINER: '/opt/app tainer' },
      workdir: dir,
    });
    expect(runScript(script, { SLURM_ARRAY_TASK_ID: '1' })).toBe(`$MODEL_X|${files[1]}|\n`);
    expect(runScript(script, {})).toBe(`$MODEL_X|${files[0]}|\n`);
    const env = jobScript({
      command: ['bash', '-c', 'printf "%s\\n" "$MODEL_X" "$VLMHB_APPTAINER" "$PWD" "$1"', 'x'],
      taskFiles: files,
      env: { MODEL_X: 'a b; `rm -rf /`', VLMHB_APPTAINER: '/opt/app tainer' },
      workdir: dir,
    });
    expect(runScript(env, { SLURM_ARRAY_TASK_ID: '2' }).split('\n')).toEqual([
      'a b; `rm -rf /`',
      '/opt/app tainer',
      dir,
      files[2],
      '',
    ]);
  });

  it('runs the files of a unit together: one tool process for the tasks that share its server', () => {
    const script = jobScript({
      command: ['printf', '%s|'],
      taskFiles: [[join(dir, 'a 1.json'), join(dir, "b'2.json")], join(dir, 'c.json')],
      workdir: dir,
    });
    expect(runScript(script, {})).toBe(`${join(dir, 'a 1.json')}|${join(dir, "b'2.json")}|`);
    expect(runScript(script, { SLURM_ARRAY_TASK_ID: '1' })).toBe(`${join(dir, 'c.json')}|`);
    expect(() => runScript(script, { SLURM_ARRAY_TASK_ID: '2' })).toThrow();
  });

  it('refuses a bad environment name and an empty task list', () => {
    expect(() => jobScript({ command: ['x'], taskFiles: ['t'], env: { 'A;B': '1' }, workdir: '/' })).toThrow(
      /environment variable name/,
    );
    expect(() => jobScript({ command: ['x'], taskFiles: [], workdir: '/' })).toThrow(/task file/);
  });

  it('array specs', () => {
    expect(arraySpec(1)).toBe('0');
    expect(arraySpec(3)).toBe('0-2');
  });
});

describe('the command a job runs', () => {
  it('this checkout under this node by default; VLMHB_SLURM_COMMAND as a JSON argv; anything else refused', async () => {
    const { defaultTaskCommand } = await import('../../src/slurm/coordinator.js');
    const [node, cli, ...rest] = defaultTaskCommand({});
    expect(node).toBe(process.execPath);
    expect(cli).toMatch(/bin\/vlmhb\.js$/);
    expect(rest).toEqual(['task', 'run']);
    expect(defaultTaskCommand({ VLMHB_SLURM_COMMAND: '["vlmhb","task","run"]' })).toEqual([
      'vlmhb',
      'task',
      'run',
    ]);
    expect(() => defaultTaskCommand({ VLMHB_SLURM_COMMAND: 'vlmhb task run' })).toThrow(/JSON array/);
  });
});
