/**
 * The watchdog of an embedded Neo4j, run as its own small process by the process that owns the server
 * (embedded.ts, startWatchdog). The owner stops Neo4j on every way out it gets to run code on (signals,
 * uncaught errors, process exit); this covers the one it cannot: being killed with SIGKILL (or the OOM
 * killer).
 *
 * It holds the read end of a pipe whose write end only the owner has: end-of-file means the owner is
 * gone. The server is then left running for NEO4J_ORPHAN_GRACE, so that the next start of the same
 * DATA_DIR can adopt it (a restart after a crash takes seconds instead of a cold start); if nobody has
 * adopted it by then, the watchdog stops it. Why not the kernel's parent-death signal (setpriv
 * --pdeathsig, prctl)? It would stop the server at once, and Neo4j cannot ask for it from Java.
 *
 * Usage: node --import tsx watchdog.ts '<json WatchdogArgs>'  (no secrets on the command line)
 */
import fs from 'node:fs';
import { isSameProcess, ProcessIdentity } from '../net';

export interface WatchdogArgs {
  server: ProcessIdentity;
  /** What the server's command line must contain to be ours (entry point, home folder). */
  cmdlineHas: string[];
  owner: ProcessIdentity;
  /** The server record (run/server.json): an adopter writes its own identity there as `owner`. */
  record: string;
  graceMs: number;
}

const args = JSON.parse(process.argv[2]) as WatchdogArgs;
const say = (msg: string) => process.stderr.write(`${new Date().toISOString()} watchdog of Neo4j ${args.server.pid}: ${msg}\n`);
const serverRuns = () => isSameProcess(args.server, args.cmdlineHas);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The owner named by the server record now, if it is a live process other than the one that died. */
function adoptedBy(): ProcessIdentity | null {
  try {
    const rec = JSON.parse(fs.readFileSync(args.record, 'utf8')) as { server?: ProcessIdentity; owner?: ProcessIdentity };
    const sameServer = rec.server?.pid === args.server.pid && rec.server?.startTime === args.server.startTime;
    const newOwner = rec.owner && !(rec.owner.pid === args.owner.pid && rec.owner.startTime === args.owner.startTime);
    return sameServer && newOwner && isSameProcess(rec.owner) ? rec.owner! : null;
  } catch {
    return null;
  }
}

async function ownerGone(): Promise<void> {
  const deadline = Date.now() + args.graceMs;
  while (Date.now() < deadline) {
    if (!serverRuns()) process.exit(0); // stopped by its owner on the way out
    const adopter = adoptedBy();
    if (adopter) {
      say(`owner ${args.owner.pid} gone; adopted by ${adopter.pid}`);
      process.exit(0);
    }
    await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
  }
  if (!serverRuns() || adoptedBy()) process.exit(0);
  say(`owner ${args.owner.pid} is gone and nobody adopted the server within ${args.graceMs / 1000} s: stopping it`);
  process.kill(args.server.pid, 'SIGTERM');
  const killAt = Date.now() + 60_000;
  while (serverRuns() && Date.now() < killAt) await sleep(500);
  if (serverRuns()) {
    say('did not stop within 60 s: killing it');
    process.kill(args.server.pid, 'SIGKILL');
  }
  try {
    const rec = JSON.parse(fs.readFileSync(args.record, 'utf8')) as { server?: ProcessIdentity };
    if (rec.server?.pid === args.server.pid && rec.server?.startTime === args.server.startTime) fs.rmSync(args.record, { force: true });
  } catch {
    /* no record: nothing to remove */
  }
  process.exit(0);
}

let noticed = false;
const onOwnerGone = () => {
  if (noticed) return;
  noticed = true;
  void ownerGone();
};
process.stdin.on('data', () => undefined);
process.stdin.once('end', onOwnerGone);
process.stdin.once('close', onOwnerGone);
process.stdin.once('error', onOwnerGone);
say(`watching for owner ${args.owner.pid}`);
setInterval(() => {
  // Nothing to watch once the server has ended while the owner lives (the owner restarts it with a new watchdog).
  if (!noticed && !serverRuns()) process.exit(0);
  // The pipe's end-of-file is the quick signal; the owner's identity is the sure one (a pipe end that some
  // other process came to hold would otherwise hide the owner's death for ever).
  if (!isSameProcess(args.owner)) onOwnerGone();
}, 2000);
