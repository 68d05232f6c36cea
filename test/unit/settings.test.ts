import { loadSettings, logLevel, SettingsError } from '../../server/core/settings';

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
});
