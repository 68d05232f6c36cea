/**
 * The spooled uploads of bulk screening (POST /api/screen/bulk) outlive no server: `npm start`
 * (server/main.ts, a child process on the test run's Neo4j) stopped by SIGTERM while an upload is
 * under way removes it before it exits; those of a server killed outright (SIGKILL) are removed when
 * the next one starts, and only those (ingest/spool.ts: the folder's name says whose it is).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ownerTag } from '../../ingest/spool';
import { freePort } from '../../server/core/net';
import { run, waitFor } from '../commands';
import { externalNeo4jEnv } from '../helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bulk-spool-'));
const spool = path.join(tmp, 'spool');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const uploads = (): string[] => (fs.existsSync(spool) ? fs.readdirSync(spool).filter((n) => n.startsWith('bulk-upload-')) : []);

/** `npm start` on the test run's Neo4j with this test's spool folder, once it answers. */
async function start(port: number) {
  const server = run('server/main.ts', [], externalNeo4jEnv({ PORT: String(port), INGEST_SPOOL_DIR: spool, LOAD_DEMO_DATA: '0' }));
  await waitFor('ready', async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), 180_000, 200);
  return server;
}

/** An upload that has sent its first rows (names of the 2024-05-03 SDN list) and not yet its end, once it is spooled. */
async function uploadUnderWay(port: number): Promise<{ req: http.ClientRequest; file: string }> {
  const before = new Set(uploads());
  const head = 'ref,name\nA,Pioneer Bencont Star Real Estat\nB,LIMITED LIABILITY COMPANY ALIS\n';
  const req = http.request({ host: '127.0.0.1', port, path: '/api/screen/bulk', method: 'POST', headers: { 'content-type': 'text/csv' } });
  req.on('error', () => undefined);
  req.write(head);
  const file = await waitFor(
    'the upload spooled',
    async () => {
      const dir = uploads().find((d) => !before.has(d));
      const f = dir && path.join(spool, dir, 'upload');
      return f && fs.existsSync(f) && fs.statSync(f).size === Buffer.byteLength(head) ? f : undefined;
    },
    60_000,
    20,
  );
  return { req, file };
}

test('npm start stopped by SIGTERM during a bulk upload removes the upload before it exits', async () => {
  const port = await freePort();
  const server = await start(port);
  try {
    const { req, file } = await uploadUnderWay(port);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    expect(uploads()).toEqual([]);
    req.destroy();
  } finally {
    server.child.kill('SIGKILL');
  }
}, 300_000);

test('the uploads of a server killed outright are removed when the next one starts; a live owner\'s are kept', async () => {
  const port = await freePort();
  const killed = await start(port);
  let next: Awaited<ReturnType<typeof start>> | undefined;
  try {
    const { req, file } = await uploadUnderWay(port);
    killed.child.kill('SIGKILL');
    await killed.exit;
    req.destroy();
    // Left behind: nothing of the killed server ran on its way out.
    expect(fs.existsSync(file)).toBe(true);
    const left = path.basename(path.dirname(file));
    // An upload folder of a process that is alive (this test's own): not the next server's to remove.
    const live = path.join(spool, `bulk-upload-${ownerTag()}-live`);
    fs.mkdirSync(live);
    next = await start(port);
    expect(uploads()).toEqual([path.basename(live)]);
    expect(next.stderr() + next.stdout()).toContain(`Removed the spool folder of a bulk screening that did not end: ${path.join(spool, left)}`);
  } finally {
    killed.child.kill('SIGKILL');
    next?.child.kill('SIGTERM');
    await next?.exit;
  }
}, 300_000);
