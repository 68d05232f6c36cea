/**
 * Cross-list matching: which parties of different datasets are possibly the same party. Pure (no
 * database): `matchPartyOf` builds `MatchParty` values from stored parties (refresh.ts reads them with
 * party-node.ts fromNode), `findCandidates` proposes pairs with a score in [0, 1] and the
 * features that produced it, and the caller stores those at or above MATCH_THRESHOLD as
 * POSSIBLY_SAME_AS.
 *
 * Candidate generation never compares all pairs. Parties meet in blocks that share a key:
 * - `i:` the same normalised identifier value (documents of all kinds in one block: see `sameIdentifier`);
 * - `n:` the same name, word order, case, script and legal form aside ("KIM, Yong Chol" = "Kim Yong-chol");
 * - `s:` the same name sound skeleton (see `skeleton`: "Kim Yong Chul" = "Kim Yong Chol");
 * - `t:` a rare word of a name, or two adjacent words run together ("Chin Yong" meets "Chinyong").
 *   A word borne by more than MAX_WORD_BLOCK parties ("kim", "ali", "trading") is not a block.
 *
 * Scoring is a sum of evidence weights in log-odds, turned into a probability-like score
 *   score = 1 / (1 + e^-(w_name + w_birthDate + w_nationality + w_identifiers + w_legalForm + w_kind))
 * so each feature moves the score the same way whatever the others say (monotonic), and
 * `features.weights` shows how much each moved it. The constants below give the numbers and why:
 * name (NAME_TOP, rarity, DIFFERENT_WORD_WEIGHT), BIRTH_DATE_WEIGHTS, NATIONALITY_WEIGHTS,
 * IDENTIFIER_WEIGHTS, LEGAL_FORM_WORDS, KIND_COMPATIBLE_WEIGHT.
 */
import type { IdentifierType, PartyKind, PartyRecord } from '../model';
import { normaliseIdentifierValue } from '../text/normalize';
import { latinTokens, meaningfulOf, mutualTokenSimilarity, tokenSimilarity } from '../text/names';
import { countryCode, isCountryCode } from './countries';
import { compareBirthDates, parseBirthDate, type BirthDateAgreement, type DateSpan } from './dates';
import { alignTypos, differentNumbers, typoWordSimilarity, withoutSpeltLegalForms, type TypoAlignment } from './typos';

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

/**
 * Why two parties are possibly the same, for the investigator reading the candidate: plain strings,
 * numbers and arrays (stored as JSON on the relationship). Optional fields appear only when both
 * parties give the fact.
 */
