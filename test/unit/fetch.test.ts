/**
 * `ingest --fetch` without a database: the source table, URL building and settings, the release date
 * of files without one, and the downloader against a local HTTP server that misbehaves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, SETTINGS_DOC } from '../../server/core/settings';
import { BadInputError, DownloadError, SourceFormatError } from '../../server/core/errors';
import { FORMATS } from '../../ingest/formats';
import { FETCH_SOURCES, PUBLISHERS } from '../../ingest/fetch.meta';
import {
  dateIn,
  describeSources,
  downloadFile,
  fetchConfig,
  fetchSource,
  publisherBaseUrl,
  redirectAllowed,
  releaseForDownload,
  resolveSource,
  sourceFiles,
} from '../../ingest/fetch';
import { startServer, TestServer } from '../fetch-server';
import { REPO_ROOT } from '../../server/core/settings';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const SUBSET = path.join(FIXTURES, 'ofac-sdn-csv-subset-2025-05-16');
const UN_EXCERPT = path.join(FIXTURES, 'un-xml', 'consolidated-2025-11-18-excerpt.xml');
const defaults = fetchConfig(loadSettings({}));

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-fetch-unit-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the source table', () => {
  test('every source names a known format, its publisher, and unique local file names', () => {
    const names = FETCH_SOURCES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of FETCH_SOURCES) {
      expect(FORMATS.map((f) => f.name)).toContain(s.format);
      expect(PUBLISHERS[s.publisher]).toBeDefined();
      expect(new Set(s.files.map((f) => path.posix.basename(f))).size).toBe(s.files.length);
      // Formats without a date inside are exactly the ones the downloader must date.
      expect(s.dateInside).toBe(!['ofac-csv', 'ftm'].includes(s.format));
    }
  });

  test("OFAC's file names, primary file first; the Consolidated CSV's primary starts with cons (dataset naming)", () => {
    expect(resolveSource('ofac-sdn-csv').files).toEqual(['SDN.CSV', 'ADD.CSV', 'ALT.CSV', 'SDN_COMMENTS.CSV']);
    expect(resolveSource('ofac-cons-csv').files).toEqual(['CONS_PRIM.CSV', 'CONS_ADD.CSV', 'CONS_ALT.CSV', 'CONS_COMMENTS.CSV']);
    expect(resolveSource('ofac-sdn-enhanced').files).toEqual(['SDN_ENHANCED.XML']);
    expect(resolveSource('ofac-sdn-advanced').files).toEqual(['SDN_ADVANCED.XML']);
    expect(resolveSource('ofac-sdn-xml').files).toEqual(['SDN.XML']);
    expect(resolveSource('ofac-cons-enhanced').files).toEqual(['CONS_ENHANCED.XML']);
    expect(resolveSource('ofac-cons-advanced').files).toEqual(['CONS_ADVANCED.XML']);
    expect(resolveSource('ofac-cons-xml').files).toEqual(['CONSOLIDATED.XML']);
  });

  test('opensanctions:<dataset> is built; an unknown or malformed name is refused with the known ones', () => {
    expect(resolveSource('opensanctions:us_ofac_sdn')).toMatchObject({ publisher: 'opensanctions', format: 'ftm', files: ['us_ofac_sdn/entities.ftm.json'] });
    expect(() => resolveSource('ofac')).toThrow(BadInputError);
    expect(() => resolveSource('ofac')).toThrow(/unknown source "ofac"; known sources: ofac-sdn-csv, .*un, opensanctions:<dataset>/);
    expect(() => resolveSource('opensanctions:../../etc')).toThrow(/not an OpenSanctions dataset name/);
    expect(() => resolveSource('opensanctions:')).toThrow(/not an OpenSanctions dataset name/);
  });
});

describe('URLs', () => {
  test("the publishers' documented locations by default", () => {
    expect(sourceFiles(resolveSource('ofac-sdn-csv'), defaults).map((f) => f.url)).toEqual([
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV',
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADD.CSV',
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV',
      'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV',
    ]);
    expect(sourceFiles(resolveSource('un'), defaults)).toEqual([{ url: 'https://scsanctions.un.org/resources/xml/en/consolidated.xml', name: 'consolidated.xml' }]);
    expect(sourceFiles(resolveSource('opensanctions:eu_fsf'), defaults)).toEqual([
      { url: 'https://data.opensanctions.org/datasets/latest/eu_fsf/entities.ftm.json', name: 'entities.ftm.json' },
    ]);
  });

  test('FETCH_BASE_URL is a mirror with a folder per publisher; a publisher setting wins over it', () => {
    const cfg = fetchConfig(loadSettings({ FETCH_BASE_URL: 'http://mirror.local:8080/sanctions', FETCH_UN_URL: 'https://un.example/xml' }));
    expect(publisherBaseUrl('ofac', cfg)).toBe('http://mirror.local:8080/sanctions/ofac/');
    expect(publisherBaseUrl('opensanctions', cfg)).toBe('http://mirror.local:8080/sanctions/opensanctions/');
    expect(publisherBaseUrl('un', cfg)).toBe('https://un.example/xml/');
    expect(sourceFiles(resolveSource('ofac-sdn-xml'), cfg)[0].url).toBe('http://mirror.local:8080/sanctions/ofac/SDN.XML');
    expect(describeSources(cfg)).toContain('http://mirror.local:8080/sanctions/ofac/SDN.XML');
    expect(describeSources(cfg)).toContain('instead of https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/');
  });

  test('URL settings are checked; their documented defaults are the source table', () => {
    expect(() => loadSettings({ FETCH_OFAC_URL: 'ftp://ofacftp.treas.gov/' })).toThrow(/FETCH_OFAC_URL=.* must start with https:\/\//);
    expect(() => loadSettings({ FETCH_BASE_URL: 'not a url' })).toThrow(/FETCH_BASE_URL=.* is not a URL/);
    expect(() => loadSettings({ FETCH_RETRIES: '-1' })).toThrow(/FETCH_RETRIES/);
    for (const p of Object.values(PUBLISHERS)) {
      expect(SETTINGS_DOC.find((d) => d.env === p.urlSetting)?.default).toBe(p.baseUrl);
    }
    expect(loadSettings({})).toMatchObject({ fetchTimeoutMs: 60_000, fetchRetries: 2, fetchMaxBytes: 2 * 1024 ** 3, fetchMirrorUrl: undefined });
    expect(loadSettings({ DATA_DIR: '/srv/sg' }).fetchDir).toBe('/srv/sg/downloads');
    expect(loadSettings({ DATA_DIR: '/srv/sg', FETCH_DIR: '/var/dl' }).fetchDir).toBe('/var/dl');
  });
});

describe('the release date of files without one inside', () => {
  const csv = resolveSource('ofac-sdn-csv');
  const now = new Date('2024-05-10T12:00:00Z');
  const file = (lastModified?: string) => [{ path: '/x/SDN.CSV', lastModified }];

  test("Last-Modified, as a date in the publisher's time zone", () => {
    expect(releaseForDownload(csv, file('Fri, 03 May 2024 16:00:00 GMT'), now)).toMatchObject({ release: '2024-05-03', why: expect.stringContaining('Last-Modified date of SDN.CSV') });
    // 9:30 pm in Washington is already the next day in GMT.
    expect(releaseForDownload(csv, file('Sat, 04 May 2024 01:30:00 GMT'), now)?.release).toBe('2024-05-03');
    // OpenSanctions dates its exports in UTC.
    expect(releaseForDownload(resolveSource('opensanctions:x'), file('Sat, 04 May 2024 01:30:00 GMT'), now)?.release).toBe('2024-05-04');
  });

  test('the download date when Last-Modified is missing or cannot be right', () => {
    expect(releaseForDownload(csv, file(), now)).toMatchObject({ release: '2024-05-10', why: expect.stringContaining('no Last-Modified') });
    expect(releaseForDownload(csv, file('Sun, 01 Jan 2034 00:00:00 GMT'), now)).toMatchObject({ release: '2024-05-10', why: expect.stringContaining('unusable Last-Modified') });
    expect(releaseForDownload(csv, file('yesterday'), now)?.release).toBe('2024-05-10');
    expect(releaseForDownload(csv, file('Thu, 01 Jan 1970 00:00:00 GMT'), now)?.release).toBe('2024-05-10');
  });

  test('none for files that carry their date inside', () => {
    expect(releaseForDownload(resolveSource('un'), file('Fri, 03 May 2024 16:00:00 GMT'), now)).toBeUndefined();
    expect(dateIn(new Date('2024-12-31T23:30:00Z'), 'UTC')).toBe('2024-12-31');
  });
});

describe('downloading one file', () => {
  let server: TestServer;
  const body = Buffer.from('x'.repeat(100_000));
  const opts = { timeoutMs: 1000, retries: 2, backoffMs: 10, progress: false };
  beforeAll(async () => {
    server = await startServer({
      '/ok': { body, lastModified: 'Fri, 03 May 2024 16:00:00 GMT' },
      '/chunked': { body, chunked: true },
      '/drop': { body, dropAfter: 50_000 },
      '/drop-chunked': { body, chunked: true, dropAfter: 50_000 },
      '/missing': { status: 404 },
      '/broken': { status: 500 },
      '/flaky': { body, failTimes: 2 },
      '/stall': { body, stallAfter: 10_000 },
      '/moved': { redirect: '/ok' },
      '/empty': { body: '' },
      '/endless': { endless: true },
    });
    other = await startServer({ '/ok': { body } });
    server.routes['/elsewhere'] = { redirect: `${other.url}ok` };
  });
  let other: TestServer;
  afterAll(() => other.close());
  afterAll(() => server.close());
  beforeEach(() => server.hits.clear());

  test('a complete download: bytes as announced, sha256, Last-Modified, no .part left', async () => {
    const dest = path.join(tmp, 'ok.bin');
    const got = await downloadFile(`${server.url}ok`, dest, opts);
    expect(got).toMatchObject({ bytes: 100_000, contentLength: 100_000, lastModified: 'Fri, 03 May 2024 16:00:00 GMT', path: dest });
    expect(got.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(dest).equals(body)).toBe(true);
    expect(fs.readdirSync(tmp)).toEqual(['ok.bin']);
  });

  test('without Content-Length (chunked), the transfer encoding ends it', async () => {
    const got = await downloadFile(`${server.url}chunked`, path.join(tmp, 'c.bin'), opts);
    expect(got).toMatchObject({ bytes: 100_000, contentLength: undefined });
  });

  test('a redirect is followed and recorded', async () => {
    const got = await downloadFile(`${server.url}moved`, path.join(tmp, 'm.bin'), opts);
    expect(got).toMatchObject({ url: `${server.url}moved`, finalUrl: `${server.url}ok`, bytes: 100_000 });
  });

  test.each(['drop', 'drop-chunked'])('a connection dropped half-way (%s) fails after the retries, names the URL, leaves no file', async (route) => {
    const dest = path.join(tmp, 'd.bin');
    const err = await downloadFile(`${server.url}${route}`, dest, opts).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain(`${server.url}${route}: the connection broke off after`);
    if (route === 'drop') expect(err.message).toContain('of 100,000 bytes');
    expect(err.message).toContain('(tried 3 times)');
    expect(server.hits.get(`/${route}`)).toBe(3);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('redirects never leave https: https -> http refused; http only within the origin the operator configured', () => {
    const u = (s: string) => new URL(s);
    expect(redirectAllowed(u('https://sanctionslistservice.ofac.treas.gov/a'), u('https://cdn.example/a'))).toBe(true);
    expect(redirectAllowed(u('https://sanctionslistservice.ofac.treas.gov/a'), u('http://cdn.example/a'))).toBe(false);
    expect(redirectAllowed(u('https://sanctionslistservice.ofac.treas.gov/a'), u('http://sanctionslistservice.ofac.treas.gov/a'))).toBe(false);
    expect(redirectAllowed(u('http://127.0.0.1:8080/a'), u('http://127.0.0.1:8080/b'))).toBe(true);
    expect(redirectAllowed(u('http://127.0.0.1:8080/a'), u('http://127.0.0.1:9090/b'))).toBe(false);
    expect(redirectAllowed(u('http://mirror.local/a'), u('https://mirror.local/a'))).toBe(true);
    expect(redirectAllowed(u('https://x.example/a'), u('file:///etc/passwd'))).toBe(false);
  });

  test('a redirect to plain http elsewhere is refused at once, naming both URLs; nothing is kept', async () => {
    const err = await downloadFile(`${server.url}elsewhere`, path.join(tmp, 'r.bin'), opts).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toBe(`${server.url}elsewhere: redirected from ${server.url}elsewhere to ${other.url}ok, which is not https: refused (a download never leaves https)`);
    expect(server.hits.get('/elsewhere')).toBe(1);
    expect(other.hits.get('/ok')).toBeUndefined();
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('a file over FETCH_MAX_SIZE is refused: by its Content-Length before the body, or as it grows; an endless one too', async () => {
    const small = { ...opts, maxBytes: 50_000 };
    const announced = await downloadFile(`${server.url}ok`, path.join(tmp, 'a.bin'), small).catch((e) => e);
    expect(announced.message).toBe(
      `${server.url}ok: the file announced (Content-Length 100,000 bytes) is larger than 50,000 bytes, the most FETCH_MAX_SIZE allows; refused (no list is that large: a wrong or endless file?)`,
    );
    const grown = await downloadFile(`${server.url}chunked`, path.join(tmp, 'c.bin'), small).catch((e) => e);
    expect(grown.message).toMatch(/chunked: the file \(more than 50,000 bytes arrived\) is larger than 50,000 bytes/);
    const endless = await downloadFile(`${server.url}endless`, path.join(tmp, 'e.bin'), { ...opts, maxBytes: 1024 ** 2 }).catch((e) => e);
    expect(endless).toBeInstanceOf(DownloadError);
    expect(endless.message).toMatch(/endless: the file \(more than 1,048,576 bytes arrived\) is larger than 1 MiB/);
    // Not retried (it would only come again), and nothing is left behind.
    expect([server.hits.get('/ok'), server.hits.get('/chunked'), server.hits.get('/endless')]).toEqual([1, 1, 1]);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('HTTP 404 fails at once; HTTP 500 after the retries', async () => {
    const e404 = await downloadFile(`${server.url}missing`, path.join(tmp, 'x'), opts).catch((e) => e);
    expect(e404).toBeInstanceOf(DownloadError);
    expect(e404.message).toBe(`${server.url}missing: HTTP 404 Not Found`);
    expect(server.hits.get('/missing')).toBe(1);
    const e500 = await downloadFile(`${server.url}broken`, path.join(tmp, 'x'), opts).catch((e) => e);
    expect(e500.message).toBe(`${server.url}broken: HTTP 500 Internal Server Error (tried 3 times)`);
    expect(server.hits.get('/broken')).toBe(3);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('a transient failure that clears is retried to success', async () => {
    const got = await downloadFile(`${server.url}flaky`, path.join(tmp, 'f.bin'), opts);
    expect(got.bytes).toBe(100_000);
    expect(server.hits.get('/flaky')).toBe(3);
  });

  test('a stalled transfer times out', async () => {
    const err = await downloadFile(`${server.url}stall`, path.join(tmp, 's.bin'), { ...opts, timeoutMs: 300, retries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toBe(`${server.url}stall: no data for 0.3 s after 10,000 of 100,000 bytes; gave up (FETCH_TIMEOUT)`);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('an empty file is not a download', async () => {
    const err = await downloadFile(`${server.url}empty`, path.join(tmp, 'e.bin'), { ...opts, retries: 0 }).catch((e) => e);
    expect(err.message).toContain('the server sent an empty file');
  });

  test('an unreachable server is named as such', async () => {
    const closed = await startServer({});
    const url = closed.url;
    await closed.close();
    const err = await downloadFile(`${url}x`, path.join(tmp, 'x'), { ...opts, retries: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain('the server refused the connection (ECONNREFUSED)');
  });
});

describe('downloading a source', () => {
  let server: TestServer;
  const routes = (alt: object) => ({
    '/ofac/SDN.CSV': { file: path.join(SUBSET, 'sdn.csv'), lastModified: 'Fri, 16 May 2025 20:00:00 GMT' },
    '/ofac/ADD.CSV': { file: path.join(SUBSET, 'add.csv') },
    '/ofac/ALT.CSV': { file: path.join(SUBSET, 'alt.csv'), ...alt },
    '/ofac/SDN_COMMENTS.CSV': { file: path.join(SUBSET, 'sdn_comments.csv') },
    '/un/consolidated.xml': { body: '<html><body>Service unavailable</body></html>' },
  });
  afterEach(() => server.close());
  const cfg = (base: string) => ({ dir: tmp, mirrorUrl: base, publisherUrls: {}, timeoutMs: 1000, retries: 1, backoffMs: 10, progress: false });

  test('all files complete: kept in a new folder with FETCHED.md, dated by Last-Modified', async () => {
    server = await startServer(routes({}));
    const got = await fetchSource(resolveSource('ofac-sdn-csv'), cfg(server.url));
    expect(path.dirname(got.folder)).toBe(tmp);
    expect(fs.statSync(got.folder).mode & 0o777).toBe(0o700);
    expect(path.basename(got.folder)).toMatch(/^ofac-sdn-csv-\d{8}T\d{6}Z-/);
    expect(fs.readdirSync(got.folder).sort()).toEqual(['ADD.CSV', 'ALT.CSV', 'FETCHED.md', 'SDN.CSV', 'SDN_COMMENTS.CSV']);
    expect(got.release).toMatchObject({ release: '2025-05-16' });
    const manifest = fs.readFileSync(path.join(got.folder, 'FETCHED.md'), 'utf8');
    expect(manifest).toContain(`${server.url}ofac/SDN.CSV`);
    expect(manifest).toContain(`npm run ingest -- ${got.folder} --release 2025-05-16`);
    expect(fs.readFileSync(path.join(got.folder, 'SDN.CSV')).equals(fs.readFileSync(path.join(SUBSET, 'sdn.csv')))).toBe(true);
  });

  test('one file of four fails: the whole folder goes, the later files are not even asked for', async () => {
    server = await startServer(routes({ status: 404 }));
    const err = await fetchSource(resolveSource('ofac-sdn-csv'), cfg(server.url)).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toBe(`${server.url}ofac/ALT.CSV: HTTP 404 Not Found`);
    expect(server.hits.get('/ofac/SDN.CSV')).toBe(1);
    expect(server.hits.get('/ofac/SDN_COMMENTS.CSV')).toBeUndefined();
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('a whole file that is not the expected format (an HTML page served with 200) is refused and kept', async () => {
    server = await startServer(routes({}));
    const err = await fetchSource(resolveSource('un'), cfg(server.url)).catch((e) => e);
    expect(err).toBeInstanceOf(SourceFormatError);
    expect(err.message).toMatch(new RegExp(`^consolidated\\.xml:1: is in no format .*downloaded from ${server.url}un/consolidated\\.xml; expected un-xml\\); the downloaded files are kept in ${tmp}/un-`));
    expect(fs.readdirSync(tmp)).toHaveLength(1);
  });

  test('by default into a private folder under DATA_DIR (0700, unpredictable name), never a shared /tmp path', async () => {
    server = await startServer({ '/un/consolidated.xml': { file: UN_EXCERPT } });
    const dataDir = path.join(tmp, 'data');
    const settings = loadSettings({ DATA_DIR: dataDir, FETCH_BASE_URL: server.url });
    const old = process.umask(0o022);
    try {
      const got = await fetchSource(resolveSource('un'), { ...fetchConfig(settings), backoffMs: 10, progress: false });
      expect(path.dirname(got.folder)).toBe(path.join(dataDir, 'downloads'));
      expect(path.basename(got.folder)).toMatch(/^un-\d{8}T\d{6}Z-\w{6}$/);
      expect(fs.statSync(path.join(dataDir, 'downloads')).mode & 0o777).toBe(0o700);
      expect(fs.statSync(got.folder).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(old);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('the UN excerpt downloads as un-xml, with no release to supply', async () => {
    server = await startServer({ '/un/consolidated.xml': { file: UN_EXCERPT, chunked: true } });
    const got = await fetchSource(resolveSource('un'), cfg(server.url));
    expect(got.release).toBeUndefined();
    expect(got.files[0]).toMatchObject({ bytes: fs.statSync(UN_EXCERPT).size, contentLength: undefined });
  });
});
