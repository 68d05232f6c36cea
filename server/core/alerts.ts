/**
 * Watches and alerts (issue 14 item 5). A watch is on one party with a radius (1 to 3 hops, 2 by
 * default). After every committed load, `recordAlerts` finds what the load changed and keeps, per
 * watch, the changes inside its radius as alerts:
 *
 * - DESIGNATION / DELISTING: a party the load's release lists and the previous release of its dataset
 *   did not, and the reverse (the release snapshots, releases.ts: what `changes` compares);
 * - LINK_ADDED / LINK_REMOVED: links between parties the load added (its `addedSeq`, not a restatement)
 *   or removed (its `removedSeq`: kept as PAST_<type> by its purge, server/core/as-of.ts);
 * - CANDIDATE_MATCH: a candidate match (POSSIBLY_SAME_AS) touching the radius that the watch had not
 *   seen (each watch keeps the pairs it has seen: the matching refresh rewrites them all).
 *
 * The radius counts hops through links between parties and through shared addresses and identifiers
 * (party - address - party is 2 hops); programs are left out (one joins thousands of parties). It is
 * taken after the load, plus the links the load removed, so both ends of a removed link are where they
 * were. A radius is read up to RADIUS_MAX_NODES nodes; a watch whose radius is cut says so in its alerts.
 *
 * Watches and alerts are nodes of their own labels (LABELS.Watch, LABELS.Alert) without relationships:
 * no load, purge, cleanup or rollback query matches them (test/integration/alerts.int.test.ts).
 *
 * Optionally each load's alerts are POSTed as JSON to ALERT_WEBHOOK_URL, signed with HMAC-SHA256 of the
 * body under ALERT_WEBHOOK_SECRET (header X-Sanctions-Graph-Signature: sha256=<hex>), retried 3 times
 * with backoff; a failure is logged and recorded on the alerts (delivered: false), never fails the load.
 */
import crypto from 'node:crypto';
import neo4j from 'neo4j-driver';
import { BadInputError } from './errors';
import { log } from './logger';
import { FACT_KINDS, LINK_TYPES } from './model';
import { PAST_PREFIX, type Database, type Params } from './neo4j/database';
import { alertWebhookSettings, type WebhookSettings } from './settings';
import { joinParties, releaseId, releaseMeta, releaseParties } from './releases';

export const WATCH_RADIUS = { default: 2, min: 1, max: 3 } as const;
/** Watches kept at most (each costs its radius's reads after every load). */
export const WATCHES_MAX = 1000;
/** Nodes read of one watch's radius at most (addresses shared by many parties can make a 3-hop radius large). */
export const RADIUS_MAX_NODES = 20_000;
/** Alerts kept per watch and load; beyond them one MORE alert counts the rest. */
export const ALERTS_PER_WATCH = 500;
/** Alerts in one page at most, and by default. */
export const ALERT_PAGE = { max: 500, default: 50 } as const;

export type AlertKind = 'DESIGNATION' | 'DELISTING' | 'LINK_ADDED' | 'LINK_REMOVED' | 'CANDIDATE_MATCH' | 'MORE';

