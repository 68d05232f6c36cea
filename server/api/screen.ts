/**
 * Screening (Query.screen and POST /api/screen): a party as a caller knows it against every loaded
 * list. Candidates come from the name search (search.ts, the same ranking as Query.search) and from
 * exact lookups of the input's identifiers (normalised as ingest normalises them:
 * server/core/text/normalize.ts identifierLookup; cypher/api-screen-identifiers.cypher), including
 * parties that are not listed themselves (a placeholder or an unlisted party holding a shared email),
 * whose exposure then leads to the listed ones. Each candidate is scored by the cross-list matcher with
 * the screening weights (server/core/matching/match.ts screenCandidate), word rarity measured among
 * every party of the graph (server/core/screening/name-stats.ts), and explained in words.
 *
 * Candidates are scored from the in-memory name index's rows (server/core/search/name-index.ts
 * IndexedParty: kind, names, birth dates, countries, identifiers), which also hold the listing facts
 * the explanation states: a screen reads nothing of its candidates from Neo4j, and a match's entity is
 * read only when asked (ScreenMatch.entity, through the request's entityLoader). When the index does not
 * see what the request sees (its first build, or a rebuild after a load commits) the candidates are read
 * first and scored from their entities: the same answer either way (screen-from-index.int.test.ts
 * compares the two).
 */
import { BadInputError, ServiceUnavailableError } from '../core/errors';
import { describeScreening } from '../core/matching/describe';
import {
  prepareScreenCandidate, prepareScreenSubject, SCREEN_THRESHOLD, screenCandidate, type MatchIdentifier, type MatchParty, type PreparedScreenCandidate,
  type PreparedScreenSubject,
} from '../core/matching/match';
import { isIdentifierType, isPartyKind } from '../core/model';
import type { Database } from '../core/neo4j/database';
import { searchIndexFor } from '../core/search/live';
import type { IndexedParty, NameIndex } from '../core/search/name-index';
import { screenPreparedCandidates } from '../core/settings';
import { comparedCountries, comparedIdentifier, comparedIdentifiers, type FoundIdentifier } from '../core/screening/compare';
import { parseScreenInput, SCREEN_LIMITS } from '../core/screening/input';
import { nameStatsFor } from '../core/screening/name-stats';
import { readableName, readingsFor } from '../core/screening/readings';
import { identifierLookup, lookupAccepts } from '../core/text/normalize';
import type { Context } from './context';
import { entityLoader, type EntityParent } from './entity';
import { exposureFor } from './exposure';
import type { Fact, NameLookup, Resolvers, ResolversTypes } from './generated/graphql';
import { requestDb } from './request';
import { search } from './search';
import { intIn, LIMITS } from './validate';

export { SCREEN_THRESHOLD };

export interface ScreenArgs {
  input: unknown;
  first?: number | null;
  threshold?: number | null;
}

/** A match as screen() returns it: the party's id, which ScreenMatch.entity and ScreenMatch.exposure read. */
export interface ScreenMatchRow {
  id: string;
  score: number;
  explanation: Fact[];
}

/** How screen() scores its candidates; the default is what requests get. */
export interface ScreenOptions {
  /**
   * From the name index's rows when it sees what the request sees (true, the default), or always from
   * the candidates' entities read from Neo4j (false: the path taken without the index; tests compare).
   */
  fromIndex?: boolean;
}

/** A candidate scored, before its listing facts are added to the explanation. */
interface Scored {
  id: string;
  score: number;
  /** Its explanation, written only for the matches kept (a screen scores ~30 candidates and keeps a few). */
  explain: () => Fact[];
}

export interface ScreenAnswer {
  matches: ScreenMatchRow[];
  threshold: number;
  identifiers: Fact[];
  /** Which index found the candidates by name; null when the name was not searched. */
  nameLookup: NameLookup | null;
}

/**
 * The `name` line of a screen whose name search used the full-text index (the name index was being built):
 * a caller, and a bulk run's row, must see that a name in another script may have been missed.
 */
