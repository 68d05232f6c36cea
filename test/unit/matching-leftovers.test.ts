/**
 * A load killed while its matching refresh runs (issue 11: "SIGKILL during matching leaves a matching-*
 * folder"): the refresh's work folder (server/core/matching/spooled.ts) is named with its process's owner
 * tag (server/core/owned-folders.ts), and the next load's spool (ingest/spool.ts) or the next refresh
 * removes it; a folder of a live process is left alone. The processes are real: a child runs the refresh
 * on the real UN list's parties, stalls after the first page (as a refresh does while the next page
 * is read) and is killed with SIGKILL, with no chance to remove its folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { findCandidatesSpooled, MATCHING_PREFIX } from '../../server/core/matching/spooled';
import { makeOwnedFolder } from '../../server/core/owned-folders';
import { Spool } from '../../ingest/spool';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-matching-leftovers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const UN = path.join(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'un-consolidated-xml-2025-11-18', 'consolidated.xml');

/** A child whose refresh works in `dir` and never ends; resolves with its work folder once made and written to. */
function stalledRefresh(dir: string, name: string): Promise<{ child: ChildProcess; work: string }> {
  const file = path.join(tmp, `${name}.ts`);
  fs.writeFileSync(
    file,
    `import { findCandidatesSpooled } from ${JSON.stringify(path.join(REPO_ROOT, 'server', 'core', 'matching', 'spooled'))};
     import { parseUnXml } from ${JSON.stringify(path.join(REPO_ROOT, 'ingest', 'sources', 'un-xml'))};
     import { matchParties } from ${JSON.stringify(path.join(REPO_ROOT, 'bench', 'matching'))};
     async function* pages() {
       const parties = matchParties(await parseUnXml([${JSON.stringify(UN)}], {})).sort((x, y) => (x.id < y.id ? -1 : 1));
       yield parties;
       console.log('first page done');
       await new Promise(() => setInterval(() => undefined, 1000));
     }
     void findCandidatesSpooled(pages(), { dir: ${JSON.stringify(dir)} });`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      if (!String(d).includes('first page done')) return;
      const work = fs.readdirSync(dir).filter((n) => n.startsWith(MATCHING_PREFIX));
      if (work.length === 1) resolve({ child, work: path.join(dir, work[0]) });
      else reject(new Error(`expected one work folder in ${dir}, found ${JSON.stringify(work)}`));
    });
    child.on('exit', (code) => reject(new Error(`the refresh ended (${code}) before its first page: ${err}`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  const gone = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await gone;
}

test('a refresh killed with SIGKILL leaves its work folder; the next load, or the next refresh, removes it, and not a live one', async () => {
  const [forLoad, forRefresh] = ['load', 'refresh'].map((n) => path.join(tmp, n));
  for (const d of [forLoad, forRefresh]) fs.mkdirSync(d, { mode: 0o700 });
  const [a, b] = await Promise.all([stalledRefresh(forLoad, 'a'), stalledRefresh(forRefresh, 'b')]);
  await Promise.all([kill(a.child), kill(b.child)]);
  // Killed: the folders and their work files stay (what the next process must clean up).
  for (const { work } of [a, b]) expect(fs.readdirSync(work)).toEqual(expect.arrayContaining(['parties.jsonl']));
  // A live process's work folder (this one's) in each.
  const live = [forLoad, forRefresh].map((d) => makeOwnedFolder(d, MATCHING_PREFIX));

  // The next load: its spool removes the dead refresh's folder, not the live one.
  const spool = new Spool(4096, forLoad);
  expect(fs.readdirSync(forLoad).sort()).toEqual([path.basename(live[0]), path.basename(spool.dir)].sort());
  spool.remove();

  // The next refresh: the same, and its own folder is gone when it ends.
  const { candidates } = await findCandidatesSpooled((async function* () {})(), { dir: forRefresh });
  expect(candidates).toEqual([]);
  expect(fs.readdirSync(forRefresh)).toEqual([path.basename(live[1])]);
}, 120_000);
