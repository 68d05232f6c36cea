/**
 * The parts of access control that need no server: parsing API keys, reading the key of a request,
 * roles, Host names, the admission queue, and the access settings. Over HTTP: test/integration/security.int.test.ts.
 */
import type { IncomingMessage } from 'node:http';
import { Admission } from '../../server/api/admission';
import { authenticate, keyOf, KeyStore, parseApiKeys, requireRole, REVIEW_KEY_OWNER, sha256Hex } from '../../server/api/auth';
import { hostNameOf, isLoopbackHost } from '../../server/api/security';
import { BusyError } from '../../server/core/errors';
import { accessSettings, SettingsError } from '../../server/core/settings';

const KEY = 'sg_unit-test-key-0123456789abcdef';
const line = (o: Record<string, unknown>) => JSON.stringify(o);

/** A request with exactly these raw headers (name, value, name, value, ...). */
const req = (...raw: string[]) => ({ rawHeaders: raw }) as unknown as IncomingMessage;

describe('API keys', () => {
  test('JSON lines with comments and blank lines, or one JSON array; hashes in any case', () => {
    const text = ['# keys', line({ owner: ' alice ', role: 'viewer', sha256: sha256Hex(KEY).toUpperCase() }), '', line({ owner: 'bob', role: 'admin', sha256: sha256Hex('other') })].join('\n');
    expect(parseApiKeys(text, 'f')).toEqual([
      { owner: 'alice', role: 'viewer', sha256: sha256Hex(KEY) },
      { owner: 'bob', role: 'admin', sha256: sha256Hex('other') },
    ]);
    expect(parseApiKeys(`[${line({ owner: 'c', role: 'reviewer', sha256: sha256Hex(KEY) })}]`, 'f')).toHaveLength(1);
  });

  test.each([
    ['a line that is not JSON', 'not json', /f:1: not a JSON object/],
    ['no owner', line({ owner: '', role: 'viewer', sha256: sha256Hex(KEY) }), /f:1: "owner"/],
    ['an unknown role', line({ owner: 'a', role: 'root', sha256: sha256Hex(KEY) }), /f:1: "role" must be one of viewer, reviewer, admin/],
    ['the key itself instead of its hash', line({ owner: 'a', role: 'viewer', sha256: KEY }), /f:1: "sha256" must be the SHA-256 of the key/],
    ['one key twice', `${line({ owner: 'a', role: 'viewer', sha256: sha256Hex(KEY) })}\n${line({ owner: 'b', role: 'admin', sha256: sha256Hex(KEY) })}`, /f:2: the same key is listed twice/],
    ['a broken array', '[1,', /f: not valid JSON/],
  ])('refused, naming the line: %s', (_what, text, message) => {
    expect(() => parseApiKeys(text, 'f')).toThrow(SettingsError);
    expect(() => parseApiKeys(text, 'f')).toThrow(message);
  });

  test('a key is known by its hash; REVIEW_API_KEY is the reviewer "review key" while it is set', () => {
    const keys = new KeyStore(parseApiKeys(line({ owner: 'alice', role: 'viewer', sha256: sha256Hex(KEY) }), 'f'));
    expect(keys.principalOf(KEY, null)).toEqual({ owner: 'alice', role: 'viewer' });
    expect(keys.principalOf(`${KEY}x`, null)).toBeNull();
    expect(keys.principalOf('review-key-0123456789', 'review-key-0123456789')).toEqual({ owner: REVIEW_KEY_OWNER, role: 'reviewer' });
    expect(keys.principalOf('review-key-0123456789', null)).toBeNull();
  });
});

describe('the key of a request', () => {
  test('x-api-key or Authorization: Bearer, in any letter case of the header name', () => {
    expect(keyOf(req('Content-Type', 'application/json'))).toBeNull();
    expect(keyOf(req('X-API-Key', KEY))).toBe(KEY);
    expect(keyOf(req('authorization', `Bearer ${KEY}`))).toBe(KEY);
    expect(keyOf(req('Authorization', `bearer  ${KEY}`))).toBe(KEY);
  });

  test('sent twice, or in both headers: 400; empty or not Bearer: 401', () => {
    expect(() => keyOf(req('x-api-key', KEY, 'x-api-key', KEY))).toThrow(expect.objectContaining({ status: 400, code: 'BAD_USER_INPUT' }));
    expect(() => keyOf(req('x-api-key', KEY, 'Authorization', `Bearer ${KEY}`))).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => keyOf(req('x-api-key', ' '))).toThrow(expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED' }));
    expect(() => keyOf(req('Authorization', `Basic ${KEY}`))).toThrow(expect.objectContaining({ status: 401 }));
  });

  test('an unknown key is refused and never named in the message', () => {
    const keys = new KeyStore([]);
    for (const review of [null, 'review-key-0123456789']) {
      let message = '';
      try {
        authenticate(req('x-api-key', KEY), keys, review);
      } catch (err) {
        message = (err as Error).message;
        expect(err).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      }
      expect(message).not.toBe('');
      expect(message).not.toContain(KEY);
      expect(message).not.toContain('review-key-0123456789');
    }
  });
});