export interface MatchFeatures {
  /** Similarity of the two closest names in [0, 1] (`mutualTokenSimilarity`: `nameSimilarity` both ways). */
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
  /** How many names the two have in common word for word, when more than one (aliases the lists agree on). */
  namesInCommon?: number;
  /** How many other parties of the two datasets bear the matched name too (it is ambiguous). */
  othersWithName?: number;
  /** People: a word of each matched name the other has no counterpart for ("yasir", "bashar"). */
  differentWords?: [string, string];
  /**
   * Screening: the typed name is the listed one mistyped by this many edits (typos.ts alignTypos: a
   * letter changed, added, dropped, or two swapped); absent when the words are the same or not a typo.
   */
  typos?: number;
  /** Screening: typed words read as a legal form mistyped and left out ("comapny"). */
  ignoredWords?: string[];
  /** Screening: both names state numbers, different ones ("7612" / "7891"): another name however alike. */
  numbers?: [string, string];
  /** Identifiers both hold, "type: value" ("passport: 381420754"). */
  identifiers?: string[];
  /** Unique identifiers both state with different values ("imoNumber: 9133977 / 8712114"). */
  identifierConflicts?: string[];
  /** Set when the two organisations' names state incompatible legal forms (see LEGAL_FORM_WORDS). */
  legalForm?: 'mismatch';
  /** The two legal-form classes: [a's, b's]. */
  legalForms?: [string, string];
  /** 'same' kind, or 'compatible' (a LegalEntity of unknown kind with a person or organisation). */
  kind: 'same' | 'compatible';
  /** Each feature's log-odds weight: score = 1 / (1 + e^-(sum of these)). */
  weights: { name: number; birthDate: number; nationality: number; identifiers: number; legalForm: number; kind: number };
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
// Building MatchParty

/**
 * A party as matching sees it. Production reads the party from its node (server/core/party-node.ts
 * fromNode, in refresh.ts) and its identifiers from the graph; tests read parser output the same way
 * (fromNode(toNode(party))), so matching's input is built once. `dataset` is the dataset the party is
 * compared as (the first that lists it).
 */
export function matchPartyOf(p: PartyRecord, identifiers: readonly MatchIdentifier[], dataset: string = p.provenance.dataset): MatchParty {
  return {
    id: p.id,
    dataset,
    kind: p.kind,
    names: [p.name, ...p.aliases.map((a) => a.name)],
    birthDates: [...p.birthDates],
    nationalities: [...p.nationalities, ...p.citizenships, ...(p.vessel?.flag ? [p.vessel.flag] : [])],
    identifiers: identifiers.map(({ type, value, country }) => ({ type, value, country })),
  };
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
  if (fa === undefined || fb === undefined) return null;
  if (fa === fb) return 'same';
  if (fa === 'vessel' || fb === 'vessel' || fa === 'aircraft' || fb === 'aircraft') return null;
  if (fa === 'unknown' || fb === 'unknown') return 'compatible';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Weights (log-odds). score 0.5 = 0, 0.7 = 0.85, 0.9 = 2.2, 0.95 = 2.9.

/**
 * Name weight. A name alone is weak evidence: NAME_TOP is the most an identical name gives, by family,
 * for a name whose words are common (rarity 0) and for one whose words are rare (rarity 1): a distinctive
 * organisation name alone reaches the threshold (up to 0.77: UN and OFAC spell most DPRK entities
 * identically); a person's name alone never does (at most 0.62, "Kim Chol" ~0.45), but with a matching
 * nationality a rare one does (0.71). From NAME_FULL_SIMILARITY (a letter or two apart: "Taedong" /
 * "Daedong") down to NAME_MIN_SIMILARITY the weight falls linearly to NAME_FLOOR: nameSimilarity gives
 * ~0.75 to "Kim Yong Chol" vs "Kim Yong Il", so only values near 1 count for much.
 */
const NAME_TOP: Record<Family, { common: number; rare: number }> = {
  person: { common: -0.6, rare: 0.5 },
  organization: { common: -0.4, rare: 1.2 },
  unknown: { common: -0.5, rare: 0.8 },
  vessel: { common: -0.6, rare: 0.5 },
  aircraft: { common: -0.6, rare: 0.5 },
};
const NAME_FLOOR = -2.5;
/** Similarity at and below which a name gives NAME_FLOOR, and from which on it gives its full weight. */
const NAME_MIN_SIMILARITY = 0.75;
const NAME_FULL_SIMILARITY = 0.95;
/**
 * Name rarity from the information of the words the two names share, each word log2(N / parties
 * bearing it): the rarest word counts fully, the others half (words of one name are not independent),
 * scaled from RARITY_COMMON_BITS (rarity 0) to RARITY_RARE_BITS (1). Among ~16,000 parties: "Ali
 * Mohammed" 9.9 bits (0), "Kim Chol" 12.2 (0.36), "Golden Star" 14.2 (0.69), "Korea Hyoksin Trading"
 * 16.8 (1). A word only the two parties bear is 13 bits, so a one-word name is at most 0.5 ("Rassvet",
 * a common Russian company name that happens to be rare here), unless FULL_FORM_BITS add to it.
 */
const RARITY_COMMON_BITS = 10;
const RARITY_RARE_BITS = 16;
/**
 * Two names that agree word for word including their legal forms ("NAMCHONGANG TRADING CORPORATION"
 * both; generic company words as one, see GENERIC_FORMS) say a little more than their core words:
 * this many bits more. "RASSVET, OAO" and "LIMITED LIABILITY COMPANY RASSVET" (two different Russian
 * companies) do not get them.
 */
const FULL_FORM_BITS = 2;
/**
 * Generic company words, one for the comparison of full forms: the lists translate one legal form as
 * "COMPANY", "CORPORATION" or "CO., LTD." ("HESONG TRADING CORPORATION" / "HESONG TRADING COMPANY").
 * Forms that tell companies apart (LLC, JSC, ...) stay as they are.
 */
const GENERIC_FORMS = new Set(['co', 'company', 'corp', 'corporation', 'inc', 'incorporated', 'ltd', 'limited']);
/** A one-word name of at most this many letters is an acronym ("HUA", "CEC", "OMZ"): rarity halved. */
const ACRONYM_LENGTH = 4;
/**
 * Two people's names that each have a word the other lacks, and not a respelling of it (no word at
 * least DIFFERENT_WORD_SIMILARITY alike, nor of the same `skeleton`), name two people: brothers
 * "BASHAR SABAWI IBRAHIM HASAN AL-TIKRITI" and "AL-TIKRITI, Yasir Sabawi Ibrahim Hasan" (0.92 alike).
 * A word only one name has ("EMILIE EDWIGE KONIG" / "KONIG, Emilie") is no such evidence.
 */
const DIFFERENT_WORD_WEIGHT = -1.5;
const DIFFERENT_WORD_SIMILARITY = 0.75;
/**
 * Each further name the two parties have in common, word for word (aliases the lists agree on), adds
 * this to the name weight, up to NAME_EXTRA_CAP.
 */
const NAME_EXTRA = 0.3;
const NAME_EXTRA_CAP = 0.6;

function nameWeight(family: Family, similarity: number, rarity: number, profile: Profile = CROSS_LIST): number {
  const tops = profile.nameTop[family];
  const top = tops.common + (tops.rare - tops.common) * rarity;
  const g = Math.max(0, Math.min(1, (similarity - NAME_MIN_SIMILARITY) / (NAME_FULL_SIMILARITY - NAME_MIN_SIMILARITY)));
  return profile.nameFloor + (top - profile.nameFloor) * g;
}

/**
 * Birth dates: a full date in common is strong (two "Kim Chol"s born the same day are likely one), a
 * year in common moderate; dates further apart than a year strongly lower the score (a rare
 * identical name with the same nationality, 0.71, falls to 0.11).
 */
const BIRTH_DATE_WEIGHTS: Record<BirthDateAgreement, number> = {
  exact: 2.0,
  'same-year': 1.0,
  close: 1.2,
  overlap: 0.5,
  'same-year-other-day': 0.3,
  'one-year-apart': -0.8,
  mismatch: -3.0,
};

/** The most birth dates can add. */
const BEST_BIRTH_DATE_WEIGHT = Math.max(...Object.values(BIRTH_DATE_WEIGHTS));

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
/**
 * Company legal forms that cannot be one company at once: a joint-stock company (JSC, OAO, ZAO, PAO,
 * AO, "aktsionernoe obshchestvo") and a limited liability company (LLC, OOO, TOV, "obshchestvo s
 * ogranichennoy otvetstvennostyu"). OFAC lists "JOINT STOCK COMPANY FOREIGN ECONOMIC ASSOCIATION
 * TECHNOPROMEXPORT" and "LIMITED LIABILITY COMPANY FOREIGN ECONOMIC ASSOCIATION TECHNOPROMEXPORT" as
 * two companies, and "RASSVET, OAO" and "LIMITED LIABILITY COMPANY RASSVET" likewise. Russian joint-stock
 * companies renamed OAO -> PAO or ZAO -> AO stay in one class. When all of one party's names say one
 * class and all of the other's the other, the score is lowered by LEGAL_FORM_MISMATCH_WEIGHT.
 */
const LEGAL_FORM_WORDS: Record<string, 'joint-stock' | 'limited-liability'> = {
  jsc: 'joint-stock', ojsc: 'joint-stock', cjsc: 'joint-stock', pjsc: 'joint-stock', oao: 'joint-stock', zao: 'joint-stock',
  pao: 'joint-stock', ao: 'joint-stock', aktsionernoe: 'joint-stock', aktsionernoye: 'joint-stock', stock: 'joint-stock',
  llc: 'limited-liability', ooo: 'limited-liability', tov: 'limited-liability', liability: 'limited-liability',
  ogranichennoy: 'limited-liability', ogranichennoi: 'limited-liability', otvetstvennostyu: 'limited-liability',
};
const LEGAL_FORM_MISMATCH_WEIGHT = -1.0;
/** Kind unknown on one side (LegalEntity). */
const KIND_COMPATIBLE_WEIGHT = -0.3;

/**
 * The weights that differ between comparing two lists' parties (CROSS_LIST) and screening a party as a
 * caller knows it against the lists (SCREENING, see screenCandidate).
 */
interface Profile {
  nameTop: Record<Family, { common: number; rare: number }>;
  nameFloor: number;
  /** Identifier types of which both sides stating only different values is evidence against, and how much. */
  conflicts: Partial<Record<IdentifierType, number>>;
  /**
   * Whether the first party's names are typed (screening: typos.ts reads them as the second party's
   * names mistyped, names stating different numbers are different names, and every pair of names is
   * compared, to report the closest). Between two lists both names are as published: the lists'
   * spellings of one name are compared by their similarity alone.
   */
  typed: boolean;
}
const CROSS_LIST: Profile = {
  nameTop: NAME_TOP,
  nameFloor: NAME_FLOOR,
  conflicts: Object.fromEntries([...UNIQUE_TYPES].map((t) => [t, IDENTIFIER_CONFLICT_WEIGHT])),
  typed: false,
};

/**
 * A typed name that is the listed name mistyped (typos.ts alignTypos: every word paired within its
 * budget) has the similarity 1 - TYPO_SIMILARITY_COST per edit: one or two typos are as close as
 * NAME_FULL_SIMILARITY, where a name counts fully (the averaged word similarity gave one typo in a
 * five-letter word of a two-word name 0.9, and with it half the name's weight). Each edit also lowers
 * the name weight by TYPO_WEIGHT, so the listed name typed right still ranks above one it is a typo of
 * ("DIAMOND TRANSPORTATION" screened: DIAMOND TRANSPORTATION LIMITED first, DIMOND TRANSPORTATION
 * LIMITED, another company, just after), without moving a rare name mistyped below the threshold.
 */
const TYPO_SIMILARITY_COST = 0.025;
const TYPO_WEIGHT = 0.1;

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
  /** The meaningful words sorted: equal for the same name in any order, case, script or legal form. */
  key: string;
  /** All words sorted, legal forms included. */
  fullKey: string;
  /** `skeleton` of each of `tokens`. */
  sounds: string[];
  /**
   * Words, their skeletons and adjacent words run together: two names sharing none are not alike.
   * Empty for screening, which compares every name (see prepare).
   */
  signature: ReadonlySet<string>;
  /** Screening, set when first asked (withoutLetterForms): the name without legal forms spelt letter by letter. */
  plain?: PreparedName;
  /** Screening, set when first asked (hasNumbers): whether its words state a number. */
  numbered?: boolean;
  /** `tokens` run together, set when first asked (joinedOf): compared with every other name's. */
  joined?: string;
}
interface PreparedId {
  type: IdentifierType;
  value: string;
  norm: string;
  group: string;
  country: string | null;
}
/** @internal */
export interface Prepared {
  party: MatchParty;
  family: Family;
  names: PreparedName[];
  /** Legal-form classes its names state (see LEGAL_FORM_WORDS). */
  legalForms: Set<string>;
  dates: DateSpan[];
  countries: string[];
  ids: PreparedId[];
}

/**
 * Spellings the lists use for one word, as the UN and OFAC DPRK entries show them ("SHANGHAI DONGFENG
 * SHPG CO LTD" / "SHANGHAI DONGFENG SHIPPING CO LTD", "KOREAN TANGUN" / "KOREA TANGUN").
 */
const WORD_VARIANTS: Record<string, string> = {
  shpg: 'shipping',
  shipg: 'shipping',
  intl: 'international',
  natl: 'national',
  mgmt: 'management',
  korean: 'korea',
};

/**
 * Words of a name for matching: all words (`latinTokens`, legal forms included) and the meaningful
 * ones (`meaningfulOf`), with apostrophes dropped first ("Ch'ang" = "Chang") and WORD_VARIANTS applied.
 */
export function matchWords(name: string): { all: string[]; meaningful: string[] } {
  const clean = name.replace(/['’ʼʻ`´]/g, '');
  // ASCII names (97% of them) skip transliteration, which leaves ASCII as it is: the same words, 5x faster.
  const latin = /^\p{ASCII}*$/u.test(clean) ? clean.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== '') : latinTokens(clean);
  const all = latin.map((t) => WORD_VARIANTS[t] ?? t);
  return { all, meaningful: meaningfulOf(all) };
}

/** The meaningful words of `matchWords`. */
export function matchTokens(name: string): string[] {
  return matchWords(name).meaningful;
}

/**
 * The forms of a name compared: the name, and for "X (Y)" also X, and Y when it is an acronym
 * ("OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)": also "OCEAN MARITIME MANAGEMENT COMPANY,
 * LIMITED" and "OMM"; "Lom-ali Butayev (Butaev)": also "Lom-ali Butayev").
 */
function nameForms(text: string): string[] {
  const m = /^(.*\S)\s*\(([^()]+)\)\s*$/.exec(text.trim());
  if (!m) return [text];
  const inner = m[2].trim();
  // "SECOND ACADEMY OF NATURAL SCIENCES (KPe.018)": a UN reference to another entry, not this name.
  if (/^[A-Z]{2}[ie]\.?\d{3}$/i.test(inner)) return [text];
  return [text, m[1], ...(/^[A-Z][A-Z0-9&.-]{1,7}$/.test(inner) ? [inner] : [])];
}

/** Consonants romanisations swap: Qadhafi / Gaddafi, Chol / Jol / Kol, Ezat / Izzat, Pak / Bak. */
const SOUND_CLASSES: Record<string, string> = { q: 'k', g: 'k', c: 'k', j: 'k', d: 't', b: 'p', v: 'f', z: 's' };

/**
 * A word's sound skeleton: vowels, y, h and w dropped, consonants that romanisations swap made one
 * (SOUND_CLASSES), doubled letters made single: "chol" / "chul" / "jol" -> "kl", "yong" / "young" ->
 * "nk", "qadhafi" / "gaddafi" -> "ktf", "mohammed" / "muhammad" -> "mt", but "yasir" -> "sr" and
 * "bashir" -> "psr". Blocking, and telling a respelt word from a different one; never a score by itself.
 */
export function skeleton(word: string): string {
  if (/^\d+$/.test(word)) return word;
  let s = '';
  for (const ch of word) {
    if ('aeiouyhw'.includes(ch)) continue;
    const c = SOUND_CLASSES[ch] ?? ch;
    if (s[s.length - 1] !== c) s += c;
  }
  return s === '' ? word : s;
}

/** @internal Per-call caches of values many parties share (dates such as "1962", country names). */
export interface Caches {
  dates: Map<string, DateSpan | null>;
  countries: Map<string, string | null>;
}

function cached<T>(map: Map<string, T>, key: string, make: (k: string) => T): T {
  if (map.has(key)) return map.get(key) as T;
  const v = make(key);
  map.set(key, v);
  return v;
}

function prepareIdentifier(x: MatchIdentifier, caches: Caches): PreparedId | null {
  const norm = normaliseIdentifierValue(x.type, x.value, x.country);
  const document = DOCUMENT_TYPES.has(x.type);
  // A value too short or without a digit ("NONE", "12") would join strangers.
  if (norm.length < 4) return null;
  if ((document || x.type === 'phone' || x.type === 'imoNumber' || x.type === 'mmsi') && !/\d/.test(norm)) return null;
  const country = x.country ? cached(caches.countries, x.country, countryCode) : null;
  return { type: x.type, value: x.value, norm, group: document ? 'document' : x.type, country };
}

/**
 * `signature`: whether to compute each name's signature, which only the cross-list comparison reads
 * (screening compares a typed name with every name): screening's parties get an empty one, saving its
 * time and the memory of the candidates screening keeps prepared.
 */
export function prepare(p: MatchParty, caches: Caches, signature = true): Prepared {
  const names: PreparedName[] = [];
  const legalForms = new Set<string>();
  const seen = new Set<string>();
  for (const text of p.names.flatMap(nameForms)) {
    const words = matchWords(text);
    const tokens = words.meaningful;
    if (tokens.length === 0) continue;
    for (const w of words.all) if (LEGAL_FORM_WORDS[w]) legalForms.add(LEGAL_FORM_WORDS[w]);
    const key = [...tokens].sort().join(' ');
    const fullKey = [...new Set(words.all.map((w) => (GENERIC_FORMS.has(w) ? 'co' : w)))].sort().join(' ');
    // One of each form: "NAMCHONGANG TRADING" and "NAMCHONGANG TRADING CORPORATION" are two.
    if (seen.has(fullKey)) continue;
    seen.add(fullKey);
    const sounds = tokens.map(skeleton);
    names.push({ text, tokens, key, fullKey, sounds, signature: signature ? signatureOf(tokens, sounds) : NO_SIGNATURE });
  }
  const dates = p.birthDates.map((d) => cached(caches.dates, d, parseBirthDate)).filter((d): d is DateSpan => d !== null);
  const countries: string[] = [];
  for (const n of p.nationalities) {
    const c = cached(caches.countries, n, countryCode);
    // A name no table resolves ("RUS" was one) is no evidence: it would count as a mismatch.
    if (isCountryCode(c) && !countries.includes(c)) countries.push(c);
  }
  const ids = p.identifiers.map((x) => prepareIdentifier(x, caches)).filter((x): x is PreparedId => x !== null);
  return { party: p, family: FAMILY[p.kind], names, legalForms, dates, countries, ids };
}

/** The signature of a name's words (see PreparedName.signature). */
function signatureOf(tokens: readonly string[], sounds: readonly string[]): Set<string> {
  const signature = new Set<string>();
  tokens.forEach((t, i) => {
    signature.add(t);
    if (sounds[i].length >= 2) signature.add(`~${sounds[i]}`);
    if (i > 0) signature.add(tokens[i - 1] + t);
  });
  return signature;
}

/** The signature of screening's names, which nothing reads (never added to). */
const NO_SIGNATURE: ReadonlySet<string> = new Set<string>();

/** @internal Blocking keys of a party (see the file comment). */
export function blockKeys(p: Prepared): { name: Set<string>; word: Set<string> } {
  const name = new Set<string>();
  const word = new Set<string>();
  for (const n of p.names) {
    name.add(`n:${n.key}`);
    if (n.tokens.length > 1) name.add(`s:${[...n.sounds].sort().join(' ')}`);
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

/** A name without its legal forms written letter by letter (typos.ts withoutSpeltLegalForms), or the name itself. */
function withoutLetterForms(n: PreparedName): PreparedName {
  // Kept on the name: a candidate's is asked on every screen, the input's for every candidate.
  if (n.plain === undefined) {
    const tokens = withoutSpeltLegalForms(n.tokens);
    n.plain = tokens === n.tokens ? n : { text: n.text, tokens: [...tokens], key: n.key, fullKey: n.fullKey, sounds: tokens.map(skeleton), signature: n.signature };
  }
  return n.plain;
}

/** A name's words run together, kept on the name (a candidate's is asked on every screen that finds it). */
function joinedOf(n: PreparedName): string {
  return (n.joined ??= n.tokens.join(''));
}

/** A word list that states a number no name does: differentNumbers(tokens, NUMBER_PROBE) tells whether tokens state one. */
const NUMBER_PROBE: readonly string[] = ['\u00000'];

/**
 * Whether a name's words state a number (typos.ts differentNumbers finds none else): most names do not,
 * and then no pair of names with it needs differentNumbers. Kept on the name.
 */
function hasNumbers(n: PreparedName): boolean {
  if (n.numbered === undefined) n.numbered = differentNumbers(n.tokens, NUMBER_PROBE) !== null;
  return n.numbered;
}

/** Similarity of a word of one name to a word of the other, in [0, 1]. */
type WordSimilarity = (t: string, u: string) => number;
const typedFirst: WordSimilarity = (t, u) => typoWordSimilarity(t, u);
const typedSecond: WordSimilarity = (t, u) => typoWordSimilarity(u, t);

/**
 * The word similarities of a profile, of a's words to b's and of b's to a's: screening reads a's (the
 * typed name's) words as b's mistyped (typos.ts), within the budget of b's word.
 */
function wordSimilarities(profile: Profile): [WordSimilarity, WordSimilarity] {
  return profile.typed ? [typedFirst, typedSecond] : [tokenSimilarity, tokenSimilarity];
}

/**
 * The parties a cross-list comparison measures rarity among, given by parts instead of as one array of
 * prepared parties (candidates-spooled.ts: only the pair compared is in memory). Indices are the
 * parties' ranks in id order, as findCandidates numbers them.
 * @internal
 */
export interface ComparedPopulation {
  /** How many parties (the N of word information). */
  size: number;
  /** The party of this index, prepared (only the two of a pair are asked for). */
  at(i: number): Prepared;
  /** The dataset of the party of this index. */
  datasetOf(i: number): string;
  /** Parties bearing each word (counted once per party). */
  wordCounts: ReadonlyMap<string, number>;
  /** Parties bearing each name key (PreparedName.key), ascending; a key only one party bears may be absent. */
  bearers: ReadonlyMap<string, readonly number[]>;
}

/** @internal */
export class Comparer {
  private readonly bits = new Map<string, number>();
  private readonly maxBits: number;
  /** Parties (indices into `prepared`) bearing each name key. */
  private readonly bearers: ReadonlyMap<string, readonly number[]>;
  /** Parties rarity is measured among. */
  private readonly population: number;
  private readonly at: (i: number) => Prepared;
  private readonly datasetOf: (i: number) => string;

  /**
   * `stats`: the word and name counts of another population (screening: every listed party, while
   * `prepared` holds only the input and a candidate); else those of `prepared`, given as an array or
   * by parts (ComparedPopulation).
   */
  constructor(
    prepared: readonly Prepared[] | ComparedPopulation,
    private readonly stats?: NameStats,
  ) {
    const df = new Map<string, number>();
    const bearers = new Map<string, number[]>();
    if (!Array.isArray(prepared)) {
      const given = prepared as ComparedPopulation;
      this.counts = given.wordCounts;
      this.bearers = given.bearers;
      this.population = given.size;
      this.at = (i) => given.at(i);
      this.datasetOf = (i) => given.datasetOf(i);
    } else {
      const list = prepared as readonly Prepared[];
      if (!stats) {
        list.forEach((p, i) => {
          const words = new Set(p.names.flatMap((n) => n.tokens));
          for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
          for (const n of p.names) {
            const bearing = bearers.get(n.key);
            if (bearing) bearing.push(i);
            else bearers.set(n.key, [i]);
          }
        });
      }
      this.bearers = bearers;
      this.population = stats?.parties ?? list.length;
      this.at = (i) => list[i];
      this.datasetOf = (i) => list[i].party.dataset;
    }
    const n = Math.max(this.population, 2);
    // Screening's counts (every word of the graph) are read per word as asked: computing all of them
    // here cost each screened candidate ~1.5 ms (21,000 words of the demo lists), most of a screen's time.
    for (const [w, c] of df) this.bits.set(w, Math.log2(n / Math.max(c, 1)));
    this.maxBits = Math.log2(n);
  }

  /** The counts of a population given by parts, read per word as asked (the same numbers as `bits`, without a second map of every word). */
  private readonly counts: ReadonlyMap<string, number> | null = null;

  /** Information of a word: log2(N / parties bearing it). */
  wordBits(w: string): number {
    if (this.stats) {
      const c = this.stats.words.get(w);
      return c === undefined ? this.maxBits : Math.log2(Math.max(this.population, 2) / Math.max(c, 1));
    }
    if (this.counts) {
      const c = this.counts.get(w);
      return c === undefined ? this.maxBits : Math.log2(Math.max(this.population, 2) / Math.max(c, 1));
    }
    return this.bits.get(w) ?? this.maxBits;
  }

  /**
   * Information of x's words that find a close word (similarity >= 0.8) in y, each weighted by that
   * similarity: the rarest fully, the others half (see RARITY_COMMON_BITS).
   */
  private sharedBits(x: readonly string[], y: readonly string[], similar: WordSimilarity): number {
    let max = 0;
    let sum = 0;
    for (const t of x) {
      let best = 0;
      for (const u of y) best = Math.max(best, similar(t, u));
      if (best < 0.8) continue;
      const b = this.wordBits(t) * best;
      sum += b;
      max = Math.max(max, b);
    }
    return max + (sum - max) / 2;
  }

  /** A word of x with no counterpart in y (see DIFFERENT_WORD_WEIGHT), or null. */
  private lone(x: PreparedName, y: PreparedName, similar: WordSimilarity): string | null {
    for (let i = 0; i < x.tokens.length; i++) {
      const t = x.tokens[i];
      let found = false;
      for (let j = 0; j < y.tokens.length && !found; j++) {
        found = similar(t, y.tokens[j]) >= DIFFERENT_WORD_SIMILARITY || x.sounds[i] === y.sounds[j];
      }
      if (!found) return t;
    }
    return null;
  }

  /** For people: a word of each name the other has no counterpart for, or null. */
  differentWords(x: PreparedName, y: PreparedName, profile: Profile = CROSS_LIST): [string, string] | null {
    const [xy, yx] = wordSimilarities(profile);
    const a = this.lone(x, y, xy);
    const b = a === null ? null : this.lone(y, x, yx);
    return a !== null && b !== null ? [a, b] : null;
  }

  /** Other parties of the two datasets that bear either name word for word (not a or b). */
  othersWithName(x: PreparedName, y: PreparedName, a: number, b: number): number {
    if (this.stats) {
      // Screening: the parties bearing either name, but the candidate itself (b, which bears y).
      const keys = x.key === y.key ? [x.key] : [x.key, y.key];
      const bearing = keys.reduce((sum, k) => sum + (this.stats!.names.get(k) ?? 0), 0);
      return Math.max(0, bearing - 1);
    }
    const datasets = [this.datasetOf(a), this.datasetOf(b)];
    const others = new Set<number>();
    for (const key of x.key === y.key ? [x.key] : [x.key, y.key]) {
      for (const i of this.bearers.get(key) ?? []) {
        if (i !== a && i !== b && datasets.includes(this.datasetOf(i))) others.add(i);
      }
    }
    return others.size;
  }

  /**
   * Rarity in [0, 1] of what two names share (see RARITY_COMMON_BITS). When other parties of the two
   * lists bear the same name, it is no more than the name's own information, log2(N / (others + 1)):
   * OFAC lists two "KIM, Yong Chol", so that name cannot be rare.
   */
  rarity(x: PreparedName, y: PreparedName, others: number, profile: Profile = CROSS_LIST): number {
    const [xy, yx] = wordSimilarities(profile);
    let bits = Math.min(this.sharedBits(x.tokens, y.tokens, xy), this.sharedBits(y.tokens, x.tokens, yx));
    if (x.fullKey === y.fullKey && x.fullKey !== x.key) bits += FULL_FORM_BITS;
    if (others > 0) bits = Math.min(bits, Math.log2(this.population / (others + 1)));
    let rarity = Math.max(0, Math.min(1, (bits - RARITY_COMMON_BITS) / (RARITY_RARE_BITS - RARITY_COMMON_BITS)));
    if (x.tokens.length === 1 && y.tokens.length === 1 && Math.min(x.tokens[0].length, y.tokens[0].length) <= ACRONYM_LENGTH) rarity /= 2;
    return rarity;
  }

  /**
   * Whether the cross-list score of a and b can reach `minScore`: false only when even the most their
   * names could give (identical names whose every word counts, see below) with what they actually share
   * of birth dates, nationalities and identifiers stays under it. Cheap (no name is compared with
   * another): most pairs the blocks propose share a word or a sound but are two parties (at x16 of the
   * scale data, 1.6 million pairs scored for about 2,000 candidates), and compare() spends most of its
   * time on names.
   *
   * An upper bound of every weight compare() sums: the name weight is at most nameWeight with a
   * similarity of 1 and the rarity of bits no more than the words of either party's richest name carry
   * (sharedBits with every word matched: (max + sum) / 2 of its words' bits, + FULL_FORM_BITS), plus
   * the names in common it adds; birth dates and nationalities as compare() weighs them; identifiers
   * shared as compare() adds them (duplicates not dropped) and conflicts (never positive) left out;
   * legal forms (never positive) left out. The rounding compare() applies (to three decimals, each
   * weight and the score) is allowed for with a margin.
   */
  mayReach(ai: number, bi: number, kind: 'same' | 'compatible', minScore: number): boolean {
    if (minScore <= 0) return true;
    const a = this.at(ai);
    const b = this.at(bi);
    const family: Family = a.family === 'unknown' ? b.family : a.family;
    let total = kind === 'same' ? 0 : KIND_COMPATIBLE_WEIGHT;
    if (a.names.length > 0 && b.names.length > 0) {
      const bits = Math.min(this.richestNameBits(ai, a), this.richestNameBits(bi, b)) + FULL_FORM_BITS;
      const rarity = Math.max(0, Math.min(1, (bits - RARITY_COMMON_BITS) / (RARITY_RARE_BITS - RARITY_COMMON_BITS)));
      let namesInCommon = 0;
      a.names.forEach((x, i) => {
        if (!a.names.slice(0, i).some((o) => o.key === x.key) && b.names.some((y) => y.key === x.key)) namesInCommon++;
      });
      total += nameWeight(family, 1, rarity) + Math.min(NAME_EXTRA_CAP, NAME_EXTRA * Math.max(0, namesInCommon - 1));
    }
    if (a.countries.length > 0 && b.countries.length > 0) {
      total += a.countries.some((c) => b.countries.includes(c))
        ? NATIONALITY_WEIGHTS.match
        : family === 'vessel' || family === 'aircraft' ? NATIONALITY_WEIGHTS.vesselMismatch : NATIONALITY_WEIGHTS.mismatch;
    }
    let ids = 0;
    for (const x of a.ids) {
      const y = b.ids.find((i) => sameIdentifier(x, i));
      if (y) ids += Math.min(IDENTIFIER_WEIGHTS[x.type], IDENTIFIER_WEIGHTS[y.type]);
    }
    total += Math.min(ids, IDENTIFIERS_CAP);
    // Six weights and the score rounded to three decimals: each up by at most 0.0005 (and float noise).
    const reaches = (t: number) => 1 / (1 + Math.exp(-(t + 0.004))) + 0.001 >= minScore;
    if (a.dates.length === 0 || b.dates.length === 0) return reaches(total);
    // Birth dates last, and only when the best they could give is needed (comparing them is the dearest part).
    if (!reaches(total + BEST_BIRTH_DATE_WEIGHT)) return false;
    const dob = compareBirthDates(a.dates, b.dates);
    return reaches(total + (dob ? BIRTH_DATE_WEIGHTS[dob.agreement] : 0));
  }

  /** richestNameBits of each party by index, as computed (NaN: not yet). */
  private richest: Float64Array | null = null;

  /**
   * The most bits a name of party i can share with another name: (max + sum) / 2 of its words' bits
   * (sharedBits with every word matched). Kept per party: one party meets many.
   */
  private richestNameBits(i: number, p: Prepared): number {
    this.richest ??= new Float64Array(this.population).fill(NaN);
    const known = i < this.richest.length ? this.richest[i] : NaN;
    if (!Number.isNaN(known)) return known;
    let most = 0;
    for (const n of p.names) {
      let max = 0;
      let sum = 0;
      for (const t of n.tokens) {
        const b = this.wordBits(t);
        sum += b;
        max = Math.max(max, b);
      }
      most = Math.max(most, max + (sum - max) / 2);
    }
    if (i < this.richest.length) this.richest[i] = most;
    return most;
  }

  compare(ai: number, bi: number, kind: 'same' | 'compatible', profile: Profile = CROSS_LIST): Candidate {
    const a = this.at(ai);
    const b = this.at(bi);
    const family: Family = a.family === 'unknown' ? b.family : a.family;
    // Names: the pair of names (one of each party) that is the strongest evidence. Names that share no
    // word, sound or run-together word are not compared (they would score below NAME_MIN_SIMILARITY),
    // unless no pair of names does: then all are, to report the closest.
    let best: {
      weight: number; similarity: number; rarity: number; others: number; different: [string, string] | null; x: PreparedName; y: PreparedName;
      typos: TypoAlignment | null; numbers: [string, string] | null;
    } | null = null;
    const alike: [PreparedName, PreparedName][] = [];
    // A typed name (screening) is compared with every name: a name mistyped may share no word, sound or
    // run-together word with the name it is a typo of ("CHINYONG" typed "CHINYOGN"), and the closest
    // pair is the one to report even when none is close.
    if (!profile.typed) {
      for (const x of a.names) {
        for (const y of b.names) {
          for (const t of x.signature) {
            if (y.signature.has(t)) {
              alike.push([x, y]);
              break;
            }
          }
        }
      }
    }
    const compared = alike.length > 0 ? alike : a.names.flatMap((x) => b.names.map((y): [PreparedName, PreparedName] => [x, y]));
    // A typed organisation's name and the listed one are compared without legal forms written letter
    // by letter ("S.A. DE C.V.": four one-letter words that two Mexican companies' names would share).
    const plain = profile.typed && family !== 'person' ? withoutLetterForms : (n: PreparedName) => n;
    for (const [typed, listed] of compared) {
      const x = plain(typed);
      const y = plain(listed);
      let similarity = x.key === y.key ? 1 : mutualTokenSimilarity(x.tokens, y.tokens, joinedOf(x), joinedOf(y));
      let typos: TypoAlignment | null = null;
      const numbers = profile.typed && hasNumbers(x) && hasNumbers(y) ? differentNumbers(x.tokens, y.tokens) : null;
      if (numbers) similarity = Math.min(similarity, NAME_MIN_SIMILARITY);
      else if (profile.typed && x.key !== y.key) {
        typos = alignTypos(x.tokens, y.tokens, { legalForms: family !== 'person' });
        if (typos) similarity = Math.max(similarity, 1 - TYPO_SIMILARITY_COST * typos.edits);
      }
      if (best && similarity <= NAME_MIN_SIMILARITY && best.weight >= profile.nameFloor && !profile.typed) continue;
      const others = similarity > NAME_MIN_SIMILARITY ? this.othersWithName(x, y, ai, bi) : 0;
      const rarity = similarity > NAME_MIN_SIMILARITY ? this.rarity(x, y, others, profile) : 0;
      const different = family === 'person' && similarity > NAME_MIN_SIMILARITY && x.key !== y.key ? this.differentWords(x, y, profile) : null;
      const weight = nameWeight(family, similarity, rarity, profile) + (different ? DIFFERENT_WORD_WEIGHT : 0) - (typos ? TYPO_WEIGHT * typos.edits : 0);
      if (!best || weight > best.weight || (weight === best.weight && similarity > best.similarity)) {
        best = { weight, similarity, rarity, others, different, x: typed, y: listed, typos, numbers };
      }
    }
    const bKeys = new Set(b.names.map((y) => y.key));
    const namesInCommon = new Set(a.names.map((x) => x.key).filter((k) => bKeys.has(k))).size;
    const nameExtra = Math.min(NAME_EXTRA_CAP, NAME_EXTRA * Math.max(0, namesInCommon - 1));

    const features: MatchFeatures = {
      name: round(best?.similarity ?? 0),
      matchedNames: [best?.x.text ?? a.party.names[0] ?? '', best?.y.text ?? b.party.names[0] ?? ''],
      nameRarity: round(best?.rarity ?? 0),
      kind,
      weights: {
        // No names on one side (a screening input of identifiers only): the name says nothing either way.
        name: a.names.length === 0 || b.names.length === 0 ? 0 : round((best?.weight ?? profile.nameFloor) + nameExtra),
        birthDate: 0,
        nationality: 0,
        identifiers: 0,
        legalForm: 0,
        kind: kind === 'same' ? 0 : KIND_COMPATIBLE_WEIGHT,
      },
    };
    if (namesInCommon > 1) features.namesInCommon = namesInCommon;
    if (best && best.others > 0) features.othersWithName = best.others;
    if (best?.different) features.differentWords = best.different;
    if (best?.typos?.edits) features.typos = best.typos.edits;
    if (best?.typos?.ignored.length) features.ignoredWords = best.typos.ignored;
    if (best?.numbers) features.numbers = best.numbers;

    if (family === 'organization' && a.legalForms.size === 1 && b.legalForms.size === 1 && ![...a.legalForms].some((f) => b.legalForms.has(f))) {
      features.legalForm = 'mismatch';
      features.legalForms = [[...a.legalForms][0], [...b.legalForms][0]];
      features.weights.legalForm = LEGAL_FORM_MISMATCH_WEIGHT;
    }

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
    let conflictWeight = 0;
    for (const [type, weight] of Object.entries(profile.conflicts) as [IdentifierType, number][]) {
      // Of one country: two passports of two countries are no conflict (people hold several).
      const xs = a.ids.filter((i) => i.type === type);
      const ys = b.ids.filter((i) => i.type === type && xs.some((x) => x.country === null || i.country === null || x.country === i.country));
      if (xs.length > 0 && ys.length > 0 && !xs.some((x) => ys.some((y) => x.norm === y.norm))) {
        conflicts.push(`${type}: ${xs.map((x) => x.value).join(', ')} / ${ys.map((y) => y.value).join(', ')}`);
        conflictWeight = Math.min(conflictWeight, weight);
      }
    }
    if (conflicts.length > 0) {
      features.identifierConflicts = conflicts;
      idWeight += conflictWeight;
    }
    features.weights.identifiers = round(idWeight);

    const w = features.weights;
    const total = w.name + w.birthDate + w.nationality + w.identifiers + w.legalForm + w.kind;
    return { a: a.party.id, b: b.party.id, score: round(1 / (1 + Math.exp(-total))), features };
  }
}

/**
 * Whether two identifiers are one: the same normalised value, of one type, and of no two different
 * countries (a side that names none agrees with any). Among documents, a passport is only a passport
 * (or an 'other' document); national ids, tax ids, registration numbers and 'other' numbers meet each
 * other, as lists file one number differently (a Russian INN is a "Tax ID No." to OFAC and an
 * identification number elsewhere).
 */
function sameIdentifier(x: PreparedId, y: PreparedId): boolean {
  if (x.group !== y.group || x.norm !== y.norm) return false;
  if (x.group === 'document' && x.type !== y.type && x.type !== 'other' && y.type !== 'other' && (x.type === 'passport' || y.type === 'passport')) {
    return false;
  }
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
  const caches: Caches = { dates: new Map(), countries: new Map() };
  // Sorted by id, so block contents and the pair orientation (a < b) do not depend on input order.
  const prepared = [...parties]
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : x.dataset < y.dataset ? -1 : x.dataset > y.dataset ? 1 : 0))
    .map((p) => prepare(p, caches));
  const comparer = new Comparer(prepared);

  const blocks = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    const keys = blockKeys(p);
    for (const k of [...keys.name, ...keys.word]) {
      const list = blocks.get(k);
      if (list) list.push(i);
      else blocks.set(k, [i]);
    }
  });

