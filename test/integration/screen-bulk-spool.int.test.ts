/**
 * The spooled uploads of bulk screening (POST /api/screen/bulk) outlive no server: `npm start`
 * (server/main.ts, a child process on the test run's Neo4j) stopped by SIGTERM while an upload is
 * under way removes it before it exits.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../server/core/net';
import { run, waitFor } from '../commands';
import { externalNeo4jEnv } from '../helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bulk-spool-'));
const spool = path.join(tmp, 'spool');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const uploads = (): string[] => (fs.existsSync(spool) ? fs.readdirSync(spool).filter((n) => n.startsWith('bulk-upload-')) : []);

test('npm start stopped by SIGTERM during a bulk upload removes the upload before it exits', async () => {
  const port = await freePort();
  const server = run('server/main.ts', [], externalNeo4jEnv({ PORT: String(port), INGEST_SPOOL_DIR: spool, LOAD_DEMO_DATA: '0' }));
  try {
    await waitFor('ready', async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), 180_000, 200);
    // An upload that has sent its first rows (names of the 2024-05-03 SDN list) and not yet its end.
    const head = 'ref,name\nA,Pioneer Bencont Star Real Estat\nB,LIMITED LIABILITY COMPANY ALIS\n';
    const req = http.request({ host: '127.0.0.1', port, path: '/api/screen/bulk', method: 'POST', headers: { 'content-type': 'text/csv' } });
    req.on('error', () => undefined);
    req.write(head);
    const file = await waitFor(
      'the upload spooled',
      async () => {
        const [dir] = uploads();
        const f = dir && path.join(spool, dir, 'upload');
        return f && fs.existsSync(f) && fs.statSync(f).size === Buffer.byteLength(head) ? f : undefined;
      },
      60_000,
      20,
    );
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    expect(uploads()).toEqual([]);
    req.destroy();
  } finally {
    server.child.kill('SIGKILL');
  }
}, 300_000);
