import { readdirSync, readFileSync } from 'node:fs';

/** `VmRSS` of /proc/<pid>/status in MiB; undefined when the process is gone or /proc is absent. */
export function parseVmRssKb(status: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** Parent pid of every process, from /proc/<pid>/stat (the field after the parenthesised name). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(e), Number(rest[1]));
    } catch {
      // exited between readdir and read
    }
  }
  return out;
}

/** The process and all its descendants. */
export function processTree(pid: number): number[] {
  const pp = parents();
  const children = new Map<number, number[]>();
  for (const [child, parent] of pp) {
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    const p = todo.pop() as number;
    if (out.includes(p)) continue;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/**
 * Resident memory of a server process and its children in MiB (a framework's engine workers, a
 * container runtime's payload), summed from VmRSS; undefined when the process is gone.
 */
export function treeRssMb(pid: number): number | undefined {
  let kb = 0;
  let seen = false;
  for (const p of processTree(pid)) {
    try {
      const v = parseVmRssKb(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (v !== undefined) {
        kb += v;
        seen = true;
      }
    } catch {
      // exited
    }
  }
  return seen ? kb / 1024 : undefined;
}