export const FULL_TEXT_NAME_NOTE =
  'searched with the full-text index while the name index is built (after a start or a load): names in another script than the list\'s (Hangul, Han, ...) may be missed; screen again shortly';

interface Holder {
  id: string;
  label: string | null;
  dataset: string | null;
  release: string | null;
  record: string | null;
}
interface IdentifierRow {
  index: number;
  key: string;
  type: string;
  value: string;
  country: string | null;
  holders: Holder[];
  holderCount: number;
}

/**
 * A party as the matcher sees it; an organisation that states no nationality is compared by its
 * addresses' countries (comparedCountries). The entity's lists are cut at LIMITS.entityFacts, so its names are.
 */
function matchPartyOf(e: EntityParent): MatchParty {
  return {
    id: e.id,
    dataset: e.datasets[0] ?? '',
    kind: e.kind,
    names: [e.name, ...e.aliases.map((a) => a.name)],
    birthDates: e.birthDates,
    nationalities: comparedCountries(e.kind, e.nationalities, e.addresses.flatMap((a) => (a.country ? [a.country] : []))),
    identifiers: comparedIdentifiers(e.identifiers),
  };
}

/** The same party as matchPartyOf sees it, from its row of the name index. */
export function indexedMatchParty(p: IndexedParty): MatchParty {
  const kind = isPartyKind(p.kinds[0]) ? p.kinds[0] : 'LegalEntity';
  const ids: FoundIdentifier[] = [];
  for (let i = 0; i + 2 < p.identifiers.length; i += 3) ids.push({ type: p.identifiers[i] as string, value: p.identifiers[i + 1] as string, country: p.identifiers[i + 2] });
  return {
    id: p.id,
    dataset: p.datasets[0] ?? '',
    kind,
    names: [p.name, ...p.aliases.slice(0, LIMITS.entityFacts)],
    birthDates: [...p.birthDates],
    nationalities: comparedCountries(kind, p.nationalities, p.addressCountries),
    identifiers: comparedIdentifiers(ids),
  };
}

/**
 * How many candidates of one name index screening keeps prepared for scoring (SCREEN_PREPARED_CANDIDATES,
 * default 25,000): preparing a candidate's names was a third of a screen's time when none was kept. About
 * 2 KB each on the demo lists (retained heap: 16,000 parties, 33 MB). A variable for tests only.
 */
let preparedLimit = screenPreparedCandidates();

/** The bound on candidates kept prepared per index (SCREEN_PREPARED_CANDIDATES). */
export function preparedCandidatesLimit(): number {
  return preparedLimit;
}

/** Tests: another bound; returns the one it replaces. */
export function setPreparedCandidatesLimit(n: number): number {
  const was = preparedLimit;
  preparedLimit = n;
  return was;
}

/**
 * The candidates of each name index prepared for scoring, by row, least recently screened first. Kept
 * by the index (gone with it) and by its row objects, so a prepared candidate never outlives the index
 * generation it was read from nor meets another's; it depends on the row only (not on the input).
 */
const preparedByIndex = new WeakMap<NameIndex, Map<IndexedParty, PreparedScreenCandidate>>();
/** Each index's background preparation, once started. */
const warming = new WeakMap<NameIndex, Promise<number>>();
/** Indexes whose candidates were forgotten (tests): prepared only as screened, none in the background. */
const coldOnly = new WeakSet<NameIndex>();
/** How long one slice of the background preparation holds the event loop. */
const WARM_SLICE_MS = 5;

