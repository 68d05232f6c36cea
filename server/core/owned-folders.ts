/**
 * Work folders owned by a process: a load's spool (ingest/spool.ts), the matching refresh's work files
 * (matching/spooled.ts), a bulk screening's upload (server/main.ts). The process removes its folder when
 * it ends; one killed outright cannot, so a folder's name holds its owner's identity (host, pid
 * namespace, pid and start time) and the next process to make one removes the folders of owners that are
 * certainly dead: a pid reused by another process, or a pid of another namespace (a container sharing
 * the folder), is never taken for the owner. Here, below ingest and the API, because the matching refresh
 * (server/core) makes such folders too.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pidAlive, processIdentity } from './net';
import { log } from './logger';

/**
 * This process as the owner of a work folder: the part of the folder's name that says whose it is.
 * Bulk screening uploads are named with it too (server/main.ts gives it to the app).
 */
export function ownerTag(): string {
  let pidns = '';
  try {
    pidns = /\d+/.exec(fs.readlinkSync('/proc/self/ns/pid'))?.[0] ?? '';
  } catch {
    /* no /proc: no namespace to tell */
  }
  const start = processIdentity(process.pid)?.startTime ?? '';
  return [process.pid, short(start), pidns, short(os.hostname())].join('.');
}
const short = (s: string) => crypto.createHash('sha1').update(s).digest('hex').slice(0, 10);

/**
 * Whether the process that made this folder is certainly gone: its name says this host and this pid
 * namespace, and no process has its pid now (or only a zombie: ended, not yet reaped), or the one that
 * has it started at another time (the pid was reused). Anything else (another host or namespace, a name of another shape, a start time that cannot
 * be read) is not certain, and the folder is left alone.
 */
function certainlyDead(name: string, prefix: string, mine: { pidns: string; host: string }): boolean {
  const m = name.startsWith(prefix) ? /^(\d+)\.([0-9a-f]{10})\.(\d*)\.([0-9a-f]{10})-/.exec(name.slice(prefix.length)) : null;
  if (!m || m[3] !== mine.pidns || m[4] !== mine.host) return false;
  const pid = Number(m[1]);
  if (!pidAlive(pid) || isZombie(pid)) return true;
  const now = processIdentity(pid);
  return now !== null && now.startTime !== '' && short(now.startTime) !== m[2];
}

/** A process that has ended and waits only to be reaped by its parent (Linux: state Z; elsewhere: not known, false). */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** A new private folder (0700) in `dir` named `prefix`, this process's owner tag and a random suffix. */
export function makeOwnedFolder(dir: string, prefix: string): string {
  const made = fs.mkdtempSync(path.join(dir, `${prefix}${ownerTag()}-`));
  // mkdtemp makes it 0700 already; said again so that no umask or platform default can widen it.
  fs.chmodSync(made, 0o700);
  return made;
}

/** Folders under `dir` named `prefix` and an owner's tag whose owner is certainly dead (killed before it could remove its own). */
export function leftoverFolders(dir: string, prefix: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
  const [, , pidns, host] = ownerTag().split('.');
  return names.filter((n) => certainlyDead(n, prefix, { pidns, host })).map((n) => path.join(dir, n));
}

/**
 * Removes the dead owners' folders (`what` names them in the log: a load, a bulk screening); one that
 * cannot be removed is reported and left, never fails the caller.
 */
export function removeLeftoverFolders(dir: string, prefix: string, what: string): void {
  for (const d of leftoverFolders(dir, prefix)) {
    try {
      fs.rmSync(d, { recursive: true, force: true });
      log.info(`Removed the spool folder of ${what} that did not end: ${d}`);
    } catch (err) {
      log.warn(`Could not remove the spool folder of ${what} that did not end (${d}): ${(err as Error).message}; remove it by hand`);
    }
  }
}