export interface StoredWatch {
  id: string;
  name: string;
  radius: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface StoredAlert {
  /** Sort key and cursor: the load's number, when recorded, the order recorded in (zero-padded). */
  key: string;
  kind: AlertKind;
  watchId: string;
  watchName: string;
  load: number;
  dataset: string;
  release: string;
  partyId: string;
  partyName: string;
  otherId: string | null;
  otherName: string | null;
  linkType: string | null;
  label: string | null;
  score: number | null;
  /** The watched radius was cut at RADIUS_MAX_NODES: changes beyond the part read are not told. */
  radiusCut: boolean;
  message: string;
  createdAt: string;
  /** null: no webhook configured; else whether the webhook took it. */
  delivered: boolean | null;
  deliveryError: string | null;
  deliveryAttempts: number | null;
}

/** The webhook's settings (settings.ts: ALERT_WEBHOOK_*). */
export const webhookSettings = alertWebhookSettings;

const LINK_PAST_TYPES = LINK_TYPES.map((t) => PAST_PREFIX + t);
const RADIUS_TYPES = [...LINK_TYPES, FACT_KINDS.Address.relType, FACT_KINDS.Identifier.relType];
const RADIUS_PAST_TYPES = RADIUS_TYPES.map((t) => PAST_PREFIX + t);

/** The parties within `radius` hops of `id` (itself included), and whether the read was cut. */
async function radiusOf(db: Database, id: string, radius: number, seq: number): Promise<{ ids: Set<string>; cut: boolean } | null> {
  const [start] = await db.read<{ eid: string; id: string }>('watch-party', { id });
  if (!start) return null;
  const seen = new Set([start.eid]);
  const ids = new Set([start.id]);
  let frontier = [start.eid];
  let cut = false;
  for (let hop = 0; hop < radius && frontier.length > 0 && !cut; hop++) {
    const max = RADIUS_MAX_NODES - seen.size;
    const rows = await db.read<{ eid: string; id: string | null; party: boolean }>('watch-hop', {
      frontier,
      seen: [...seen],
      types: RADIUS_TYPES,
      pastTypes: RADIUS_PAST_TYPES,
      seq,
      max: neo4j.int(max + 1),
    });
    frontier = [];
    for (const r of rows.slice(0, max)) {
      if (seen.has(r.eid)) continue;
      seen.add(r.eid);
      frontier.push(r.eid);
      if (r.party && r.id) ids.add(r.id);
    }
    cut = rows.length > max;
  }
  return { ids, cut };
}

interface LinkRow {
  from: string;
  fromName: string;
  type: string;
  to: string;
  toName: string;
  label: string | null;
}
interface MatchRow {
  from: string;
  fromName: string;
  to: string;
  toName: string;
  score: number | null;
}
const matchKey = (m: MatchRow) => `${m.from}|${m.to}`;

async function matchesWithin(db: Database, ids: Set<string>): Promise<MatchRow[]> {
  return db.read<MatchRow & Record<string, unknown>>('alert-matches', { ids: [...ids] });
}

/** What a committed load changed, for every watch. */
interface LoadChanges {
  dataset: string;
  release: string;
  listed: { id: string; name: string }[];
  delisted: { id: string; name: string }[];
  linksAdded: LinkRow[];
  linksRemoved: LinkRow[];
}

async function loadChanges(db: Database, seq: number): Promise<LoadChanges | null> {
  const [l] = await db.read<{ dataset: string; release: string; previous: string | null }>('alert-load', { seq });
  if (!l) return null;
  // Who the list names after the load and before it: the two releases' snapshots (none kept: nobody),
  // walked together in id order a page at a time (releases.ts joinParties).
  const read = (name: string, params: Params) => db.read(name, params);
  const parties = async function* (release: string | null) {
    const meta = release ? await releaseMeta(read, releaseId(l.dataset, release)) : null;
    if (meta) yield* releaseParties(read, meta);
  };
  const listed: { id: string; name: string }[] = [];
  const delisted: { id: string; name: string }[] = [];
  await joinParties(parties(l.previous), parties(l.release), (id, before, after) => {
    if (!before) listed.push({ id, name: after!.name });
    else if (!after) delisted.push({ id, name: before.name });
  });
  const linkParams = { seq, linkTypes: LINK_TYPES, pastTypes: LINK_PAST_TYPES, pastPrefix: PAST_PREFIX };
  const linksAdded = await db.read<LinkRow & Record<string, unknown>>('alert-links-added', linkParams);
  const linksRemoved = await db.read<LinkRow & Record<string, unknown>>('alert-links-removed', linkParams);
  return { dataset: l.dataset, release: l.release, listed, delisted, linksAdded, linksRemoved };
}

const words = (s: string) => s.toLowerCase().replace(/_/g, ' ');

/**
 * After load `seq` committed: the changes inside each watch's radius, recorded as alerts (and POSTed to
 * the webhook when one is set). Returns them. Never throws: a failure is logged (the load is loaded).
 */
export async function recordAlerts(db: Database, seq: number, given?: WebhookSettings): Promise<StoredAlert[]> {
  try {
    const settings = given ?? webhookSettings();
    const alerts = await computeAlerts(db, seq);
    if (alerts.length > 0) {
      await db.write('alert-create', { rows: alerts });
      if (settings.url) await deliver(db, alerts, settings);
    }
    if (alerts.length > 0) {
      const shown = alerts.slice(0, 20).map((a) => `  ${a.message}`);
      log.info(`${alerts.length} alert${alerts.length === 1 ? '' : 's'}:\n${shown.join('\n')}${alerts.length > 20 ? `\n  ... and ${alerts.length - 20} more (GraphQL: alerts)` : ''}`);
    } else {
      log.info('0 alerts');
    }
    return alerts;
  } catch (err) {
    log.warn(`Recording the alerts of load ${seq} failed (${(err as Error).message}); the load itself is loaded`);
    return [];
  }
}

async function computeAlerts(db: Database, seq: number): Promise<StoredAlert[]> {
  const watches = await listWatches(db);
  if (watches.length === 0) return [];
  const changes = await loadChanges(db, seq);
  if (!changes) return [];
  const at = new Date().toISOString();
  // Keys sort by load, then by when recorded (a watch added after a load may be told it later), then in order.
  const stamp = String(Date.now()).padStart(15, '0');
  const out: StoredAlert[] = [];
  for (const w of watches) {
    // Each load is told once per watch (recordAlerts called again for it adds nothing to this watch).
    if (w.checkedSeq != null && Number(w.checkedSeq) >= seq) continue;
    const radius = await radiusOf(db, w.id, w.radius, seq);
    if (!radius) continue; // the watched party is gone (a placeholder no longer stated): nothing is around it
    const { ids, cut } = radius;
    const found: Omit<StoredAlert, 'key' | 'watchId' | 'watchName' | 'load' | 'dataset' | 'release' | 'radiusCut' | 'createdAt' | 'delivered' | 'deliveryError' | 'deliveryAttempts'>[] = [];
    const base = { otherId: null, otherName: null, linkType: null, label: null, score: null };
    const within = `within ${w.radius} hop${w.radius === 1 ? '' : 's'} of watched ${w.name} (${w.id})`;
    for (const p of changes.listed.filter((p) => ids.has(p.id))) {
      found.push({ ...base, kind: 'DESIGNATION', partyId: p.id, partyName: p.name, message: `${p.name} (${p.id}) newly listed in ${changes.dataset} ${changes.release}, ${within}` });
    }
    for (const p of changes.delisted.filter((p) => ids.has(p.id))) {
      found.push({ ...base, kind: 'DELISTING', partyId: p.id, partyName: p.name, message: `${p.name} (${p.id}) delisted by ${changes.dataset} ${changes.release}, ${within}` });
    }
    for (const [kind, links, verb] of [['LINK_ADDED', changes.linksAdded, 'new link'], ['LINK_REMOVED', changes.linksRemoved, 'link removed']] as const) {
      for (const l of links.filter((l) => ids.has(l.from) || ids.has(l.to))) {
        found.push({
          ...base,
          kind,
          partyId: l.from,
          partyName: l.fromName,
          otherId: l.to,
          otherName: l.toName,
          linkType: l.type,
          label: l.label,
          message: `${verb} in ${changes.dataset} ${changes.release}: ${l.fromName} (${l.from}) ${l.label ?? words(l.type)} ${l.toName} (${l.to}), ${within}`,
        });
      }
    }
    const matches = await matchesWithin(db, ids);
    const seen = new Set(w.matchKeys ?? []);
    for (const m of matches.filter((m) => !seen.has(matchKey(m)))) {
      found.push({
        ...base,
        kind: 'CANDIDATE_MATCH',
        partyId: m.from,
        partyName: m.fromName,
        otherId: m.to,
        otherName: m.toName,
        score: m.score,
        message: `new candidate match after ${changes.dataset} ${changes.release}: ${m.fromName} (${m.from}) possibly the same as ${m.toName} (${m.to})${m.score != null ? ` (score ${m.score.toFixed(2)})` : ''}, ${within}`,
      });
    }
    await db.write('watch-baseline', { id: w.id, matchKeys: matches.map(matchKey).sort(), seq: neo4j.int(seq) });
    const kept = found.slice(0, ALERTS_PER_WATCH);
    if (found.length > kept.length) {
      kept.push({ ...base, kind: 'MORE', partyId: w.id, partyName: w.name, message: `${found.length - ALERTS_PER_WATCH} more changes ${within} in ${changes.dataset} ${changes.release}, not listed` });
    }
    for (const a of kept) {
      out.push({
        ...a,
        key: `${String(seq).padStart(10, '0')}-${stamp}-${String(out.length).padStart(7, '0')}`,
        watchId: w.id,
        watchName: w.name,
        load: seq,
        dataset: changes.dataset,
        release: changes.release,
        radiusCut: cut,
        message: cut ? `${a.message} (radius read in part: more than ${RADIUS_MAX_NODES} nodes)` : a.message,
        createdAt: at,
        delivered: null,
        deliveryError: null,
        deliveryAttempts: null,
      });
    }
  }
  return out;
}

export const SIGNATURE_HEADER = 'X-Sanctions-Graph-Signature';

/** The signature header's value for a body: sha256=<hex of HMAC-SHA256(secret, body)>. */
export function signBody(body: string, secret: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** POSTs a load's alerts to the webhook, retried; records the outcome on the alerts. Never throws. */
async function deliver(db: Database, alerts: StoredAlert[], s: WebhookSettings): Promise<void> {
  const keys = alerts.map((a) => a.key);
  let error: string | null = null;
  let attempts = 0;
  if (!s.secret) {
    error = 'ALERT_WEBHOOK_SECRET is not set: alerts are only sent signed, so none was sent';
  } else {
    const body = JSON.stringify({ load: alerts[0].load, dataset: alerts[0].dataset, release: alerts[0].release, alerts });
    const signature = signBody(body, s.secret);
    for (attempts = 1; attempts <= s.retries + 1; attempts++) {
      try {
        const res = await fetch(s.url!, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
          body,
          signal: AbortSignal.timeout(s.timeoutMs),
        });
        await res.body?.cancel();
        if (res.ok) {
          error = null;
          break;
        }
        error = `the webhook answered ${res.status} ${res.statusText}`;
      } catch (err) {
        error = `the webhook could not be reached (${(err as Error).message})`;
      }
      if (attempts <= s.retries) await sleep(s.backoffMs * 2 ** (attempts - 1));
    }
    attempts = Math.min(attempts, s.retries + 1);
  }
  if (error) log.warn(`Alerts of load ${alerts[0].load} not delivered to ALERT_WEBHOOK_URL: ${error}; kept as undelivered`);
  const at = error ? null : new Date().toISOString();
  for (const a of alerts) Object.assign(a, { delivered: !error, deliveryError: error, deliveryAttempts: attempts });
  await db.write('alert-delivery', { keys, delivered: !error, error, attempts, at }).catch((err: Error) =>
    log.warn(`Recording the webhook delivery of load ${alerts[0].load}'s alerts failed (${err.message})`),
  );
}

interface WatchRow extends StoredWatch {
  matchKeys?: string[] | null;
  checkedSeq?: number | null;
}

export async function listWatches(db: Database): Promise<WatchRow[]> {
  return (await db.read<{ w: WatchRow }>('watch-list', {})).map((r) => ({ ...r.w, radius: Number(r.w.radius) }));
}

/** Watches a party (or changes its watch's radius), as `by`. BAD_USER_INPUT for a radius out of bounds or an unknown party. */
export async function watchParty(db: Database, id: string, radius: number | null | undefined, by: string): Promise<StoredWatch> {
  const r = radius ?? WATCH_RADIUS.default;
  if (!Number.isInteger(r) || r < WATCH_RADIUS.min || r > WATCH_RADIUS.max) {
    throw new BadInputError(`radius must be a whole number of hops from ${WATCH_RADIUS.min} to ${WATCH_RADIUS.max}, got ${r}`);
  }
  const [party] = await db.read<{ eid: string; id: string; name: string }>('watch-party', { id });
  if (!party) throw new BadInputError(`no party with id ${JSON.stringify(id)} to watch`);
  const watches = await listWatches(db);
  if (watches.length >= WATCHES_MAX && !watches.some((w) => w.id === id)) {
    throw new BadInputError(`${WATCHES_MAX} parties are watched already, the most kept; unwatch one first`);
  }
  // The candidate matches around it now: the next load alerts only on new ones. (-1: no load removes links now.)
  const around = await radiusOf(db, id, r, -1);
  const matchKeys = around ? (await matchesWithin(db, around.ids)).map(matchKey).sort() : [];
  const [row] = await db.write<{ w: WatchRow }>('watch-upsert', { id, name: party.name, radius: r, at: new Date().toISOString(), by, matchKeys });
  const { matchKeys: _omit, ...w } = row.w;
  return { ...w, radius: Number(w.radius) };
}

export async function unwatchParty(db: Database, id: string): Promise<boolean> {
  const [row] = await db.write<{ deleted: number }>('watch-delete', { id });
  return Number(row?.deleted ?? 0) > 0;
}

export interface AlertPage {
  alerts: StoredAlert[];
  endCursor: string | null;
  hasMore: boolean;
  total: number;
}

/** Alerts, newest first, `first` of them after the cursor `after` (an alert's key). */
export async function alertPage(db: Database, first: number | null | undefined, after: string | null | undefined): Promise<AlertPage> {
  const n = first ?? ALERT_PAGE.default;
  if (!Number.isInteger(n) || n < 0 || n > ALERT_PAGE.max) throw new BadInputError(`first must be from 0 to ${ALERT_PAGE.max}, got ${n}`);
  if (after != null && !/^\d{10}-\d{15}-\d{7}$/.test(after)) throw new BadInputError(`after must be an alert's cursor (its key), got ${JSON.stringify(after)}`);
  const rows = await db.read<{ a: StoredAlert }>('alert-page', { after: after ?? null, limit: neo4j.int(n + 1) });
  const [count] = await db.read<{ total: number }>('alert-count', {});
  const alerts = rows.slice(0, n).map((r) => ({ ...r.a, load: Number(r.a.load), deliveryAttempts: r.a.deliveryAttempts == null ? null : Number(r.a.deliveryAttempts) }));
  return { alerts, endCursor: alerts.length ? alerts[alerts.length - 1].key : null, hasMore: rows.length > n, total: Number(count?.total ?? 0) };
}
