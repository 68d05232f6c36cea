/**
 * Who is calling: API keys with roles, configured by the operator (API_KEYS_FILE / API_KEYS, one JSON
 * object per line: owner, role, sha256 of the key), plus REVIEW_API_KEY as one reviewer key of the
 * owner "review key". A key travels in `x-api-key` or `Authorization: Bearer`; it is never logged,
 * never echoed, and only its hash is kept in memory.
 *
 * Keys are random (api-key.ts makes 256-bit ones), so SHA-256 is enough at rest: a slow hash protects
 * guessable passwords, not random keys, and a fast one lets every request be checked with one hash.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { BadInputError, ForbiddenError, UnauthenticatedError } from '../core/errors';
import { log } from '../core/logger';
import { AccessSettings, SettingsError } from '../core/settings';

/** Roles, least first: each may do what the ones before it may. */
export const ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A caller identified by an API key. */
export interface Principal {
  /** The key's owner as the operator named it; recorded as the reviewer of a match. */
  owner: string;
  role: Role;
}

/** Who sent a request: the key's principal (null: anonymous) and the client's address. */
export interface Caller {
  principal: Principal | null;
  address: string;
}

export const REVIEW_KEY_OWNER = 'review key';

/** The owner, role and key hash of one configured key. */
interface KeyEntry extends Principal {
  sha256: string;
}

export function sha256Hex(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Parses API keys: JSON lines (blank lines and # comments skipped) or one JSON array, each
 * `{"owner": "alice", "role": "reviewer", "sha256": "<64 hex digits>"}`. `where` names the source in errors.
 */
export function parseApiKeys(text: string, where: string): KeyEntry[] {
  const trimmed = text.trim();
  let items: { item: unknown; line: number }[];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new SettingsError(`${where}: not valid JSON (${(err as Error).message})`);
    }
    items = (parsed as unknown[]).map((item, i) => ({ item, line: i + 1 }));
  } else {
    items = [];
    text.split(/\r?\n/).forEach((l, i) => {
      if (l.trim() === '' || l.trim().startsWith('#')) return;
      try {
        items.push({ item: JSON.parse(l), line: i + 1 });
      } catch {
        throw new SettingsError(`${where}:${i + 1}: not a JSON object (one key per line: {"owner": ..., "role": ..., "sha256": ...})`);
      }
    });
  }
  const entries: KeyEntry[] = [];
  const seen = new Set<string>();
  for (const { item, line } of items) {
    const e = item as Partial<Record<keyof KeyEntry, unknown>>;
    const at = `${where}:${line}`;
    if (typeof e !== 'object' || e === null) throw new SettingsError(`${at}: not a JSON object`);
    if (typeof e.owner !== 'string' || e.owner.trim() === '' || e.owner.length > 200) throw new SettingsError(`${at}: "owner" must be a name of 1 to 200 characters`);
    if (!ROLES.includes(e.role as Role)) throw new SettingsError(`${at}: "role" must be one of ${ROLES.join(', ')}`);
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(e.sha256)) {
      throw new SettingsError(`${at}: "sha256" must be the SHA-256 of the key in hex (64 digits); the key itself is never written here`);
    }
    const sha256 = e.sha256.toLowerCase();
    if (seen.has(sha256)) throw new SettingsError(`${at}: the same key is listed twice`);
    seen.add(sha256);
    entries.push({ owner: e.owner.trim(), role: e.role as Role, sha256 });
  }
  return entries;
}