  // Pairs with the bits of the words they share (Infinity: the same name, sound or identifier).
  const n = prepared.length;
  const pairs = new Map<number, number>();
  const filter: PairFilter = { only, touching };
  const datasetOf = (i: number) => prepared[i].party.dataset;
  const sameId = (i: number, j: number) => prepared[i].party.id === prepared[j].party.id;
  for (const [key, members] of blocks) {
    forEachBlockPair(key, members, n, datasetOf, filter, sameId, (code, bits) => pairs.set(code, (pairs.get(code) ?? 0) + bits));
  }

  // One candidate per pair of ids: a party listed by two datasets under one id (61 OFAC entries are on
  // both the SDN and the consolidated list) is one node, so its best-scoring record speaks for it.
  const out = new Map<string, Candidate>();
  const minBits = minSharedBits(n);
  for (const [code, bits] of pairs) {
    if (bits < minBits) continue;
    const a = prepared[Math.floor(code / n)];
    const b = prepared[code % n];
    const kind = kindRelation(a.party.kind, b.party.kind);
    if (!kind) continue;
    const c = comparer.compare(Math.floor(code / n), code % n, kind);
    const key = `${c.a}\n${c.b}`;
    if (c.score >= minScore && c.score > (out.get(key)?.score ?? -1)) out.set(key, c);
  }
  return [...out.values()].sort(candidateOrder);
}

