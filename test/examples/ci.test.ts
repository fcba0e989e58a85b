import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, vlmhb } from '../helpers/cli.js';

const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

/** The job names docs/ci.md promises, from its jobs table. */
function documentedJobs(): string[] {
  const doc = read('docs/ci.md');
  const table = doc.slice(doc.indexOf('| job | runs on |'));
  return [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1] as string);
}

type Job = Record<string, unknown> & { script?: string[]; needs?: string[]; stage?: string };

const gitlab = parse(read('examples/ci/.gitlab-ci.yml')) as Record<string, unknown> & { stages: string[] };
const github = parse(read('examples/ci/github/model-gate.yml')) as {
  jobs: Record<string, { needs?: string | string[]; steps: { run?: string; uses?: string }[] }>;
};
const gitlabJobs = Object.fromEntries(
  Object.entries(gitlab).filter(
    ([k, v]) => !['stages', 'variables', 'workflow'].includes(k) && typeof v === 'object',
  ),
) as Record<string, Job>;

/** Every `vlmhb <command> …` invocation in the pipelines, flags included. */
function vlmhbCalls(): { command: string[]; flags: string[] }[] {
  const text = [
    ...Object.values(gitlabJobs).flatMap((j) => j.script ?? []),
    ...Object.values(github.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')),
  ].join('\n');
  return [...text.replace(/\\\n/g, ' ').matchAll(/npx vlmhb ((?:[a-z]+ )?[a-z]+)\b([^\n|>]*)/g)].map((m) => ({
    command: (m[1] as string).split(' ').filter((w) => !w.startsWith('-')),
    flags: [...(m[2] as string).matchAll(/(--[a-z-]+)/g)].map((f) => f[1] as string),
  }));
}

describe('CI examples', () => {
  it('docs/ci.md names the jobs, and so does the README', () => {
    expect(documentedJobs()).toEqual(['build-model-image', 'benchmark', 'gate']);
    const readme = read('README.md');
    const gate = readme.slice(readme.indexOf('## The CI gate'));
    const named = [
      ...gate
        .slice(0, gate.indexOf('\n## '))
        .matchAll(/`([a-z]+(?:-[a-z]+)*)`\s+(?:builds|benchmarks|gates)/g),
    ];
    expect(named.map((m) => m[1])).toEqual(documentedJobs());
  });

  it('the GitLab pipeline is valid YAML with exactly those jobs, wired in stage order', () => {
    expect(Object.keys(gitlabJobs)).toEqual(documentedJobs());
    for (const [name, job] of Object.entries(gitlabJobs)) {
      expect(gitlab.stages, name).toContain(job.stage);
      for (const n of job.needs ?? []) expect(gitlabJobs, `${name} needs ${n}`).toHaveProperty(n);
      expect(Array.isArray(job.script), name).toBe(true);
    }
    expect(gitlabJobs['benchmark']?.['tags']).toEqual(['gpu']);
    const gate = gitlabJobs['gate'] as Job & { artifacts: { reports: { junit: string } } };
    expect(gate.artifacts.reports.junit).toBe('gate-junit.xml');
    expect(gate.script?.join('\n')).toMatch(/vlmhb gate[\s\S]*--junit gate-junit\.xml/);
  });

  it('the GitHub workflow is valid YAML with exactly those jobs', () => {
    expect(Object.keys(github.jobs)).toEqual(documentedJobs());
    for (const [name, job] of Object.entries(github.jobs)) {
      const needs = job.needs === undefined ? [] : [job.needs].flat();
      for (const n of needs) expect(github.jobs, `${name} needs ${n}`).toHaveProperty(n);
      for (const s of job.steps) expect(s.run !== undefined || s.uses !== undefined, name).toBe(true);
    }
    const gate = github.jobs['gate']?.steps ?? [];
    expect(gate.some((s) => s.uses?.startsWith('mikepenz/action-junit-report'))).toBe(true);
    expect(gate.map((s) => s.run ?? '').join('\n')).toMatch(/vlmhb gate[\s\S]*--junit gate-junit\.xml/);
  });

  it('every vlmhb command and flag the pipelines use exists', async () => {
    const calls = vlmhbCalls();
    expect(calls.map((c) => c.command.join(' '))).toEqual(
      expect.arrayContaining(['dataset generate', 'run', 'check', 'gate']),
    );
    const help = new Map<string, string>();
    for (const c of calls) {
      const key = c.command.join(' ');
      if (!help.has(key)) help.set(key, String((await vlmhb([...c.command, '--help'])).stdout));
      for (const f of c.flags) expect(help.get(key), `vlmhb ${key} ${f}`).toContain(`${f} `);
    }
  }, 60_000);
});