/** The keys of the settings (file, then inline); a file that cannot be read stops the start. */
export function loadApiKeys(access: Pick<AccessSettings, 'apiKeysFile' | 'apiKeys'>): KeyEntry[] {
  const entries: KeyEntry[] = [];
  if (access.apiKeysFile) {
    let text: string;
    try {
      text = fs.readFileSync(access.apiKeysFile, 'utf8');
    } catch (err) {
      throw new SettingsError(`API_KEYS_FILE=${access.apiKeysFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
    entries.push(...parseApiKeys(text, access.apiKeysFile));
  }
  if (access.apiKeys) entries.push(...parseApiKeys(access.apiKeys, 'API_KEYS'));
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.sha256)) throw new SettingsError(`The key of ${e.owner} is listed in both API_KEYS_FILE and API_KEYS`);
    seen.add(e.sha256);
  }
  return entries;
}

/** Checks keys against the configured ones; `replace` swaps them all at once (a re-read of the file). */
export class KeyStore {
  private byHash: Map<string, Principal>;
  /** When the keys now in force were read. */
  readAt = new Date();

  constructor(entries: KeyEntry[]) {
    this.byHash = KeyStore.index(entries);
  }

  private static index(entries: KeyEntry[]): Map<string, Principal> {
    return new Map(entries.map((e) => [e.sha256, { owner: e.owner, role: e.role }]));
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The owners whose keys are in force (for the log of a re-read; owners are names, not secrets). */
  owners(): Set<string> {
    return new Set([...this.byHash.values()].map((p) => p.owner));
  }

  replace(entries: KeyEntry[]): void {
    this.byHash = KeyStore.index(entries);
    this.readAt = new Date();
  }

  /**
   * The principal of a key, or null. Looked up by the key's hash: the time a lookup takes can tell an
   * attacker about hashes, never about keys. REVIEW_API_KEY (given per call: the server may switch it
   * off) is compared in constant time.
   */
  principalOf(key: string, reviewApiKey: string | null | undefined): Principal | null {
    const hash = sha256Hex(key);
    const found = this.byHash.get(hash);
    if (found) return found;
    if (reviewApiKey && crypto.timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(sha256Hex(reviewApiKey), 'hex'))) {
      return { owner: REVIEW_KEY_OWNER, role: 'reviewer' };
    }
    return null;
  }
}

/** How often API_KEYS_FILE is checked for a change (a stat of the file: cheap). */
export const KEYS_POLL_MS = 2000;

/**
 * Re-reads API_KEYS_FILE whenever it changes (polled: fs.watch misses an editor that replaces the file
 * by renaming a new one over it), so that adding or revoking a key needs no restart. A file that cannot
 * be read or parsed leaves the keys read before in force and says so in the log, loudly: a typo must not
 * lock every user out, nor go unnoticed. (SIGHUP is not used: server/main.ts stops the server on it.)
 */
export function watchApiKeys(keys: KeyStore, access: Pick<AccessSettings, 'apiKeysFile' | 'apiKeys'>, pollMs = KEYS_POLL_MS): { close(): void } {
  const file = access.apiKeysFile;
  if (!file) return { close: () => undefined };
  const onChange = (curr: fs.Stats, prev: fs.Stats) => {
    if (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size && curr.ino === prev.ino) return;
    const before = keys.owners();
    try {
      keys.replace(loadApiKeys(access));
    } catch (err) {
      log.error(`API keys: ${file} changed but was not re-read (${(err as Error).message}); the ${keys.size} keys read before stay in force until it is fixed`);
      return;
    }
    const after = keys.owners();
    const added = [...after].filter((o) => !before.has(o));
    const removed = [...before].filter((o) => !after.has(o));
    log.info(
      `API keys re-read from ${file}: ${keys.size} in force` +
        (added.length ? `; new owners ${added.join(', ')}` : '') +
        (removed.length ? `; owners without a key now ${removed.join(', ')}` : ''),
    );
  };
  // Not persistent: the watch alone must not keep a process (a test, a stopping server) alive.
  fs.watchFile(file, { persistent: false, interval: pollMs }, onChange);
  return { close: () => fs.unwatchFile(file, onChange) };
}

const KEY_HEADERS = ['x-api-key', 'authorization'];

/**
 * The API key a request sends, or null. Read from the raw headers, because Node folds a repeated
 * `x-api-key` into one comma-joined value and silently keeps only the first `Authorization`: a key sent
 * twice (or in both headers) is refused, so that no proxy or client mix-up picks one of two identities.
 */
export function keyOf(req: IncomingMessage): string | null {
  const sent: { name: string; value: string }[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    if (KEY_HEADERS.includes(name)) sent.push({ name, value: req.rawHeaders[i + 1] });
  }
  if (sent.length === 0) return null;
  if (sent.length > 1) throw new BadInputError('Send the API key once, in x-api-key or in Authorization: Bearer, not in several headers');
  const { name, value } = sent[0];
  if (name === 'x-api-key') {
    if (value.trim() === '') throw new UnauthenticatedError('The x-api-key header is empty');
    return value.trim();
  }
  const bearer = /^Bearer +(\S+) *$/i.exec(value);
  if (!bearer) throw new UnauthenticatedError('Authorization must be "Bearer <API key>"');
  return bearer[1];
}

/**
 * Who a request comes from. A key the server does not know is refused (401), also where anonymous
 * reads are allowed: a caller who meant to be someone must learn that they are not.
 */
export function authenticate(req: IncomingMessage, keys: KeyStore, reviewApiKey: string | null | undefined): Principal | null {
  const key = keyOf(req);
  if (key === null) return null;
  const principal = keys.principalOf(key, reviewApiKey);
  if (principal) return principal;
  if (keys.size === 0 && !reviewApiKey) {
    throw new UnauthenticatedError('API keys are switched off on this server: its operator sets them in API_KEYS_FILE (or REVIEW_API_KEY for one review key)');
  }
  throw new UnauthenticatedError('The API key sent is not one this server knows: check it (the review API key, or the key your operator gave you)');
}

/** Throws unless the caller's role is at least `role` (401 without a key, 403 with too low a role). */
export function requireRole(caller: Caller | undefined, role: Role, what: string): Principal {
  const principal = caller?.principal;
  if (!principal) throw new UnauthenticatedError(`${what} needs an API key with the ${role} role (x-api-key or Authorization: Bearer)`);
  if (ROLES.indexOf(principal.role) < ROLES.indexOf(role)) {
    throw new ForbiddenError(`${what} needs the ${role} role; the key of ${principal.owner} has the ${principal.role} role`);
  }
  return principal;
}