/** @internal The order of findCandidates' answer: by score (highest first), then by ids. */
export function candidateOrder(x: Candidate, y: Candidate): number {
  return y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0);
}

/** @internal The pairs findCandidates compares: of two datasets, both of `only` and one of `touching` (when set). */
export interface PairFilter {
  only: ReadonlySet<string> | null;
  touching: ReadonlySet<string> | null;
}

/**
 * @internal
 * The pairs one block proposes, as `add(code, bits)` with code = lower index * n + higher index and the
 * bits the block adds to the pair (Infinity for a name, sound or identifier block; log2(n / size) for a
 * word's): none for a block of one, or larger than MAX_WORD_BLOCK (words) or MAX_BLOCK. `members`
 * ascending; `sameId`: two records of one party (one node listed by two datasets).
 */
export function forEachBlockPair(
  key: string,
  members: readonly number[],
  n: number,
  datasetOf: (i: number) => string,
  filter: PairFilter,
  sameId: (i: number, j: number) => boolean,
  add: (code: number, bits: number) => void,
): void {
  if (members.length < 2) return;
  // Word keys are the `t:` ones (blockKeys): name, sound and identifier keys are `n:`, `s:` and `i:`.
  const isWord = key.startsWith('t:');
  if (members.length > (isWord ? MAX_WORD_BLOCK : MAX_BLOCK)) return;
  const bits = isWord ? Math.log2(n / members.length) : Infinity;
  const { only, touching } = filter;
  // A block none of whose members is of `touching` proposes no pair (most blocks, after a load onto a
  // store holding other lists): not one pair of its members need be looked at.
  if (touching && !members.some((i) => touching.has(datasetOf(i)))) return;
  for (let x = 0; x < members.length; x++) {
    const a = datasetOf(members[x]);
    if (only && !only.has(a)) continue;
    for (let y = x + 1; y < members.length; y++) {
      const b = datasetOf(members[y]);
      if (a === b || sameId(members[x], members[y])) continue;
      if (only && !only.has(b)) continue;
      if (touching && !touching.has(a) && !touching.has(b)) continue;
      add(members[x] * n + members[y], bits);
    }
  }
}

