// The directories a LALS process keeps only for its lifetime (a prompt cache it cannot share), and their removal when
// a process was killed before it could remove its own.
import { readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

const DIRECTORY_PREFIX = "lals-prompts-";
/**
 * This process's directories start with this: host, pid and the process's start time, so that a directory left with
 * the same pid by an earlier process (a container restarted with the same host name, LALS its pid 1) is not ours.
 */
export const OWN_PREFIX = `${DIRECTORY_PREFIX}${hostname()}-${process.pid}-t${Math.round(performance.timeOrigin).toString(36)}-`;

/**
 * Removes the directories left by a LALS process on this host that no longer runs. Named by host and pid, so that
 * machines or containers sharing the directory leave each other's alone; a directory with this process's pid but not
 * its start time is an earlier process's.
 */
export async function removeAbandonedDirectories(parentDir: string): Promise<void> {
  const names = await readdir(parentDir).catch(() => [] as string[]);
  const thisHost = `${DIRECTORY_PREFIX}${hostname()}-`;
  await Promise.all(names.map(async (name) => {
    if (!name.startsWith(thisHost) || name.startsWith(OWN_PREFIX)) return;
    // <pid>-<suffix> before processes named their start time, <pid>-t<start>-<suffix> since.
    const pid = Number(/^(\d+)-(?:t[0-9a-z]+-)?\w{6}$/.exec(name.slice(thisHost.length))?.[1]);
    if (!Number.isInteger(pid) || (pid !== process.pid && isRunning(pid))) return;
    await rm(join(parentDir, name), { recursive: true, force: true }).catch(() => undefined);
  }));
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
