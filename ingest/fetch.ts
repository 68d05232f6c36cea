/**
 * `npm run ingest -- --fetch <source>`: download the publisher's current release into a new folder, and
 * only when every file of it has arrived whole, hand the files to the normal load (ingest.ts: format
 * detection from content, one transaction).
 *
 * A download is complete when the body ended normally and, when the server announced a Content-Length,
 * exactly that many bytes arrived. Each file is written as NAME.part and renamed to NAME only then; a
 * source whose files did not all arrive is removed as a whole, so no partial set is ever parsed, loaded,
 * or left behind looking complete. Transient failures (a dropped connection, a timeout, HTTP 5xx or 429)
 * are retried with backoff; others (HTTP 404, an unknown host) fail at once. Every error names the URL.
 *
 * The files of a successful download are kept, with a FETCHED.md that lists where each came from, so
 * they can be inspected or loaded again from disk.
 *
 * What a download may do is bounded: it lands in a new private folder (0700, unpredictable name) under
 * FETCH_DIR, by default $DATA_DIR/downloads (never a fixed path in the shared /tmp, where another user
 * could plant or read files); one file may not exceed FETCH_MAX_SIZE (a Content-Length above it is
 * refused before the body, a body growing past it is cut off: an endless or swapped file cannot fill
 * the disk); and redirects are followed by hand, only to https (an https URL redirected to plain http
 * is refused: the file would cross the network open to tampering). An http URL is fetched only because
 * the operator configured it (FETCH_BASE_URL or a publisher setting: a mirror, the local test server),
 * and it may redirect within its own origin too.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BadInputError, DownloadError, SourceFormatError } from '../server/core/errors';
import type { Settings } from '../server/core/settings';
import { log } from '../server/core/logger';
import { detectFormat } from './formats';
import { createProgress } from './progress';
import { formatSize } from './parse-options';
import {
  FETCH_SOURCES,
  FetchSourceDef,
  OPENSANCTIONS_DATASET,
  OPENSANCTIONS_PREFIX,
  openSanctionsSource,
  PublisherKey,
  PUBLISHERS,
} from './fetch.meta';

export type { FetchSourceDef } from './fetch.meta';

export interface FetchConfig {
  /** Parent of the download folders (FETCH_DIR, default $DATA_DIR/downloads). */
  dir: string;
  mirrorUrl?: string;
  publisherUrls: Partial<Record<PublisherKey, string>>;
  timeoutMs: number;
  retries: number;
  /** Largest file accepted (FETCH_MAX_SIZE). */
  maxBytes?: number;
  /** First wait before a retry; doubles each time. */
  backoffMs?: number;
  progress?: boolean;
}

/** FETCH_MAX_SIZE's default: well above the largest list (OFAC's SDN_ADVANCED.XML, a few hundred MB). */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3;

export function fetchConfig(settings: Settings): FetchConfig {
  return {
    dir: settings.fetchDir,
    mirrorUrl: settings.fetchMirrorUrl,
    publisherUrls: settings.fetchPublisherUrls,
    timeoutMs: settings.fetchTimeoutMs,
    retries: settings.fetchRetries,
    maxBytes: settings.fetchMaxBytes,
  };
}

// ---------------------------------------------------------------------------------------------------
// Sources and URLs.

/** What --fetch accepts, for help and error messages. */
export function knownSourceNames(): string[] {
  return [...FETCH_SOURCES.map((s) => s.name), `${OPENSANCTIONS_PREFIX}<dataset>`];
}

/** The source named on the command line; a BadInputError that lists the known ones otherwise. */
export function resolveSource(name: string): FetchSourceDef {
  const fixed = FETCH_SOURCES.find((s) => s.name === name);
  if (fixed) return fixed;
  if (name.startsWith(OPENSANCTIONS_PREFIX)) {
    const dataset = name.slice(OPENSANCTIONS_PREFIX.length);
    if (!OPENSANCTIONS_DATASET.test(dataset)) {
      throw new BadInputError(
        `${JSON.stringify(dataset)} is not an OpenSanctions dataset name (lower-case letters, digits and _, e.g. ${OPENSANCTIONS_PREFIX}us_ofac_sdn)`,
      );
    }
    return openSanctionsSource(dataset);
  }
  throw new BadInputError(`unknown source ${JSON.stringify(name)}; known sources: ${knownSourceNames().join(', ')} (see --fetch list)`);
}