/** @internal Pairs that meet only in word blocks are compared from this many bits on (see MIN_SHARED_BITS). */
export function minSharedBits(n: number): number {
  return Math.min(MIN_SHARED_BITS, Math.log2(n) - 1);
}


// ---------------------------------------------------------------------------------------------
// Screening: a party as a caller knows it, against the listed parties

/**
 * How many parties bear each word and each whole name (PreparedName keys): the population whose
 * rarity screening measures a shared name by (every party of the graph). Built by nameStatsOf.
 */
export interface NameStats {
  parties: number;
  words: Map<string, number>;
  names: Map<string, number>;
}

/** Word and name counts of parties, each given as its names (primary name and aliases). */
export function nameStatsOf(partyNames: Iterable<readonly string[]>): NameStats {
  const stats: NameStats = { parties: 0, words: new Map(), names: new Map() };
  addNameStats(stats, partyNames);
  return stats;
}

/** Adds parties (each given as its names) to the counts: lets a caller count a large population in slices. */
export function addNameStats(stats: NameStats, partyNames: Iterable<readonly string[]>): void {
  const caches: Caches = { dates: new Map(), countries: new Map() };
  for (const names of partyNames) {
    stats.parties++;
    const p = prepare({ id: '', dataset: '', kind: 'LegalEntity', names: [...names], birthDates: [], nationalities: [], identifiers: [] }, caches);
    for (const w of new Set(p.names.flatMap((n) => n.tokens))) stats.words.set(w, (stats.words.get(w) ?? 0) + 1);
    for (const k of new Set(p.names.map((n) => n.key))) stats.names.set(k, (stats.names.get(k) ?? 0) + 1);
  }
}

