/**
 * Cross-list matching: which parties of different datasets are possibly the same party. Pure (no
 * database): the loader builds `MatchParty` values (from parser output with `matchPartiesOf`, or from
 * the graph with the same fields), `findCandidates` proposes pairs with a score in [0, 1] and the
 * features that produced it, and the caller stores those at or above MATCH_THRESHOLD as
 * POSSIBLY_SAME_AS.
 *
 * Candidate generation never compares all pairs. Parties meet in blocks that share a key:
 * - `i:` the same normalised identifier value (documents of any kind together: one list's "National
 *   ID" is another's "Passport" or "Identification Number");
 * - `n:` the same name, word order, case, script and legal form aside ("KIM, Yong Chol" = "Kim Yong-chol");
 * - `s:` the same name sound skeleton (vowels and doubled letters dropped: "Kim Yong Chul" = "Kim Yong Chol");
 * - `t:` a rare word of a name, or two adjacent words run together ("Chin Yong" meets "Chinyong").
 *   A word borne by more than MAX_WORD_BLOCK parties ("kim", "ali", "trading") is not a block.
 *
 * Scoring is a sum of evidence weights in log-odds, turned into a probability-like score
 * score = 1 / (1 + e^-(w_name + w_birthDate + w_nationality + w_identifiers + w_kind)), so each feature
 * moves the score the same way whatever the others say (monotonic), and `features.weights` shows
 * how much each moved it. See `nameWeight` and the WEIGHTS tables for the numbers and why.
 */
import type { IdentifierFact, IdentifierRecord, IdentifierType, PartyKind, PartyRecord } from '../model';
import { normaliseIdentifierValue } from '../../ingest/normalize';
import { meaningfulTokens, tokenSimilarity, tokenSimilarityOf } from '../search/names';
import { countryCode, countryCodes } from './countries';
import { compareBirthDates, parseBirthDate, type BirthDateAgreement, type DateSpan } from './dates';

/** Candidates at or above this score are stored as POSSIBLY_SAME_AS. */
export const MATCH_THRESHOLD = 0.7;

export interface MatchIdentifier {
  type: IdentifierType;
  value: string;
  country: string | null;
}

/** A party as matching sees it: every field as the source wrote it; matching normalises. */
export interface MatchParty {
  id: string;
  dataset: string;
  kind: PartyKind;
  /** Primary name and aliases, any script. */
  names: string[];
  /** As the source writes them: "1962", "1980-02-08", "08 Feb 1980", "circa 1960", "Between 1958 and 1960". */
  birthDates: string[];
  /** Nationalities and citizenships (a vessel's flag), as the source writes the country. */
  nationalities: string[];
  identifiers: MatchIdentifier[];
}

/** Why two parties are possibly the same. Flat, so it can be stored as relationship properties. */
export interface MatchFeatures {
  /** Similarity of the two closest names in [0, 1] (`nameSimilarity`, both directions averaged). */
  name: number;
  /** Those two names, as the sources write them: [a's, b's]. */
  matchedNames: [string, string];
  /**
   * How rare the words the two names share are among all parties compared, in [0, 1]: 0 for names
   * such as "Kim Chol" or "Ali Mohammed" that many parties bear, 1 for "Korea Ryonbong General".
   */
  nameRarity: number;
  /** How the birth dates relate, when both parties have one (see BirthDateAgreement). */
  birthDate?: BirthDateAgreement;
  /** The two dates compared: [a's, b's]. */
  birthDates?: [string, string];
  /** Whether the nationalities (flags) share a country, when both parties state one. */
  nationality?: 'match' | 'mismatch';
  /** The countries compared, as codes joined by ", ": [a's, b's]. */
  nationalities?: [string, string];
  /** Identifiers both hold, "type: value" ("passport: 381420754"). */
  identifiers?: string[];
  /** Unique identifiers both state with different values ("imoNumber: 9133977 / 8712114"). */
  identifierConflicts?: string[];
  /** 'same' kind, or 'compatible' (a LegalEntity of unknown kind with a person or organisation). */
  kind: 'same' | 'compatible';
  /** Each feature's log-odds weight: score = 1 / (1 + e^-(sum of these)). */
  weights: { name: number; birthDate: number; nationality: number; identifiers: number; kind: number };
}

