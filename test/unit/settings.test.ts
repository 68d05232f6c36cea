import { alertWebhookSettings, loadSettings, logLevel, screenBulkSettings, SettingsError, snapshotReuseMs } from '../../server/core/settings';

describe('settings', () => {
  test('defaults', () => {
    const s = loadSettings({});
    expect(s.port).toBe(4000);
    expect(s.boltPort).toBe(7687);
    expect(s.host).toBe('127.0.0.1');
    expect(s.loadDemoData).toBe(true);
    expect(s.neo4jUri).toBeUndefined();
    expect(s.dataDir).toMatch(/\.data$/);
    expect(s.logLevel).toBe('info');
  });
  test('bad values say which variable and why', () => {
    expect(() => loadSettings({ PORT: 'eighty' })).toThrow(/PORT="eighty" is not a whole number/);
    expect(() => loadSettings({ LOAD_DEMO_DATA: 'maybe' })).toThrow(SettingsError);
    expect(() => loadSettings({ NEO4J_HEAP: 'lots' })).toThrow(/NEO4J_HEAP/);
    expect(() => loadSettings({ NEO4J_URI: 'http://x' })).toThrow(/must start with neo4j:\/\//);
    expect(() => loadSettings({ NEO4J_URI: 'neo4j+s://x.databases.neo4j.io' })).toThrow(/NEO4J_PASSWORD/);
    expect(() => loadSettings({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL="verbose" must be one of debug, info, warn, error/);
  });
  test('LOG_LEVEL is read here like every other setting', () => {
    expect(loadSettings({ LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(loadSettings({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(logLevel({})).toBe('info');
    expect(logLevel({ LOG_LEVEL: 'error' })).toBe('error');
  });
  test('an external server', () => {
    const s = loadSettings({ NEO4J_URI: 'neo4j+s://db:7687', NEO4J_PASSWORD: 'p', NEO4J_USER: 'u', NEO4J_DATABASE: 'sanctions' });
    expect(s).toMatchObject({ neo4jUri: 'neo4j+s://db:7687', neo4jUser: 'u', neo4jPassword: 'p', neo4jDatabase: 'sanctions' });
    expect(loadSettings({ LOAD_DEMO_DATA: '0' }).loadDemoData).toBe(false);
  });
  test('SNAPSHOT_REUSE_MS: at most a second by default, and never more than a load\'s grace leaves', () => {
    // Defaults: REQUEST_TIMEOUT 20 s, INGEST_READER_GRACE 30 s: 5 s of margin, reuse capped at 1 s.
    expect(snapshotReuseMs({})).toBe(1000);
    expect(loadSettings({}).snapshotReuseMs).toBe(1000);
    // No grace (a load beside no server, the tests): no reuse.
    expect(snapshotReuseMs({ INGEST_READER_GRACE: '0' })).toBe(0);
    // A grace that leaves less than the 5 s of driver retries after a request: none either.
    expect(snapshotReuseMs({ REQUEST_TIMEOUT: '20', INGEST_READER_GRACE: '25' })).toBe(0);
    expect(snapshotReuseMs({ REQUEST_TIMEOUT: '20', INGEST_READER_GRACE: '26' })).toBe(1000);
    expect(snapshotReuseMs({ SNAPSHOT_REUSE_MS: '0' })).toBe(0);
    expect(snapshotReuseMs({ SNAPSHOT_REUSE_MS: '5000' })).toBe(5000);
    expect(() => snapshotReuseMs({ SNAPSHOT_REUSE_MS: '5001' })).toThrow(/SNAPSHOT_REUSE_MS=5001 is more than INGEST_READER_GRACE - REQUEST_TIMEOUT - 5 s \(5000 ms\)/);
    expect(() => loadSettings({ SNAPSHOT_REUSE_MS: '500', INGEST_READER_GRACE: '0' })).toThrow(SettingsError);
    expect(() => snapshotReuseMs({ SNAPSHOT_REUSE_MS: 'soon' })).toThrow(/SNAPSHOT_REUSE_MS="soon" is not a whole number/);
  });
  test('bulk screening bounds: defaults, sizes, and the runs at once following MAX_CONCURRENT_QUERIES', () => {
    expect(screenBulkSettings({})).toEqual({ maxRows: 100_000, concurrency: 2, uploadMaxBytes: 256 * 1024 ** 2, uploadIdleMs: 30_000, maxRuns: 2 });
    expect(screenBulkSettings({ SCREEN_BULK_UPLOAD_MAX: '64m', SCREEN_BULK_UPLOAD_IDLE: '5' })).toMatchObject({ uploadMaxBytes: 64 * 1024 ** 2, uploadIdleMs: 5000 });
    expect(screenBulkSettings({ MAX_CONCURRENT_QUERIES: '3' }).maxRuns).toBe(1);
    expect(screenBulkSettings({ MAX_CONCURRENT_QUERIES: '40' }).maxRuns).toBe(10);
    expect(screenBulkSettings({ MAX_CONCURRENT_QUERIES: '40', SCREEN_BULK_MAX_RUNS: '3' }).maxRuns).toBe(3);
    expect(() => screenBulkSettings({ SCREEN_BULK_UPLOAD_MAX: 'big' })).toThrow(/SCREEN_BULK_UPLOAD_MAX/);
    expect(() => screenBulkSettings({ SCREEN_BULK_MAX_RUNS: '0' })).toThrow(/SCREEN_BULK_MAX_RUNS="0" is not a whole number between 1 and 1000/);
  });
});

test('ALERT_WEBHOOK_*: defaults, and a URL that is not http(s) or has no secret stops the start', () => {
  expect(alertWebhookSettings({})).toEqual({ url: null, secret: null, retries: 3, backoffMs: 1000, timeoutMs: 10_000 });
  expect(alertWebhookSettings({ ALERT_WEBHOOK_URL: 'https://hooks.example.org/x', ALERT_WEBHOOK_SECRET: 's', ALERT_WEBHOOK_RETRIES: '0' })).toMatchObject({
    url: 'https://hooks.example.org/x',
    retries: 0,
  });
  expect(() => alertWebhookSettings({ ALERT_WEBHOOK_URL: 'ftp://example.org', ALERT_WEBHOOK_SECRET: 's' })).toThrow(/not an http/);
  expect(() => alertWebhookSettings({ ALERT_WEBHOOK_URL: 'https://example.org' })).toThrow(/without ALERT_WEBHOOK_SECRET/);
  expect(() => alertWebhookSettings({ ALERT_WEBHOOK_RETRIES: '-1' })).toThrow(/ALERT_WEBHOOK_RETRIES/);
});