/**
 * Screening weights. A caller screening a name asks "could this be a listed party?", a question to
 * put to a reviewer, so a name alone counts for more than between two lists (where a name alone must
 * not link two records): an identical rare name alone scores 0.93 to 0.94, an identical common one
 * ("Kim Chol") about 0.8, a rare name with a typo or two about 0.85 to 0.92 (typed names are read as
 * the listed ones mistyped: see `Profile.typed`, TYPO_WEIGHT, typos.ts), a name with no close word
 * 0.18, a name stating another number than the listed one ("FU YUAN YU 7612" / "7891") too. Other
 * evidence is weighed as between lists (BIRTH_DATE_WEIGHTS, NATIONALITY_WEIGHTS, IDENTIFIER_WEIGHTS):
 * an identical rare name with a birth year more than a year off falls to 0.38,
 * below SCREEN_THRESHOLD; one with the same birth date and nationality rises to 0.99. An identifier
 * alone scores by its weight (a passport 0.98, an email 0.92, a phone or website 0.73). A passport or
 * national id the caller gives that differs from every one of the party's (of that country) is
 * evidence against (-2.0), as two IMO or LEI numbers are.
 */
const SCREENING: Profile = {
  nameTop: {
    person: { common: 0.8, rare: 2.5 },
    organization: { common: 0.8, rare: 2.8 },
    unknown: { common: 0.8, rare: 2.6 },
    vessel: { common: 0.8, rare: 2.5 },
    aircraft: { common: 0.8, rare: 2.5 },
  },
  nameFloor: -1.5,
  conflicts: { imoNumber: IDENTIFIER_CONFLICT_WEIGHT, leiCode: IDENTIFIER_CONFLICT_WEIGHT, passport: -2.0, nationalId: -2.0 },
  typed: true,
};

