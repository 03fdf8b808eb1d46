/**
 * Whether a process with this pid runs. `othersCount`: a process of another user (EPERM)
 * counts as running. Right for a lock, which must not be taken from a live holder; wrong for
 * our own pid files, where a pid reused by someone else's process means ours is gone.
 */
export function alive(pid: number, othersCount = true): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return othersCount && (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
