/** Small process and network helpers shared by the launcher, tests and benchmarks. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a port on 127.0.0.1 can be listened on. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Who a process is, beyond its pid (pids are reused): its start time, and its command line. Recorded
 * when we start or adopt a process, and compared by isSameProcess before we trust or signal a pid.
 */
export interface ProcessIdentity {
  pid: number;
  /** Start time as the OS tells it: /proc/<pid>/stat field 22 (clock ticks after boot), else `ps -o lstart`. */
  startTime: string;
}

/** A process as it is now: identity and command line, or null when there is no such process (or it cannot be read). */
export function processInfo(pid: number): (ProcessIdentity & { cmdline: string }) | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    // Linux. The command name (field 2) is in parentheses and may itself contain spaces and ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): a zombie has exited and is only waiting to be reaped.
    if (fields[0] === 'Z') return null;
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, startTime: fields[19], cmdline };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || fs.existsSync('/proc/self/stat')) return null;
  }
  // No /proc (macOS, BSD): ask ps for the same two facts.
  const r = spawnSync('ps', ['-o', 'stat=,lstart=,args=', '-p', String(pid)], { encoding: 'utf8' });
  const m = /^\s*(\S+)\s+(\w{3}\s+\w{3}\s+\d+\s+[\d:]+\s+\d{4})\s+(.*)$/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m || m[1].startsWith('Z')) return null;
  return { pid, startTime: m[2].replace(/\s+/g, ' '), cmdline: m[3].trim() };
}

/** This identity of a pid now, to record; null when the process is gone. */
export function processIdentity(pid: number): ProcessIdentity | null {
  const info = processInfo(pid);
  return info && { pid: info.pid, startTime: info.startTime };
}

/**
 * The one proof that a recorded process is still the same one (not a later process that got its pid):
 * the pid exists, its start time equals the recorded one, and its command line contains every one of
 * `cmdlineHas` (e.g. the Neo4j entry point and our home folder). Any doubt answers false: a process we
 * cannot prove ours is never adopted or signalled.
 */
export function isSameProcess(recorded: Partial<ProcessIdentity> | null | undefined, cmdlineHas: string[] = []): boolean {
  if (!recorded || !Number.isInteger(recorded.pid) || typeof recorded.startTime !== 'string') return false;
  const now = processInfo(recorded.pid!);
  return now !== null && now.startTime === recorded.startTime && cmdlineHas.every((s) => now.cmdline.includes(s));
}

/**
 * Whether a process with this pid exists. Says nothing about whose it is: decisions about a recorded
 * process (adopt it, stop it, take over its lock) use isSameProcess.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
