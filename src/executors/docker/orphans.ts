import { pidAlive } from '../../util/process.js';
import type { ContainerSummary, DockerApi } from './api.js';
import { LABEL } from './body.js';

/**
 * Our containers whose owning vlmhb process is gone: started on this host by a run that was killed with
 * SIGKILL (or lost its machine) before it could stop them. A container from another host, or without the
 * owner labels (made by hand, or by an older version), is never touched; a reused pid keeps its container
 * (the safe side: a leftover, never a live server removed).
 */
export function orphans(
  containers: readonly ContainerSummary[],
  host: string,
  alive: (pid: number) => boolean = pidAlive,
): ContainerSummary[] {
  return containers.filter((c) => {
    const labels = c.Labels ?? {};
    const pid = Number(labels[LABEL.ownerPid]);
    return labels[LABEL.ownerHost] === host && Number.isInteger(pid) && pid > 0 && !alive(pid);
  });
}

/**
 * Stops and removes the orphans, so a dead run's servers hold no GPU, memory or port when the next run
 * starts its own; returns the short ids removed. Failures are reported, not thrown: cleaning up after
 * another run must not fail this one.
 */
export async function removeOrphans(
  api: DockerApi,
  host: string,
  log: (msg: string) => void,
): Promise<string[]> {
  const found = orphans(await api.list([`${LABEL.managed}=1`, `${LABEL.ownerHost}=${host}`]), host);
  const removed: string[] = [];
  for (const c of found) {
    const id = c.Id.slice(0, 12);
    const pid = c.Labels?.[LABEL.ownerPid];
    try {
      if (c.State === 'running') await api.stop(c.Id, 2);
      await api.remove(c.Id);
      removed.push(id);
      log(`executor docker: removed container ${id} left by vlmhb process ${pid}, which is gone`);
    } catch (e) {
      log(
        `executor docker: could not remove container ${id} left by process ${pid}: ${(e as Error).message}`,
      );
    }
  }
  return removed;
}