/** Screening matches below this score are not returned unless the caller asks for a lower threshold. */
export const SCREEN_THRESHOLD = 0.7;
/** No screening score is certainty: the highest is this (strong agreement of every feature). */
export const SCREEN_MAX_SCORE = 0.999;

/** What a caller knows of the party it screens; any field may be empty. */
export interface ScreenSubject {
  /** Names in any script (the caller's one name, usually). */
  names: string[];
  /** Null when the caller does not say: compared as the candidate's kind. */
  kind: PartyKind | null;
  birthDates: string[];
  countries: string[];
  identifiers: MatchIdentifier[];
}

export interface ScreenScore {
  score: number;
  features: MatchFeatures;
}

/**
 * A subject prepared once for a screen (its names' words and forms, dates, countries, identifiers
 * normalised), to score many candidates against: opaque to callers. It also holds the caches of dates and
 * countries the candidates of one screen share.
 */
export interface PreparedScreenSubject {
  readonly subject: ScreenSubject;
  /** @internal */
  readonly prepared: Prepared;
  /** @internal */
  readonly caches: Caches;
}

/** Prepares a subject once for screenCandidate: the same scores as the subject itself, without preparing it per candidate. */
export function prepareScreenSubject(subject: ScreenSubject): PreparedScreenSubject {
  const caches: Caches = { dates: new Map(), countries: new Map() };
  // Prepared with some kind: the kind compared (the subject's, else each candidate's) is set per candidate.
  const input: MatchParty = {
    id: '', dataset: '', kind: subject.kind ?? 'LegalEntity', names: subject.names, birthDates: subject.birthDates, nationalities: subject.countries, identifiers: subject.identifiers,
  };
  return { subject, prepared: prepare(input, caches, false), caches };
}