export interface Candidate {
  /** Party ids, a < b. */
  a: string;
  b: string;
  /** In [0, 1], three decimals. */
  score: number;
  features: MatchFeatures;
}

export interface FindOptions {
  /** Candidates below are dropped; default MATCH_THRESHOLD. 0 returns every blocked pair. */
  minScore?: number;
  /** Only pairs whose two parties are both of these datasets. */
  onlyDatasets?: readonly string[];
  /** Only pairs with at least one party of these datasets (e.g. the one just reloaded). */
  touchingDatasets?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Building MatchParty from parser output

/** A parsed party and its identifiers (facts or records; others' facts are ignored) as a MatchParty. */
export function matchPartyOf(p: PartyRecord, identifiers: readonly (IdentifierFact | IdentifierRecord)[] = []): MatchParty {
  const ids: MatchIdentifier[] = [];
  for (const x of identifiers) {
    if ('partyId' in x && x.partyId !== p.id) continue;
    const r = 'identifier' in x ? x.identifier : x;
    ids.push({ type: r.type, value: r.value, country: r.country });
  }
  return {
    id: p.id,
    dataset: p.provenance.dataset,
    kind: p.kind,
    names: [p.name, ...p.aliases.map((a) => a.name)],
    birthDates: [...p.birthDates],
    nationalities: [...p.nationalities, ...p.citizenships, ...(p.vessel?.flag ? [p.vessel.flag] : [])],
    identifiers: ids,
  };
}

/** Every party of a parsed release as a MatchParty (identifiers grouped by party in one pass). */
export function matchPartiesOf(r: { parties: readonly PartyRecord[]; identifiers: readonly IdentifierFact[] }): MatchParty[] {
  const byParty = new Map<string, IdentifierFact[]>();
  for (const f of r.identifiers) {
    const list = byParty.get(f.partyId);
    if (list) list.push(f);
    else byParty.set(f.partyId, [f]);
  }
  return r.parties.map((p) => matchPartyOf(p, byParty.get(p.id) ?? []));
}

// ---------------------------------------------------------------------------------------------
// Kinds

type Family = 'person' | 'organization' | 'unknown' | 'vessel' | 'aircraft';
const FAMILY: Record<PartyKind, Family> = {
  Person: 'person',
  Organization: 'organization',
  Company: 'organization',
  LegalEntity: 'unknown',
  Vessel: 'vessel',
  Aircraft: 'aircraft',
};

/**
 * Whether two kinds can be the same party: 'same' within a family (Organization and Company are one:
 * OFAC says Organization for every company), 'compatible' for a LegalEntity (kind unknown) with a
 * person or organisation, null otherwise (a vessel is never a company, however alike the names).
 */
export function kindRelation(a: PartyKind, b: PartyKind): 'same' | 'compatible' | null {
  const fa = FAMILY[a];
  const fb = FAMILY[b];
  if (fa === fb) return 'same';
  if (fa === 'vessel' || fb === 'vessel' || fa === 'aircraft' || fb === 'aircraft') return null;
  if (fa === 'unknown' || fb === 'unknown') return 'compatible';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Weights (log-odds). score 0.5 = 0, 0.7 = 0.85, 0.9 = 2.2, 0.95 = 2.9.

/**
 * Name weight. A name alone is weak evidence: `NAME_TOP` is the most it gives, for identical names
 * whose words are rare (rarity 1) and for identical names whose words are common (rarity 0), by family:
 * a distinctive organisation name alone just reaches the threshold (0.75); a person's name alone never
 * does (at most 0.62, "Kim Chol" 0.35); with a matching nationality a rare person name does (0.71).
 * Below identical names the weight falls towards NAME_FLOOR as similarity drops to NAME_MIN_SIMILARITY:
 * nameSimilarity gives ~0.75 to "Kim Yong Chol" vs "Kim Yong Il", so only values near 1 count.
 */
const NAME_TOP: Record<Family, { common: number; rare: number }> = {
  person: { common: -0.6, rare: 0.5 },
  organization: { common: -0.4, rare: 1.1 },
  unknown: { common: -0.5, rare: 0.8 },
  vessel: { common: -0.6, rare: 0.5 },
  aircraft: { common: -0.6, rare: 0.5 },
};
const NAME_FLOOR = -2.5;
const NAME_MIN_SIMILARITY = 0.75;
/**
 * Name rarity: the information (sum of log2(N / parties bearing the word)) of the words the two names
 * share. Among ~17,000 parties, "Ali Mohammed" or "Kim Chol" carry ~10-13 bits, "Kim Yong Chol" ~17,
 * "Paek Chang Ho" or "Korea Ryonbong General" 25 or more.
 */
const RARITY_COMMON_BITS = 12;
const RARITY_RARE_BITS = 24;

function nameWeight(family: Family, similarity: number, rarity: number): number {
  const top = NAME_TOP[family].common + (NAME_TOP[family].rare - NAME_TOP[family].common) * rarity;
  const g = Math.max(0, Math.min(1, (similarity - NAME_MIN_SIMILARITY) / (1 - NAME_MIN_SIMILARITY))) ** 1.5;
  return NAME_FLOOR + (top - NAME_FLOOR) * g;
}

/**
 * Birth dates: a full date in common is strong (two "Kim Chol"s born the same day are likely one), a
 * year in common moderate; dates further apart than a year strongly lower the score (a person's name
 * and nationality alike cannot outweigh them: 0.62 -> 0.08).
 */
const BIRTH_DATE_WEIGHTS: Record<BirthDateAgreement, number> = {
  exact: 2.0,
  'same-year': 1.0,
  overlap: 0.5,
  'same-year-other-day': 0.3,
  'one-year-apart': -1.0,
  mismatch: -3.0,
};

/** Nationality: agreement raises slightly (many listed parties share one); disagreement lowers more. */
const NATIONALITY_WEIGHTS = { match: 0.4, mismatch: -1.0, vesselMismatch: -0.3 };

/**
 * A shared identifier: documents and registry numbers name one party (4.0: with an identical or
 * near-identical name the score is >= 0.9; with a different name 0.82, still worth a look, as lists
 * spell names differently). Contact details and call signs are shared by related parties or reassigned
 * (lower). The sum is capped at IDENTIFIERS_CAP.
 */
const IDENTIFIER_WEIGHTS: Record<IdentifierType, number> = {
  passport: 4.0,
  nationalId: 4.0,
  taxId: 4.0,
  registrationNumber: 4.0,
  leiCode: 4.0,
  imoNumber: 4.0,
  swiftBic: 3.5,
  aircraftSerial: 3.0,
  cryptoWallet: 3.0,
  isin: 2.5,
  email: 2.5,
  mmsi: 2.5,
  aircraftTailNumber: 2.5,
  other: 2.0,
  callSign: 1.5,
  phone: 1.0,
  website: 1.0,
};
const IDENTIFIERS_CAP = 5.0;
/** Identifiers one thing has only one of: both stating different values is evidence against. */
const UNIQUE_TYPES = new Set<IdentifierType>(['imoNumber', 'leiCode']);
const IDENTIFIER_CONFLICT_WEIGHT = -3.0;
/** Kind unknown on one side (LegalEntity). */
const KIND_COMPATIBLE_WEIGHT = -0.3;

// ---------------------------------------------------------------------------------------------
// Preparation

/** Identifier types whose values are compared with each other (lists disagree on which a document is). */
const DOCUMENT_TYPES = new Set<IdentifierType>(['passport', 'nationalId', 'taxId', 'registrationNumber', 'other']);
/** Words borne by more parties than this do not form a block (see the file comment). */
const MAX_WORD_BLOCK = 150;
/**
 * Parties that meet only in word blocks are compared when the words they share carry at least this
 * many bits (log2(N / block size), summed): among 16,000 parties one word borne by at most 8 of them, or
 * two commoner ones (the largest word block, 150, is 6.8 bits). A pair sharing only "development" or
 * "abdul" is not worth comparing. Fewer bits for small inputs (at most log2(N) - 1), where no word
 * can be that rare.
 */
const MIN_SHARED_BITS = 11;
/** Blocks of one name or identifier larger than this are skipped (a default value, not evidence). */
const MAX_BLOCK = 1000;

interface PreparedName {
  text: string;
  tokens: string[];
  key: string;
  /** Words, their skeletons and adjacent words run together: two names sharing none are not alike. */
  signature: Set<string>;
}
interface PreparedId {
  type: IdentifierType;
  value: string;
  norm: string;
  group: string;
  country: string | null;
}
interface Prepared {
  party: MatchParty;
  family: Family;
  names: PreparedName[];
  dates: DateSpan[];
  countries: string[];
  ids: PreparedId[];
}

/** Words of a name for matching: `meaningfulTokens`, with apostrophes dropped first ("Ch'ang" = "Chang"). */
export function matchTokens(name: string): string[] {
  return meaningfulTokens(name.replace(/['’ʼʻ`´]/g, ''));
}

/**
 * A word's sound skeleton: first letter kept, then vowels, y, h and w dropped and doubled letters
 * made single, so romanisations that differ in vowels meet ("chol"/"chul"/"cheol" -> "cl",
 * "yong"/"young" -> "yng"). Only for blocking; scores use the words themselves.
 */
function skeleton(word: string): string {
  if (/^\d+$/.test(word)) return word;
  const rest = word.slice(1).replace(/[aeiouyhw]/g, '');
  return (word[0] + rest).replace(/(.)\1+/g, '$1');
}

function prepareIdentifier(x: MatchIdentifier): PreparedId | null {
  const norm = normaliseIdentifierValue(x.type, x.value);
  const document = DOCUMENT_TYPES.has(x.type);
  // A value too short or without a digit ("NONE", "12") would join strangers.
  if (norm.length < 4) return null;
  if ((document || x.type === 'phone' || x.type === 'imoNumber' || x.type === 'mmsi') && !/\d/.test(norm)) return null;
  return { type: x.type, value: x.value, norm, group: document ? 'document' : x.type, country: countryCode(x.country) };
}

function prepare(p: MatchParty): Prepared {
  const names: PreparedName[] = [];
  const seen = new Set<string>();
  for (const text of p.names) {
    const tokens = matchTokens(text);
    if (tokens.length === 0) continue;
    const key = [...tokens].sort().join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const signature = new Set<string>();
    tokens.forEach((t, i) => {
      signature.add(t);
      if (t.length >= 3) signature.add(`~${skeleton(t)}`);
      if (i > 0) signature.add(tokens[i - 1] + t);
    });
    names.push({ text, tokens, key, signature });
  }
  const dates = p.birthDates.map(parseBirthDate).filter((d): d is DateSpan => d !== null);
  const ids = p.identifiers.map(prepareIdentifier).filter((x): x is PreparedId => x !== null);
  return { party: p, family: FAMILY[p.kind], names, dates, countries: countryCodes(p.nationalities), ids };
}

/** Blocking keys of a party (see the file comment). */
function blockKeys(p: Prepared): { name: Set<string>; word: Set<string> } {
  const name = new Set<string>();
  const word = new Set<string>();
  for (const n of p.names) {
    name.add(`n:${n.key}`);
    if (n.tokens.length > 1) name.add(`s:${n.tokens.map(skeleton).sort().join(' ')}`);
    for (let i = 0; i < n.tokens.length; i++) {
      if (n.tokens[i].length >= 2) word.add(`t:${n.tokens[i]}`);
      if (i > 0) word.add(`t:${n.tokens[i - 1]}${n.tokens[i]}`);
    }
  }
  for (const x of p.ids) name.add(`i:${x.group}:${x.norm}`);
  return { name, word };
}

// ---------------------------------------------------------------------------------------------
// Comparing two parties

class Comparer {
  private readonly bits = new Map<string, number>();
  private readonly maxBits: number;

  constructor(prepared: readonly Prepared[]) {
    const df = new Map<string, number>();
    for (const p of prepared) {
      const words = new Set(p.names.flatMap((n) => n.tokens));
      for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
    }
    const n = Math.max(prepared.length, 2);
    for (const [w, c] of df) this.bits.set(w, Math.log2(n / c));
    this.maxBits = Math.log2(n);
  }

  /** Information of a word: log2(N / parties bearing it). */
  wordBits(w: string): number {
    return this.bits.get(w) ?? this.maxBits;
  }

  /** Bits of x's words that find a close word (similarity >= 0.8) in y, weighted by that similarity. */
  private sharedBits(x: readonly string[], y: readonly string[]): number {
    let sum = 0;
    for (const t of x) {
      let best = 0;
      for (const u of y) best = Math.max(best, tokenSimilarity(t, u));
      if (best >= 0.8) sum += this.wordBits(t) * best;
    }
    return sum;
  }

  rarity(x: readonly string[], y: readonly string[]): number {
    const bits = Math.min(this.sharedBits(x, y), this.sharedBits(y, x));
    return Math.max(0, Math.min(1, (bits - RARITY_COMMON_BITS) / (RARITY_RARE_BITS - RARITY_COMMON_BITS)));
  }

  compare(a: Prepared, b: Prepared, kind: 'same' | 'compatible'): Candidate {
    const family: Family = a.family === 'unknown' ? b.family : a.family;
    // Names: the pair of names (one of each party) that is the strongest evidence.
    // Names that share no word, sound or run-together word are not compared (they would score below
    // NAME_MIN_SIMILARITY), unless no pair of names does: then all are, to report the closest.
    let name = { weight: -Infinity, similarity: 0, rarity: 0, a: a.party.names[0] ?? '', b: b.party.names[0] ?? '' };
    const alike = (x: PreparedName, y: PreparedName) => {
      for (const t of x.signature) if (y.signature.has(t)) return true;
      return false;
    };
    const anyAlike = a.names.some((x) => b.names.some((y) => alike(x, y)));
    for (const x of a.names) {
      for (const y of b.names) {
        if (anyAlike && !alike(x, y)) continue;
        const similarity = x.key === y.key ? 1 : (tokenSimilarityOf(x.tokens, y.tokens) + tokenSimilarityOf(y.tokens, x.tokens)) / 2;
        if (similarity < NAME_MIN_SIMILARITY && name.weight > NAME_FLOOR) continue;
        const rarity = similarity >= NAME_MIN_SIMILARITY ? this.rarity(x.tokens, y.tokens) : 0;
        const weight = nameWeight(family, similarity, rarity);
        if (weight > name.weight || (weight === name.weight && similarity > name.similarity)) {
          name = { weight, similarity, rarity, a: x.text, b: y.text };
        }
      }
    }
    if (name.weight === -Infinity) name.weight = NAME_FLOOR;

    const features: MatchFeatures = {
      name: round(name.similarity),
      matchedNames: [name.a, name.b],
      nameRarity: round(name.rarity),
      kind,
      weights: { name: round(name.weight), birthDate: 0, nationality: 0, identifiers: 0, kind: kind === 'same' ? 0 : KIND_COMPATIBLE_WEIGHT },
    };

    const dob = compareBirthDates(a.dates, b.dates);
    if (dob) {
      features.birthDate = dob.agreement;
      features.birthDates = [dob.a, dob.b];
      features.weights.birthDate = BIRTH_DATE_WEIGHTS[dob.agreement];
    }

    if (a.countries.length > 0 && b.countries.length > 0) {
      const match = a.countries.some((c) => b.countries.includes(c));
      features.nationality = match ? 'match' : 'mismatch';
      features.nationalities = [a.countries.join(', '), b.countries.join(', ')];
      features.weights.nationality = match
        ? NATIONALITY_WEIGHTS.match
        : family === 'vessel' || family === 'aircraft' ? NATIONALITY_WEIGHTS.vesselMismatch : NATIONALITY_WEIGHTS.mismatch;
    }

    const shared: string[] = [];
    let idWeight = 0;
    for (const x of a.ids) {
      const y = b.ids.find((i) => sameIdentifier(x, i));
      if (!y) continue;
      const label = `${x.type}: ${x.value}`;
      if (shared.includes(label)) continue;
      shared.push(label);
      idWeight += Math.min(IDENTIFIER_WEIGHTS[x.type], IDENTIFIER_WEIGHTS[y.type]);
    }
    if (shared.length > 0) {
      features.identifiers = shared;
      idWeight = Math.min(idWeight, IDENTIFIERS_CAP);
    }
    const conflicts: string[] = [];
    for (const type of UNIQUE_TYPES) {
      const xs = a.ids.filter((i) => i.type === type);
      const ys = b.ids.filter((i) => i.type === type);
      if (xs.length > 0 && ys.length > 0 && !xs.some((x) => ys.some((y) => x.norm === y.norm))) {
        conflicts.push(`${type}: ${xs.map((x) => x.value).join(', ')} / ${ys.map((y) => y.value).join(', ')}`);
      }
    }
    if (conflicts.length > 0) {
      features.identifierConflicts = conflicts;
      idWeight += IDENTIFIER_CONFLICT_WEIGHT;
    }
    features.weights.identifiers = round(idWeight);

    const w = features.weights;
    const total = w.name + w.birthDate + w.nationality + w.identifiers + w.kind;
    return { a: a.party.id, b: b.party.id, score: round(1 / (1 + Math.exp(-total))), features };
  }
}

function sameIdentifier(x: PreparedId, y: PreparedId): boolean {
  if (x.group !== y.group || x.norm !== y.norm) return false;
  // Documents: a passport and a national id with the same number are one document read two ways
  // only when one side does not say what it is ('other') or both agree.
  if (x.group === 'document' && x.type !== y.type && x.type !== 'other' && y.type !== 'other') return false;
  return x.country === null || y.country === null || x.country === y.country;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// Candidates

/**
 * Candidate pairs "possibly the same party": only parties of different datasets, of kinds that can be
 * the same; sorted by score (highest first), then by ids, so the same input gives the same output.
 */
export function findCandidates(parties: readonly MatchParty[], opts: FindOptions = {}): Candidate[] {
  const minScore = opts.minScore ?? MATCH_THRESHOLD;
  const only = opts.onlyDatasets ? new Set(opts.onlyDatasets) : null;
  const touching = opts.touchingDatasets ? new Set(opts.touchingDatasets) : null;
  // Sorted by id, so block contents and the pair orientation (a < b) do not depend on input order.
  const prepared = [...parties]
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : x.dataset < y.dataset ? -1 : x.dataset > y.dataset ? 1 : 0))
    .map(prepare);
  const comparer = new Comparer(prepared);

  const blocks = new Map<string, number[]>();
  const wordKeys = new Set<string>();
  prepared.forEach((p, i) => {
    const keys = blockKeys(p);
    for (const k of keys.word) wordKeys.add(k);
    for (const k of [...keys.name, ...keys.word]) {
      const list = blocks.get(k);
      if (list) list.push(i);
      else blocks.set(k, [i]);
    }
  });

  // Pairs with the bits of the words they share (Infinity: the same name, sound or identifier).
  const n = prepared.length;
  const pairs = new Map<number, number>();
  for (const [key, members] of blocks) {
    if (members.length < 2) continue;
    const isWord = wordKeys.has(key);
    if (members.length > (isWord ? MAX_WORD_BLOCK : MAX_BLOCK)) continue;
    const bits = isWord ? Math.log2(n / members.length) : Infinity;
    for (let x = 0; x < members.length; x++) {
      const a = prepared[members[x]].party;
      if (only && !only.has(a.dataset)) continue;
      for (let y = x + 1; y < members.length; y++) {
        const b = prepared[members[y]].party;
        if (a.dataset === b.dataset || a.id === b.id) continue;
        if (only && !only.has(b.dataset)) continue;
        if (touching && !touching.has(a.dataset) && !touching.has(b.dataset)) continue;
        const code = members[x] * n + members[y];
        pairs.set(code, (pairs.get(code) ?? 0) + bits);
      }
    }
  }

  const out: Candidate[] = [];
  const minBits = Math.min(MIN_SHARED_BITS, Math.log2(n) - 1);
  for (const [code, bits] of pairs) {
    if (bits < minBits) continue;
    const a = prepared[Math.floor(code / n)];
    const b = prepared[code % n];
    const kind = kindRelation(a.party.kind, b.party.kind);
    if (!kind) continue;
    const c = comparer.compare(a, b, kind);
    if (c.score >= minScore) out.push(c);
  }
  return out.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}

/** One line an investigator can read: why the two parties were proposed. */
export function describeCandidate(c: Candidate): string {
  const f = c.features;
  const parts = [`names "${f.matchedNames[0]}" ~ "${f.matchedNames[1]}" (${f.name.toFixed(2)}, rarity ${f.nameRarity.toFixed(2)})`];
  if (f.identifiers) parts.push(`shared ${f.identifiers.join('; ')}`);
  if (f.identifierConflicts) parts.push(`different ${f.identifierConflicts.join('; ')}`);
  if (f.birthDate && f.birthDates) parts.push(`born ${f.birthDates[0]} / ${f.birthDates[1]} (${f.birthDate})`);
  if (f.nationality && f.nationalities) parts.push(`nationality ${f.nationalities[0]} / ${f.nationalities[1]} (${f.nationality})`);
  if (f.kind === 'compatible') parts.push('kind unknown on one side');
  return `${c.a} ~ ${c.b}: ${c.score.toFixed(3)}: ${parts.join('; ')}`;
}
