import type { GateResult } from './evaluate.js';
import { gateMarkdown } from './markdown.js';

/** XML text and attribute escaping; drops characters XML 1.0 cannot carry at all. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Local time without zone, as the Ant JUnit schema's timestamp pattern wants it. */
function isoSeconds(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/**
 * The gate as JUnit XML, one testcase per measured check (GitLab's and GitHub's test report widgets
 * show failures by name). Written to validate against both schemas CI tools read: the Jenkins JUnit XSD
 * and the stricter Apache Ant one (which has no `skipped`: unmeasured checks are listed in system-out
 * instead of as testcases). A run that could not be compared is one testcase with an `error`.
 */
export function gateJUnit(
  r: GateResult,
  opts: { timestamp: Date; hostname: string; seconds?: number },
): string {
  const a = (k: string, v: string | number) => ` ${k}="${xmlEscape(String(v))}"`;
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  if (r.verdict === 'incomparable') {
    errors = 1;
    cases.push(
      `    <testcase${a('name', 'compare runs')}${a('classname', 'vlmhb.gate')}${a('time', 0)}>\n      <error${a('message', r.incomparable?.reason ?? 'could not compare')}${a('type', r.incomparable?.code ?? 'incomparable')}>${xmlEscape(r.incomparable?.reason ?? '')}</error>\n    </testcase>`,
    );
  }
  for (const c of r.checks) {
    if (c.status === 'not_measured') continue;
    const open = `    <testcase${a('name', c.name)}${a('classname', `vlmhb.gate.${c.metric}`)}${a('time', 0)}`;
    if (c.status === 'fail') {
      failures++;
      cases.push(
        `${open}>\n      <failure${a('message', c.message)}${a('type', `${c.metric}_regression`)}>${xmlEscape(c.message)}</failure>\n    </testcase>`,
      );
    } else cases.push(`${open}/>`);
  }
  const props = [
    ['baseline', r.baseline.dir],
    ['baseline.model', `${r.baseline.framework} ${r.baseline.model}`],
    ['candidate', r.candidate.dir],
    ['candidate.model', `${r.candidate.framework} ${r.candidate.model}`],
    ['verdict', r.verdict],
    ['confidence', String(r.thresholds.confidence)],
  ].map(([k, v]) => `      <property${a('name', k as string)}${a('value', v as string)}/>`);
  const notMeasured = r.checks
    .filter((c) => c.status === 'not_measured')
    .map((c) => `${c.name}: ${c.message}`);
  const out = `${gateMarkdown(r)}${notMeasured.length ? `\nNot measured:\n${notMeasured.join('\n')}\n` : ''}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites>',
    `  <testsuite${a('name', 'vlmhb gate')}${a('package', 'vlmhb.gate')}${a('id', 0)}${a('timestamp', isoSeconds(opts.timestamp))}${a('hostname', opts.hostname || 'localhost')}${a('tests', cases.length)}${a('failures', failures)}${a('errors', errors)}${a('time', (opts.seconds ?? 0).toFixed(3))}>`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...cases,
    `    <system-out>${xmlEscape(out)}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