/** A publisher's base URL: its own setting, else the mirror's `<publisher>/` folder, else the publisher's. */
export function publisherBaseUrl(publisher: PublisherKey, cfg: Pick<FetchConfig, 'mirrorUrl' | 'publisherUrls'>): string {
  const own = cfg.publisherUrls[publisher];
  if (own) return own;
  if (cfg.mirrorUrl) return new URL(`${publisher}/`, cfg.mirrorUrl).href;
  return PUBLISHERS[publisher].baseUrl;
}

export interface SourceFile {
  url: string;
  /** Local file name: the last segment of the path. */
  name: string;
}

export function sourceFiles(source: FetchSourceDef, cfg: Pick<FetchConfig, 'mirrorUrl' | 'publisherUrls'>): SourceFile[] {
  const base = publisherBaseUrl(source.publisher, cfg);
  return source.files.map((rel) => ({ url: new URL(rel, base).href, name: path.posix.basename(rel) }));
}

/** The text of `--fetch list`: every source, its format and the URLs in force. */
export function describeSources(cfg: Pick<FetchConfig, 'mirrorUrl' | 'publisherUrls'>): string {
  const lines: string[] = [];
  for (const key of Object.keys(PUBLISHERS) as PublisherKey[]) {
    const p = PUBLISHERS[key];
    const base = publisherBaseUrl(key, cfg);
    lines.push(`${p.name} (${base}${base === p.baseUrl ? '' : `, instead of ${p.baseUrl}`}; set ${p.urlSetting} or FETCH_BASE_URL to change)`);
    const sources = key === 'opensanctions' ? [openSanctionsSource('<dataset>')] : FETCH_SOURCES.filter((s) => s.publisher === key);
    for (const s of sources) {
      lines.push(`  ${s.name.padEnd(24)} ${s.description}`);
      lines.push(`  ${''.padEnd(24)} format ${s.format}; ${s.files.map((f) => new URL(f, base).href.replace('%3Cdataset%3E', '<dataset>')).join(', ')}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// One file.

export interface DownloadedFile {
  /** The URL asked for. */
  url: string;
  /** Where it ended up after redirects, when elsewhere. */
  finalUrl?: string;
  /** Absolute local path. */
  path: string;
  bytes: number;
  sha256: string;
  /** The Content-Length the server announced, when it did (and the body was not re-encoded). */
  contentLength?: number;
  /** The Last-Modified header, as sent. */
  lastModified?: string;
}

export interface DownloadOptions {
  timeoutMs: number;
  retries: number;
  /** Largest file accepted; default DEFAULT_MAX_DOWNLOAD_BYTES. */
  maxBytes?: number;
  backoffMs?: number;
  progress?: boolean;
}

/** Redirects followed for one file before giving up. */
const MAX_REDIRECTS = 5;

/**
 * Whether a redirect from `from` to `to` may be followed: to https always; to http only from http within
 * the same origin (an http server the operator configured, e.g. a mirror on the local network). Never
 * from https down to http, never to another scheme.
 */
export function redirectAllowed(from: URL, to: URL): boolean {
  if (to.protocol === 'https:') return true;
  return to.protocol === 'http:' && from.protocol === 'http:' && to.origin === from.origin;
}

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Error codes of Node/undici that mean the host could not be reached at all. */
const UNREACHABLE: Record<string, { what: string; transient: boolean }> = {
  ENOTFOUND: { what: 'the host name could not be resolved', transient: false },
  EAI_AGAIN: { what: 'the host name could not be resolved (DNS lookup timed out)', transient: true },
  ENETUNREACH: { what: 'the network is unreachable', transient: true },
  EHOSTUNREACH: { what: 'the host is unreachable', transient: true },
  UND_ERR_CONNECT_TIMEOUT: { what: 'connecting timed out', transient: true },
  ETIMEDOUT: { what: 'connecting timed out', transient: true },
};

const nf = new Intl.NumberFormat('en-US');

/** A DownloadError for whatever a fetch or its body stream threw. */
function describeFailure(url: string, err: unknown, ctx: { timedOut: boolean; timeoutMs: number; bytes: number; expected?: number; body: boolean }): DownloadError {
  if (err instanceof DownloadError) return err;
  const got = ctx.body ? ` after ${nf.format(ctx.bytes)}${ctx.expected !== undefined ? ` of ${nf.format(ctx.expected)}` : ''} bytes` : '';
  if (ctx.timedOut) return new DownloadError(url, `no data for ${ctx.timeoutMs / 1000} s${got}; gave up (FETCH_TIMEOUT)`, true);
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  if (code && UNREACHABLE[code]) {
    const host = new URL(url).host;
    return new DownloadError(url, `cannot reach ${host}: ${UNREACHABLE[code].what} (${code})`, UNREACHABLE[code].transient, true);
  }
  if (code === 'ECONNREFUSED') return new DownloadError(url, `the server refused the connection (ECONNREFUSED)`, true);
  if (e.cause?.message === 'bad port') return new DownloadError(url, `fetch refuses to connect to port ${new URL(url).port} (a port the Fetch standard blocks)`, false);
  if (code === 'ENOSPC' || code === 'EACCES' || code === 'EROFS') {
    return new DownloadError(url, `cannot write the download to disk: ${e.message ?? code}`, false);
  }
  // undici: "terminated" / "other side closed" (UND_ERR_SOCKET), ECONNRESET, EPIPE: the transfer broke off.
  const detail = e.cause?.message ?? e.message ?? String(err);
  return new DownloadError(url, `the connection broke off${got || ' before the response'} (${code ? `${code}: ` : ''}${detail})`, true);
}

async function downloadOnce(url: string, dest: string, opts: DownloadOptions): Promise<DownloadedFile> {
  const part = `${dest}.part`;
  const ctl = new AbortController();
  const ctx = { timedOut: false, timeoutMs: opts.timeoutMs, bytes: 0, expected: undefined as number | undefined, body: false };
  let timer: NodeJS.Timeout | undefined;
  // An idle timer, re-armed by every chunk: a slow but moving download is fine, a stalled one is not.
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      ctx.timedOut = true;
      ctl.abort();
    }, opts.timeoutMs);
  };
  const progress = createProgress(opts.progress !== false);
  arm();
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const tooLarge = (what: string) =>
    new DownloadError(url, `${what} is larger than ${formatSize(maxBytes)}, the most FETCH_MAX_SIZE allows; refused (no list is that large: a wrong or endless file?)`, false);
  try {
    let res: Response | undefined;
    let at = new URL(url);
    for (let hop = 0; ; hop++) {
      try {
        res = await fetch(at, {
          signal: ctl.signal,
          // Followed by hand below, so that each hop is checked (no https -> http).
          redirect: 'manual',
          // Identity encoding, so that Content-Length counts the bytes we write.
          headers: { 'accept-encoding': 'identity', 'user-agent': 'sanctions-graph (npm run ingest -- --fetch)' },
        });
      } catch (err) {
        throw describeFailure(url, err, ctx);
      }
      const location = res.headers.get('location');
      if (res.status < 300 || res.status > 399 || location === null) break;
      await res.body?.cancel().catch(() => undefined);
      const next = new URL(location, at);
      if (!redirectAllowed(at, next)) {
        throw new DownloadError(url, `redirected from ${at.href} to ${next.href}, which is not https: refused (a download never leaves https)`, false);
      }
      if (hop >= MAX_REDIRECTS) throw new DownloadError(url, `more than ${MAX_REDIRECTS} redirects; gave up`, false);
      at = next;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new DownloadError(url, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, TRANSIENT_STATUS.has(res.status));
    }
    if (!res.body) throw new DownloadError(url, `HTTP ${res.status} without a body`, true);
    const declared = res.headers.get('content-length');
    const encoding = res.headers.get('content-encoding');
    if (declared !== null && /^\d+$/.test(declared) && (!encoding || encoding === 'identity')) ctx.expected = Number(declared);
    if (ctx.expected !== undefined && ctx.expected > maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw tooLarge(`the file announced (Content-Length ${nf.format(ctx.expected)} bytes)`);
    }
    const hash = crypto.createHash('sha256');
    ctx.body = true;
    progress.start(ctx.expected ?? 0, `download ${path.basename(dest)}`, 'bytes');
    const out = fs.createWriteStream(part);
    try {
      await pipeline(
        Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            arm();
            ctx.bytes += chunk.length;
            if (ctx.bytes > maxBytes) throw tooLarge(`the file (more than ${nf.format(maxBytes)} bytes arrived)`);
            hash.update(chunk);
            progress.update(ctx.bytes);
            yield chunk;
          }
        },
        out,
      );
    } catch (err) {
      // pipeline destroys the file stream; wait until its file is closed (it may still be opening), so
      // that removing NAME.part below really removes it.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      throw describeFailure(url, err, ctx);
    } finally {
      progress.stop();
    }
    if (ctx.expected !== undefined && ctx.bytes !== ctx.expected) {
      throw new DownloadError(url, `received ${nf.format(ctx.bytes)} bytes, but the server announced ${nf.format(ctx.expected)} (Content-Length)`, true);
    }
    if (ctx.bytes === 0) throw new DownloadError(url, 'the server sent an empty file', true);
    fs.renameSync(part, dest);
    return {
      url,
      finalUrl: at.href !== url ? at.href : undefined,
      path: dest,
      bytes: ctx.bytes,
      sha256: hash.digest('hex'),
      contentLength: ctx.expected,
      lastModified: res.headers.get('last-modified') ?? undefined,
    };
  } catch (err) {
    fs.rmSync(part, { force: true });
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Downloads `url` to `dest` (through `dest`.part), retrying transient failures `retries` times with
 * exponential backoff. Throws a DownloadError naming the URL and what happened.
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions): Promise<DownloadedFile> {
  const backoff = opts.backoffMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadOnce(url, dest, opts);
    } catch (err) {
      const e = err instanceof DownloadError ? err : describeFailure(url, err, { timedOut: false, timeoutMs: opts.timeoutMs, bytes: 0, body: false });
      if (!e.transient || attempt >= opts.retries) {
        if (attempt === 0) throw e;
        throw new DownloadError(url, `${e.reason} (tried ${attempt + 1} times)`, e.transient, e.offline);
      }
      const wait = backoff * 2 ** attempt;
      log.warn(`${url}: ${e.reason}; trying again in ${wait / 1000} s (attempt ${attempt + 2} of ${opts.retries + 1})`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The release date of files that carry none.

/** The calendar date of `when` in `timeZone`, as YYYY-MM-DD. */
export function dateIn(when: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(when);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The release date to pass as --release, for a source whose files carry no date inside (OFAC's legacy
 * CSV, OpenSanctions' entities.ftm.json); undefined when the files have one (the parser reads it).
 *
 * The HTTP Last-Modified of the first (primary) file, taken as a date in the publisher's time zone, is
 * preferred over the download date: it is the publisher's own statement of when this content was
 * produced, so downloading an unchanged list again next week gives the same release instead of
 * inventing a new one, and a list fetched days after publication is not post-dated. (For OpenSanctions
 * it is the export time, the same moment as `last_export` in the dataset's index.json.) The download
 * date is the fallback when the server sends no Last-Modified, or one that cannot be right (unparseable,
 * before 2000, or in the future).
 */
export function releaseForDownload(
  source: FetchSourceDef,
  files: Pick<DownloadedFile, 'path' | 'lastModified'>[],
  downloadedAt: Date,
): { release: string; why: string } | undefined {
  if (source.dateInside || files.length === 0) return undefined;
  const tz = PUBLISHERS[source.publisher].timeZone;
  const first = files[0];
  const name = path.basename(first.path);
  const lm = first.lastModified ? new Date(first.lastModified) : undefined;
  const plausible = lm && !Number.isNaN(lm.getTime()) && lm.getUTCFullYear() >= 2000 && lm.getTime() <= downloadedAt.getTime() + 86_400_000;
  if (lm && plausible) {
    return { release: dateIn(lm, tz), why: `the HTTP Last-Modified date of ${name} (${first.lastModified}, as a date in ${tz}); these files carry no date inside` };
  }
  return {
    release: dateIn(downloadedAt, tz),
    why: `the download date (in ${tz}): ${name} carries no date inside and the server sent ${first.lastModified ? `an unusable Last-Modified (${first.lastModified})` : 'no Last-Modified'}`,
  };
}

// ---------------------------------------------------------------------------------------------------
// A whole source.

export interface FetchedRelease {
  source: FetchSourceDef;
  /** The folder holding the downloaded files (kept). */
  folder: string;
  files: DownloadedFile[];
  /** For files without a date inside: the release to load them as, and why that date. */
  release?: { release: string; why: string };
}

/** Folders of downloads in progress, removed by cleanupPartialDownloads on an interrupt. */
const inProgress = new Set<string>();

/** Removes the folders of unfinished downloads (synchronously: called from a signal handler). */
export function cleanupPartialDownloads(): void {
  for (const dir of inProgress) fs.rmSync(dir, { recursive: true, force: true });
  inProgress.clear();
}

/** A local time stamp without YYYY-MM-DD in it (a date in the path would be taken for the release). */
function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Downloads every file of `source` into a new folder. Resolves only when all of them are complete and
 * recognised as the source's format; otherwise the folder is removed and the error thrown.
 */
export async function fetchSource(source: FetchSourceDef, cfg: FetchConfig): Promise<FetchedRelease> {
  fs.mkdirSync(cfg.dir, { recursive: true, mode: 0o700 });
  const started = new Date();
  // mkdtemp: a name no one can predict, made 0700 (and said again, whatever the umask).
  const folder = fs.mkdtempSync(path.join(cfg.dir, `${source.name.replace(/[^A-Za-z0-9_-]+/g, '-')}-${stamp(started)}-`));
  fs.chmodSync(folder, 0o700);
  inProgress.add(folder);
  try {
    const files: DownloadedFile[] = [];
    for (const f of sourceFiles(source, cfg)) {
      log.info(`Downloading ${f.url}`);
      const got = await downloadFile(f.url, path.join(folder, f.name), {
        timeoutMs: cfg.timeoutMs,
        retries: cfg.retries,
        maxBytes: cfg.maxBytes,
        backoffMs: cfg.backoffMs,
        progress: cfg.progress,
      });
      log.info(`  ${f.name}: ${nf.format(got.bytes)} bytes${got.contentLength !== undefined ? ' (as announced)' : ''}${got.lastModified ? `, Last-Modified ${got.lastModified}` : ''}`);
      files.push(got);
    }
    await checkFormat(source, files);
    const release = releaseForDownload(source, files, started);
    fs.writeFileSync(path.join(folder, 'FETCHED.md'), manifest(source, folder, files, started, release));
    inProgress.delete(folder);
    return { source, folder, files, release };
  } catch (err) {
    inProgress.delete(folder);
    // Files that arrived whole but are not what was expected are kept for inspection; a failed
    // download is removed with everything else of its source.
    if (err instanceof SourceFormatError) throw new SourceFormatError(err.file, err.line, `${err.reason}; the downloaded files are kept in ${folder}`);
    fs.rmSync(folder, { recursive: true, force: true });
    throw err;
  }
}

/** The files must be what the source promises (an HTML error page served with 200 is not). */
async function checkFormat(source: FetchSourceDef, files: DownloadedFile[]): Promise<void> {
  let detected;
  try {
    detected = await detectFormat(files.map((f) => f.path));
  } catch (err) {
    if (err instanceof SourceFormatError) {
      const file = files.find((f) => path.basename(f.path) === err.file);
      throw new SourceFormatError(err.file, err.line, `${err.reason} (${file ? `downloaded from ${file.url}; ` : ''}expected ${source.format})`);
    }
    throw err;
  }
  if (detected.name !== source.format) {
    throw new SourceFormatError(
      files.map((f) => path.basename(f.path)).join(', '),
      undefined,
      `downloaded for ${source.name}, are ${detected.name}, not ${source.format} as expected; has the publisher changed the files?`,
    );
  }
}

function manifest(source: FetchSourceDef, folder: string, files: DownloadedFile[], at: Date, release: FetchedRelease['release']): string {
  const reload = `npm run ingest -- ${folder}${release ? ` --release ${release.release}` : ''}`;
  return [
    `# ${source.name}: ${source.description}`,
    '',
    `Downloaded ${at.toISOString()} by \`npm run ingest -- --fetch ${source.name}\`; every file arrived whole.`,
    '',
    '| file | from | bytes | sha256 | Last-Modified |',
    '|---|---|---|---|---|',
    ...files.map(
      (f) =>
        `| ${path.basename(f.path)} | ${f.url}${f.finalUrl ? ` (redirected to ${f.finalUrl})` : ''} | ${f.bytes} | ${f.sha256} | ${f.lastModified ?? ''} |`,
    ),
    '',
    release ? `Release ${release.release}: ${release.why}.` : 'Release: the date inside the file.',
    '',
    `Load these files again with: \`${reload}\``,
    '',
  ].join('\n');
}

/** The command that loads a fetched folder from disk, for messages. */
export function reloadCommand(fetched: FetchedRelease): string {
  return `npm run ingest -- ${fetched.folder}${fetched.release ? ` --release ${fetched.release.release}` : ''}`;
}