describe('roles', () => {
  const as = (role: 'viewer' | 'reviewer' | 'admin') => ({ principal: { owner: 'x', role }, address: '127.0.0.1' });
  test('anonymous: 401; lower role: 403; the same or higher: the principal', () => {
    expect(() => requireRole({ principal: null, address: '::1' }, 'reviewer', 'Reviewing')).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => requireRole(undefined, 'viewer', 'Reading')).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => requireRole(as('viewer'), 'reviewer', 'Reviewing')).toThrow(expect.objectContaining({ status: 403, code: 'FORBIDDEN' }));
    expect(requireRole(as('reviewer'), 'reviewer', 'Reviewing')).toEqual({ owner: 'x', role: 'reviewer' });
    expect(requireRole(as('admin'), 'reviewer', 'Reviewing')).toEqual({ owner: 'x', role: 'admin' });
  });
});

describe('hosts', () => {
  test('loopback HOST settings', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect([h, isLoopbackHost(h)]).toEqual([h, true]);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'graph.example.org', '127.0.0.1.nip.io']) expect([h, isLoopbackHost(h)]).toEqual([h, false]);
  });

  test('the host name of a Host header, without its port', () => {
    expect(hostNameOf('LocalHost:4000')).toBe('localhost');
    expect(hostNameOf('[::1]:4000')).toBe('[::1]');
    expect(hostNameOf('graph.example.org')).toBe('graph.example.org');
    expect(hostNameOf('a:b:c')).toBeNull();
    expect(hostNameOf(undefined)).toBeNull();
  });
});

describe('admission', () => {
  test('runs up to its bound, queues up to its queue, refuses beyond with BUSY and a Retry-After', async () => {
    const a = new Admission(2, 1, 60_000);
    const t1 = a.enter();
    const t2 = a.enter();
    const t3 = a.enter();
    const t4 = a.enter();
    await Promise.all([t1.ready, t2.ready]);
    await expect(t4.ready).rejects.toThrow(BusyError);
    await expect(t4.ready).rejects.toMatchObject({ status: 503, code: 'BUSY', retryAfterS: 60 });
    expect(a.load).toEqual({ running: 2, queued: 1 });
    t1.leave();
    t1.leave(); // twice (finish, then close) frees one slot only
    await t3.ready;
    expect(a.load).toEqual({ running: 2, queued: 0 });
    t2.leave();
    t3.leave();
    t4.leave();
    expect(a.load).toEqual({ running: 0, queued: 0 });
  });

  test('a queued request that leaves gives its place back; one that waits too long is refused', async () => {
    const a = new Admission(1, 1, 0);
    const held = a.enter();
    const waiting = a.enter();
    const refused = expect(waiting.ready).rejects.toThrow(BusyError);
    await refused;
    expect(a.load).toEqual({ running: 1, queued: 0 });
    const b = new Admission(1, 1, 60_000);
    b.enter();
    const gone = b.enter();
    expect(b.load.queued).toBe(1);
    gone.leave();
    expect(b.load.queued).toBe(0);
    held.leave();
  });
});

describe('access settings', () => {
  test('defaults: loopback host names (and HOST), no CORS, limits, audit under DATA_DIR', () => {
    const s = accessSettings({ DATA_DIR: '/srv/sg' });
    expect(s).toMatchObject({ host: '127.0.0.1', allowAnonymousReads: undefined, corsOrigins: [], trustProxy: false, rateLimitPerMinute: 1200, maxConcurrentQueries: 8, queryQueueLength: 64, queryQueueWaitMs: 5000, auditDir: '/srv/sg/audit', auditReads: false });
    expect(s.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(accessSettings({ HOST: '192.168.1.5' }).allowedHosts).toContain('192.168.1.5');
    expect(accessSettings({ HOST: '0.0.0.0' }).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(accessSettings({ ALLOWED_HOSTS: 'Graph.Example.org, *' }).allowedHosts).toEqual(['graph.example.org', '*']);
    expect(accessSettings({ ALLOW_ANONYMOUS_READS: '1' }).allowAnonymousReads).toBe(true);
    expect(accessSettings({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(accessSettings({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });

  test('malformed values are refused', () => {
    expect(() => accessSettings({ CORS_ORIGINS: 'https://tools.example.org/' })).toThrow(/CORS_ORIGINS/);
    expect(() => accessSettings({ RATE_LIMIT: 'many' })).toThrow(/RATE_LIMIT/);
    expect(() => accessSettings({ MAX_CONCURRENT_QUERIES: '0' })).toThrow(/MAX_CONCURRENT_QUERIES/);
    expect(() => accessSettings({ ALLOW_ANONYMOUS_READS: 'maybe' })).toThrow(/ALLOW_ANONYMOUS_READS/);
  });
});
