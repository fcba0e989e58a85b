/**
 * Every server an executor started and has not stopped yet, so that one call stops them all when the
 * run is interrupted (Ctrl-C, SIGTERM from a scheduler) and no process or container outlives the tool.
 */
const live = new Set<() => Promise<void>>();

/** Registers a started server's stop; the returned function unregisters it (call it once stopped). */
export function trackServer(stop: () => Promise<void>): () => void {
  live.add(stop);
  return () => {
    live.delete(stop);
  };
}

export function liveServers(): number {
  return live.size;
}

/** Stops every tracked server, all at once; resolves when each has stopped or failed to. */
export async function stopAllServers(): Promise<void> {
  const stops = [...live];
  live.clear();
  await Promise.allSettled(stops.map((s) => s()));
}

/**
 * On SIGINT/SIGTERM: stop every tracked server, then exit 130 (interrupted). For a process that owns no
 * other cleanup; a caller with its own (the task layer) calls `stopAllServers` from its handler instead.
 * Returns a function that removes the handlers.
 */
export function stopServersOnSignals(log: (msg: string) => void = () => {}): () => void {
  let stopping = false;
  const handler = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`vlmhb: ${sig}: stopping ${live.size} server(s)`);
    void stopAllServers().finally(() => process.exit(130));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
