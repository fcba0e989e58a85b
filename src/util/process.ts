/**
 * Whether a process id is alive on this machine: signal 0 checks without sending anything, and EPERM
 * means it exists but belongs to someone else. For owners recorded in a lock file or a container label.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