/** The candidate of an index row prepared for scoring, from the cache or prepared now (and kept). */
export function preparedFromIndex(index: NameIndex, row: IndexedParty): PreparedScreenCandidate {
  let cache = preparedByIndex.get(index);
  if (!cache) {
    cache = new Map();
    preparedByIndex.set(index, cache);
    // The first screen on a new index (after a load) starts preparing the others in the background.
    if (!coldOnly.has(index)) void prepareCandidates(index);
  }
  let p = cache.get(row);
  if (p) {
    // Most recently screened last: a Map iterates in insertion order.
    cache.delete(row);
  } else {
    p = prepareScreenCandidate(indexedMatchParty(row));
    if (cache.size >= preparedLimit) cache.delete(cache.keys().next().value!);
  }
  if (preparedLimit > 0) cache.set(row, p);
  return p;
}

/**
 * Prepares the index's parties for scoring, up to the bound, in slices of a few milliseconds between
 * which requests run (a screening server right after a load: the first screens prepare their own
 * candidates, later ones find them ready). Resolves with the number kept prepared; started once per
 * index (the server's warm-up and the first screen on it start it; benchmarks await it).
 */
export function prepareCandidates(index: NameIndex): Promise<number> {
  let started = warming.get(index);
  if (started && !coldOnly.has(index)) return started;
  coldOnly.delete(index);
  started = (async () => {
    let cache = preparedByIndex.get(index);
    if (!cache) {
      cache = new Map();
      preparedByIndex.set(index, cache);
    }
    const rows = index.allParties;
    let i = 0;
    while (i < rows.length && cache.size < preparedLimit) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Forgotten meanwhile (tests): stop.
      if (preparedByIndex.get(index) !== cache) break;
      const until = performance.now() + WARM_SLICE_MS;
      for (; i < rows.length && cache.size < preparedLimit && performance.now() < until; i++) {
        // Never evicts: it stops at the bound, so what screens prepared meanwhile stays.
        if (!cache.has(rows[i])) cache.set(rows[i], prepareScreenCandidate(indexedMatchParty(rows[i])));
      }
    }
    return cache.size;
  })();
  warming.set(index, started);
  return started;
}

/** Drops the candidates kept prepared for this index and prepares none in the background (tests: screening with none prepared). */
export function forgetPreparedCandidates(index: NameIndex): void {
  preparedByIndex.delete(index);
  coldOnly.add(index);
}

/** How many candidates screening keeps prepared for this index (tests). */
export function preparedCount(index: NameIndex): number {
  return preparedByIndex.get(index)?.size ?? 0;
}

const where = (h: Holder) => [[h.dataset, h.release].filter(Boolean).join(' '), h.record].filter(Boolean).join(': ');

/** What a match's lists say of it, as its entity or its row of the name index holds it. */
interface Listing {
  placeholder: boolean;
  datasets: readonly string[];
  programs: readonly string[];
  listedOn: string | null;
  firstSeen: string | null;
  delistedOn: string | null;
}

const indexedListing = (p: IndexedParty): Listing => ({
  placeholder: p.kinds.includes('Placeholder'),
  datasets: p.datasets,
  programs: p.programs,
  listedOn: p.listedOn,
  firstSeen: p.firstSeen,
  delistedOn: p.delistedOn,
});

/** What the match's lists say of it: datasets, programs, listing date, delisting, placeholder. */
function listingFacts(e: Listing): Fact[] {
  const out: Fact[] = [];
  if (e.placeholder) out.push({ label: 'Lists', value: 'none: only referenced by a list entry, not listed itself (see its exposure)' });
  else if (e.datasets.length === 0) out.push({ label: 'Lists', value: e.delistedOn ? `none: delisted in the release of ${e.delistedOn}` : 'none' });
  else out.push({ label: 'Lists', value: e.datasets.join(', ') });
  if (e.programs.length > 0) out.push({ label: 'Programs', value: e.programs.join(', ') });
  else if (!e.placeholder && e.datasets.length > 0) out.push({ label: 'Programs', value: 'none: in a dataset without a sanctions program (see its exposure)' });
  if (e.listedOn) out.push({ label: 'Listed on', value: `${e.listedOn} (designation date)` });
  else if (e.firstSeen) out.push({ label: 'Listed on', value: `not stated by the list; first in its release of ${e.firstSeen}` });
  return out;
}