/**
 * A candidate prepared once for screenCandidate (its names' words and forms, dates, countries,
 * identifiers normalised), to score against many subjects: it depends on the candidate only, so a
 * caller may keep it for as long as the candidate's party stays as it is (screen.ts keeps those of
 * the name index's rows). Opaque to callers but for `party`.
 */
export interface PreparedScreenCandidate {
  readonly party: MatchParty;
  /** @internal */
  readonly prepared: Prepared;
}

/** Prepares a candidate once for screenCandidate: the same scores as the candidate itself. */
export function prepareScreenCandidate(candidate: MatchParty): PreparedScreenCandidate {
  // Its own caches: what they hold (parsed dates, country codes) is a function of the value only.
  return { party: candidate, prepared: prepare(candidate, { dates: new Map(), countries: new Map() }, false) };
}

/**
 * The screening score of one candidate for a subject: the cross-list comparison (names with their
 * rarity among `stats`, birth dates, countries, identifiers shared and in conflict, legal forms) with
 * the SCREENING weights, in [0, SCREEN_MAX_SCORE]. Null when the kinds cannot be one party (a person
 * screened is never a vessel). The subject may be given prepared (prepareScreenSubject), when many
 * candidates are scored against it, and the candidate too (prepareScreenCandidate), when it is
 * screened again.
 */
export function screenCandidate(
  subject: ScreenSubject | PreparedScreenSubject,
  candidate: MatchParty | PreparedScreenCandidate,
  stats: NameStats,
): ScreenScore | null {
  const ready = 'prepared' in subject ? subject : prepareScreenSubject(subject);
  const party = 'prepared' in candidate ? candidate.party : candidate;
  const kind = ready.subject.kind ?? party.kind;
  const relation = kindRelation(kind, party.kind);
  if (!relation) return null;
  const base = ready.prepared;
  const input: Prepared = base.party.kind === kind ? base : { ...base, party: { ...base.party, kind }, family: FAMILY[kind] };
  const comparer = new Comparer([input, 'prepared' in candidate ? candidate.prepared : prepare(candidate, ready.caches, false)], stats);
  const c = comparer.compare(0, 1, relation, SCREENING);
  const w = c.features.weights;
  const total = w.name + w.birthDate + w.nationality + w.identifiers + w.legalForm + w.kind;
  return { score: Math.min(SCREEN_MAX_SCORE, round(1 / (1 + Math.exp(-total)))), features: c.features };
}
