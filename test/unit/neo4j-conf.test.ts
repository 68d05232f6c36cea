/**
 * The embedded Neo4j's configuration and guards, without starting it: the generated neo4j.conf, the
 * NEO4J_URI transport check, DATA_DIR and password-file permissions, and the one proof of process identity.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedPassword, neo4jConf } from '../../server/core/neo4j/embedded';
import { isSameProcess, processIdentity } from '../../server/core/net';
import { loadSettings, SettingsError } from '../../server/core/settings';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-conf-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function confOf(env: Record<string, string>): Map<string, string> {
  const text = neo4jConf(loadSettings({ DATA_DIR: tmp, ...env }), { plugins: '/x/plugins', import: '/x/import' });
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  return new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('neo4j.conf', () => {
  test('caps one transaction at half the heap, all of them at 3/4, and bounds every transaction in time', () => {
    const conf = confOf({ NEO4J_HEAP: '2g' });
    expect(conf.get('db.memory.transaction.max')).toBe('1024m');
    expect(conf.get('dbms.memory.transaction.total.max')).toBe('1536m');
    expect(conf.get('db.transaction.timeout')).toBe('900s');
    expect(confOf({ NEO4J_HEAP: '2g', NEO4J_TX_MEMORY: '300m', INGEST_TX_TIMEOUT: '60' })).toEqual(
      new Map([...conf, ['db.memory.transaction.max', '300m'], ['db.transaction.timeout', '60s']]),
    );
  });

  test('listens on 127.0.0.1 only, with authentication, and loads no plugin procedures', () => {
    const conf = confOf({ NEO4J_BOLT_PORT: '7999' });
    expect(conf.get('server.default_listen_address')).toBe('127.0.0.1');
    expect(conf.get('server.bolt.listen_address')).toBe('127.0.0.1:7999');
    expect(conf.get('server.http.enabled')).toBe('false');
    expect(conf.get('dbms.security.auth_enabled')).toBe('true');
    expect(conf.get('server.directories.plugins')).toBe('/x/plugins');
    expect([...conf].filter(([k, v]) => /procedures|apoc/i.test(k + v))).toEqual([]);
  });

  test('a transaction cap not below the heap is refused', () => {
    expect(() => loadSettings({ NEO4J_HEAP: '2g', NEO4J_TX_MEMORY: '2g' })).toThrow(/NEO4J_TX_MEMORY=2g must be at least 1m and less than NEO4J_HEAP \(2g\)/);
    expect(() => loadSettings({ NEO4J_TX_MEMORY: 'lots' })).toThrow(SettingsError);
  });
});

describe('NEO4J_URI transport', () => {
  const withUri = (uri: string, extra: Record<string, string> = {}) => () => loadSettings({ NEO4J_URI: uri, NEO4J_PASSWORD: 'pw', ...extra });

  test.each(['bolt://db.example.org:7687', 'neo4j://10.0.0.5', 'neo4j://user:secret@db.example.org', 'bolt://[2001:db8::1]:7687'])(
    'unencrypted %s to another machine is refused, naming the fix',
    (uri) => {
      expect(withUri(uri)).toThrow(SettingsError);
      expect(withUri(uri)).toThrow(/not encrypted.*\+s:\/\/.*NEO4J_ALLOW_UNENCRYPTED=1/);
      expect(withUri(uri)).not.toThrow(/secret/);
    },
  );

  test.each(['bolt://127.0.0.1:7687', 'neo4j://localhost', 'bolt://[::1]:7687', 'neo4j+s://db.example.org', 'bolt+ssc://10.0.0.5:7687'])(
    '%s is accepted',
    (uri) => {
      expect(withUri(uri)().neo4jUri).toBe(uri);
    },
  );

  test('NEO4J_ALLOW_UNENCRYPTED=1 allows it explicitly', () => {
    expect(withUri('bolt://db.example.org', { NEO4J_ALLOW_UNENCRYPTED: '1' })().neo4jAllowUnencrypted).toBe(true);
  });
});

describe('DATA_DIR and the password file', () => {
  test('DATA_DIR is made owner-only and the password file 0600', () => {
    const dataDir = path.join(tmp, 'fresh');
    const password = embeddedPassword(loadSettings({ DATA_DIR: dataDir }));
    // 32 characters, a letter first (neo4j-admin would read a leading '-' as an option).
    expect(password).toMatch(/^[A-Za-z][\w-]{31}$/);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, 'neo4j-password')).mode & 0o777).toBe(0o600);
    // Read back, not made anew.
    expect(embeddedPassword(loadSettings({ DATA_DIR: dataDir }))).toBe(password);
  });

  test('an existing DATA_DIR open to others is made owner-only', () => {
    const dataDir = path.join(tmp, 'open');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    embeddedPassword(loadSettings({ DATA_DIR: dataDir }));
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  test('a password file readable by others is refused before it is read', () => {
    const dataDir = path.join(tmp, 'readable');
    embeddedPassword(loadSettings({ DATA_DIR: dataDir }));
    fs.chmodSync(path.join(dataDir, 'neo4j-password'), 0o644);
    expect(() => embeddedPassword(loadSettings({ DATA_DIR: dataDir }))).toThrow(/open to other users \(mode 644\); refusing to read it.*chmod 600/);
  });

  test('a password file that is a symbolic link is refused', () => {
    const dataDir = path.join(tmp, 'link');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    const elsewhere = path.join(tmp, 'elsewhere');
    fs.writeFileSync(elsewhere, 'pw\n', { mode: 0o600 });
    fs.symlinkSync(elsewhere, path.join(dataDir, 'neo4j-password'));
    expect(() => embeddedPassword(loadSettings({ DATA_DIR: dataDir }))).toThrow(/is a symbolic link; refusing to read it/);
  });
});

describe('isSameProcess: pid, start time and command line', () => {
  test('a live process is recognised by its recorded identity and command line, and not once it has ended', async () => {
    const child = spawn('sleep', ['30.5'], { stdio: 'ignore' });
    try {
      const id = processIdentity(child.pid!)!;
      expect(id.pid).toBe(child.pid);
      expect(isSameProcess(id)).toBe(true);
      expect(isSameProcess(id, ['sleep 30.5'])).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    expect(isSameProcess({ pid: child.pid!, startTime: processIdentity(process.pid)!.startTime })).toBe(false);
  });

  test('the same pid with another start time, or without the expected command line, is not ours', () => {
    const me = processIdentity(process.pid)!;
    expect(isSameProcess({ ...me, startTime: `${me.startTime}1` })).toBe(false);
    expect(isSameProcess(me, ['org.neo4j.server.CommunityEntryPoint'])).toBe(false);
    expect(isSameProcess({ pid: process.pid })).toBe(false);
    expect(isSameProcess(null)).toBe(false);
  });

  test('a process that has ended is not ours', () => {
    const child = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    const pid = Number(child.stdout.trim());
    expect(processIdentity(pid)).toBeNull();
    expect(isSameProcess({ pid, startTime: '1' })).toBe(false);
  });
});