export async function screen(db: Database, ctx: Context, args: ScreenArgs, opts: ScreenOptions = {}): Promise<ScreenAnswer> {
  const input = parseScreenInput(args.input);
  const first = intIn('first', args.first ?? 10, 1, Math.min(LIMITS.screenFirst, SCREEN_LIMITS.first));
  const threshold = args.threshold ?? SCREEN_THRESHOLD;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new BadInputError(`threshold must be a number from 0 to 1; got ${String(threshold)}`);
  }

  // The name counts are built once per state of the lists (about a second for the demo lists): begun
  // now, beside the candidate reads. (Marked handled here: a request that fails first does not await it.)
  const statsRead = nameStatsFor(db);
  statsRead.catch(() => undefined);
  // Candidates: by name, and by each identifier (the holders of the nodes it names).
  const byName = new Map<string, string>();
  // A name the search refuses (more than LIMITS.searchWords words, no letters) fails the screen only
  // when there is nothing else to screen by: with identifiers, they are used and the answer says the
  // name was not searched (it is still compared with the parties they find).
  let nameNotSearched: string | null = null;
  const nameSearch = input.name
    ? search(db, { query: input.name, first: LIMITS.screenNameCandidates }).catch((err: unknown) => {
        if (!(err instanceof BadInputError) || input.identifiers.length === 0) throw err;
        nameNotSearched = err.message;
        return null;
      })
    : null;
  const lookups = input.identifiers.map((x, index) => {
    const l = identifierLookup(x.typeGiven ? x.type : null, x.value, x.country);
    return { index, keys: l.keys, types: l.documentTypes, suffix: l.suffix, lookup: l };
  });
  // The name index, to score candidates from (it sees what the request sees, or null).
  const indexRead = opts.fromIndex === false ? null : db.snapshot().then((snap) => searchIndexFor(db, snap));
  // All at once; any failing fails the request (and leaves no promise unawaited).
  const [named, foundRows, index] = await Promise.all([
    nameSearch,
    lookups.length
      ? db.read<IdentifierRow>('api-screen-identifiers', {
          lookups: lookups.map(({ index, keys, types, suffix }) => ({ index, keys, types, suffix })),
          perIdentifier: LIMITS.screenHolders,
        })
      : [],
    indexRead,
  ]);
  // A number found under another issuing country than the one the caller named is another document.
  const idRows = foundRows.filter((r) => lookupAccepts(lookups[r.index].lookup, r.key));
  // The name search's rank of each party it found: equal scores keep that order.
  const nameRank = new Map<string, number>();
  for (const h of named?.hits ?? []) {
    byName.set(h.id, h.matchedName);
    nameRank.set(h.id, nameRank.size);
  }
  const byIdentifier = new Map<string, { row: IdentifierRow; holder: Holder }[]>();
  for (const row of idRows) {
    for (const holder of row.holders) {
      const list = byIdentifier.get(holder.id) ?? [];
      list.push({ row, holder });
      byIdentifier.set(holder.id, list);
    }
  }
  const ids = [...new Set([...byName.keys(), ...byIdentifier.keys()])];
  const rows = index ? ids.map((id) => index.party(id)) : [];
  const fromIndex = index !== null && rows.every((r) => r !== undefined);
  // Without the index, the candidates are read beside the name counts.
  const [stats, loaded] = await Promise.all([statsRead, fromIndex ? null : entityLoader(ctx).loadMany(ids)]);

  const readable = input.name ? readableName(input.name) : null;
  // The subject is prepared once per form it takes (its name or a reading of it, its identifiers as
  // typed or as found on a candidate), not once per candidate: most candidates share one.
  const prepared = new Map<string, PreparedScreenSubject>();
  const subjectOf = (names: string[], identifiers: MatchIdentifier[]): PreparedScreenSubject => {
    // Asked once per candidate: a name alone (most screens) needs no serialising to be told apart.
    const key = identifiers.length === 0 && names.length === 1 ? names[0] : JSON.stringify([names, identifiers]);
    let p = prepared.get(key);
    if (!p) {
      p = prepareScreenSubject({ names, kind: input.kind, birthDates: input.birthDate ? [input.birthDate] : [], countries: input.country ? [input.country] : [], identifiers });
      prepared.set(key, p);
    }
    return p;
  };
  /** A candidate's score and explanation (its listing facts are added once its entity is read), or null. */
  const scoreOf = (candidate: PreparedScreenCandidate): Scored | null => {
    const party = candidate.party;
    const hits = byIdentifier.get(party.id) ?? [];
    // The input's identifiers, each as the node it found on this party where it found one (so a
    // number typed without its type meets the party's passport), else as typed.
    const identifiers = input.identifiers.map((x, i) => comparedIdentifier(x, hits.find((h) => h.row.index === i && isIdentifierType(h.row.type))?.row));
    let s = screenCandidate(subjectOf(input.name ? [input.name] : [], identifiers), candidate, stats);
    if (!s) return null;
    // A Hangul or Han name is also compared by its readings that fit this party (readings.ts), each
    // as a name of its own (not together: two readings equal to two aliases are not two names in common).
    let reading: string | null = null;
    for (const r of readable ? readingsFor(readable, party.names) : []) {
      const t = screenCandidate(subjectOf([r.name], identifiers), candidate, stats);
      if (t && t.score > s.score) {
        s = t;
        reading = r.explanation;
      }
    }
    const features = s.features;
    const explain = (): Fact[] => {
      const explanation: Fact[] = describeScreening(features, { name: input.name !== null, kind: input.kind !== null });
      if (reading) explanation.splice(1, 0, { label: 'Read as', value: reading });
      const matchedName = byName.get(party.id);
      if (matchedName) explanation.push({ label: 'Found by name', value: `the name search matched "${matchedName}"` });
      for (const { row, holder } of hits) {
        const others = row.holderCount - 1;
        explanation.push({
          label: 'Found by identifier',
          value: `${row.type} ${row.value}${row.country ? ` (${row.country})` : ''}, held by this party (${where(holder)})${others > 0 ? `; ${others} other part${others === 1 ? 'y holds' : 'ies hold'} it too` : ''}`,
        });
      }
      return explanation;
    };
    return { id: party.id, score: s.score, explain };
  };
  // Best first; equal scores in the name search's order (parties found only by an identifier after
  // those it found), then by id.
  const rank = (id: string) => nameRank.get(id) ?? Number.MAX_SAFE_INTEGER;
  const best = (scored: Scored[]) =>
    scored
      .filter((m) => m.score >= threshold)
      .sort((a, b) => b.score - a.score || rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, first);
  const withListing = (m: Scored, listing: Listing): ScreenMatchRow => ({ id: m.id, score: m.score, explanation: [...m.explain(), ...listingFacts(listing)] });

  let matches: ScreenMatchRow[];
  if (fromIndex) {
    // From memory: every candidate scored from its index row (prepared once: preparedFromIndex), which
    // holds its listing facts too.
    const byId = new Map(rows.map((r) => [r!.id, r!]));
    matches = best(rows.flatMap((r) => scoreOf(preparedFromIndex(index, r!)) ?? [])).map((m) => withListing(m, indexedListing(byId.get(m.id)!)));
  } else {
    // The entities read stay in the request's loader: ScreenMatch.entity finds them there.
    const entities = loaded ?? [];
    const byId = new Map<string, EntityParent>();
    const scored: Scored[] = [];
    for (const entity of entities) {
      if (!entity || entity instanceof Error) continue;
      const m = scoreOf(prepareScreenCandidate(matchPartyOf(entity)));
      if (!m) continue;
      byId.set(entity.id, entity);
      scored.push(m);
    }
    matches = best(scored).map((m) => withListing(m, byId.get(m.id)!));
  }

  const identifiers: Fact[] = lookups.map(({ index, lookup }) => {
    const x = input.identifiers[index];
    const found = idRows.filter((r) => r.index === index);
    const holders = found.reduce((n, r) => n + r.holderCount, 0);
    return {
      label: `identifiers[${index}]`,
      value: `${lookup.type}${x.typeGiven ? '' : ' (recognised from the value)'}: ${lookup.normalised}; ${
        found.length ? `found ${found.map((r) => r.key).join(', ')}, held by ${holders} part${holders === 1 ? 'y' : 'ies'}` : 'in no loaded list'
      }`,
    };
  });
  if (nameNotSearched !== null) identifiers.unshift({ label: 'name', value: `not searched (${String(nameNotSearched)}); only the identifiers found candidates` });
  const nameLookup = named?.nameLookup ?? null;
  if (nameLookup === 'FULL_TEXT') identifiers.unshift({ label: 'name', value: FULL_TEXT_NAME_NOTE });
  return { matches, threshold, identifiers, nameLookup };
}

export const screenResolvers: Resolvers = {
  Query: {
    // ScreenMatch.entity and ScreenMatch.exposure are resolved below from the match's id, only when
    // asked: the generated parent type (no mapper for ScreenMatch in server/codegen.ts) expects the entity on the row.
    screen: async (_parent, args, ctx) => (await screen(requestDb(ctx), ctx, args)) as unknown as ResolversTypes['ScreenResult'],
  },
  ScreenMatch: {
    // The generated parent type is the schema's ScreenMatch; screen() returns ScreenMatchRow (its id).
    entity: async (match, _args, ctx) => {
      const entity = await entityLoader(ctx).load((match as unknown as ScreenMatchRow).id);
      // A match whose party vanished between the screen and this read (a load committed meanwhile).
      if (!entity) throw new ServiceUnavailableError('The data changed during this request; retry it');
      return entity;
    },
    exposure: (match, _args, ctx) => exposureFor(ctx, (match as unknown as ScreenMatchRow).id),
  },
};

/**
 * The body of POST /api/screen: a ScreenInput with `first` and `threshold` beside its fields, checked
 * before the request is admitted (the same checks Query.screen makes); the GraphQL variables to run it with.
 */
export function screenRequestOf(body: unknown): { input: Record<string, unknown>; first?: number; threshold?: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadInputError('POST /api/screen takes a JSON object {name, kind, birthDate, country, identifiers, first, threshold} (content-type: application/json)');
  }
  const { first, threshold, ...input } = body as Record<string, unknown>;
  parseScreenInput(input);
  if (first !== undefined && first !== null) {
    if (typeof first !== 'number') throw new BadInputError(`first must be a whole number; got ${typeof first}`);
    // Each match comes with its exposure, a search of its own: more than this would cost above the default budget.
    intIn('first', first, 1, LIMITS.screenHttpFirst);
  }
  if (threshold !== undefined && threshold !== null && (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1))) {
    throw new BadInputError(`threshold must be a number from 0 to 1; got ${JSON.stringify(threshold)}`);
  }
  return { input, ...(typeof first === 'number' ? { first } : {}), ...(typeof threshold === 'number' ? { threshold } : {}) };
}

/** What POST /api/screen runs: Query.screen with every field of each match, its exposure included. */
export const SCREEN_OPERATION = `query Screen($input: ScreenInput!, $first: Int, $threshold: Float) {
  screen(input: $input, first: $first, threshold: $threshold) {
    threshold
    nameLookup
    identifiers { label value }
    matches {
      score
      entity { id name kind datasets programs listedOn firstSeen delistedOn placeholder nationalities birthDates }
      explanation { label value }
      exposure {
        distance
        explanation
        entity { id name kind datasets programs listedOn }
        path { length nodes { id kind label } edges { id source target type label dataset release record } }
      }
    }
  }
}`;
