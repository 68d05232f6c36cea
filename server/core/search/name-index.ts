/**
 * The in-memory name index behind `search`: every name and alias of every party a reader sees, split into
 * words (names.ts `latinTokens`: other scripts transliterated), with
 *  - postings: word -> the names that have it;
 *  - rarity: each word's inverse document frequency over parties, so a rare word ("LAZARUS") counts more
 *    than a common one ("GRUP", "KOREA"), and legal forms count least;
 *  - typo keys, so a query word finds the words within its edit budget (1 for 3-5 letters, 2 from 6, as
 *    the full-text query allowed; 1 for a word the lists have): the one-deletion neighbourhood of every
 *    word (SymSpell) for one typo, and padded trigrams, counted (q-gram lemma), for two; candidates are
 *    verified by an optimal-string-alignment distance (a swap of two letters is one typo);
 *  - prefixes: the sorted vocabulary, so the last word of a query, being typed, finds its completions.
 * A query (query.ts: slots of spellings, Korean and Chinese readings included) is scored against each
 * candidate name in [0, 1]: the rarity-weighted mean of each query word's best similarity to a word of
 * the name, in any order, times 0.9 + 0.1 x the share of the name's rarity the query covered (a name with
 * many words the query does not mention scores a little lower). The best name of each party ranks it.
 */
import type { ParsedRelease } from '../model';
import { latinTokens, NOISE_WORDS } from '../text/names';
import { querySlots, type Slot } from './query';

/**
 * One party as the index reads it (cypher/search-index-parties.cypher): what search ranks and filters
 * by, and what screening compares a candidate by (server/api/screen.ts scores its candidates from these
 * rows and reads only the matches it returns from Neo4j). Kept small, as the index holds every party:
 * each fact as the lists write it (no second, normalised copy), empty lists shared, and the strings many
 * parties repeat (kinds, datasets, programs, countries, identifier types) one string each (live.ts).
 */
export interface IndexedParty {
  id: string;
  name: string;
  aliases: readonly string[];
  /** The kind and every label (a filter on kinds matches either, as the Cypher filter did); the kind first. */
  kinds: readonly string[];
  datasets: readonly string[];
  programs: readonly string[];
  /** As the lists write them ("1962", "08 Feb 1980"). */
  birthDates: readonly string[];
  /** Nationalities, then citizenships, as the lists write them. */
  nationalities: readonly string[];
  /** The distinct countries of its addresses, as written. */
  addressCountries: readonly string[];
  /** Its identifiers as flat triples: type, value, country (null when none), each identifier once. */
  identifiers: readonly (string | null)[];
  /**
   * Its listing facts as screening states them (server/api/screen.ts listingFacts), so that a screen
   * answers without reading its matches: the designation date the list states, the release it was
   * first loaded from, the release that delisted it (null when none). A placeholder has the kind
   * "Placeholder" among its kinds.
   */
  listedOn: string | null;
  firstSeen: string | null;
  delistedOn: string | null;
}

/** The one empty list the index's rows share (most parties state no birth date, address or identifier). */
export const NONE: readonly never[] = Object.freeze([]);

/**
 * The parties of a parsed release as the index would read them once it is loaded (without a database:
 * the benchmark's memory figures and the unit tests). Kinds: the party's kind only (a load adds labels).
 */
export function indexedParties(release: ParsedRelease): IndexedParty[] {
  const countries = new Map<string, Set<string>>();
  for (const a of release.addresses) {
    const c = a.address.country;
    if (!c) continue;
    let set = countries.get(a.partyId);
    if (!set) countries.set(a.partyId, (set = new Set()));
    set.add(c);
  }
  const identifiers = new Map<string, Map<string, (string | null)[]>>();
  for (const f of release.identifiers) {
    const { type, value, country } = f.identifier;
    let held = identifiers.get(f.partyId);
    if (!held) identifiers.set(f.partyId, (held = new Map()));
    held.set(`${type}\u0000${value}\u0000${country ?? ''}`, [type, value, country]);
  }
  const list = <T>(xs: readonly T[]): readonly T[] => (xs.length > 0 ? xs : NONE);
  return release.parties.map((p) => ({
    id: p.id,
    name: p.name,
    aliases: list(p.aliases.map((a) => a.name)),
    kinds: [p.kind],
    datasets: [release.dataset],
    programs: list(p.programs),
    birthDates: list(p.birthDates),
    nationalities: list([...p.nationalities, ...p.citizenships]),
    addressCountries: list([...(countries.get(p.id) ?? [])]),
    identifiers: list([...(identifiers.get(p.id)?.values() ?? [])].flat()),
    listedOn: p.listedOn ?? null,
    firstSeen: release.release,
    delistedOn: null,
  }));
}

/** Filters as search takes them: null is no filter; countries lowercase. */
export interface IndexFilters {
  kinds: readonly string[] | null;
  datasets: readonly string[] | null;
  programs: readonly string[] | null;
  countries: readonly string[] | null;
}

export interface IndexHit {
  id: string;
  /** In [0, 1], not rounded. */
  score: number;
  matchedName: string;
}

/** Most query words (slots) looked up; the rest of a longer query is ignored. */
const MAX_QUERY_SLOTS = 24;
/** Most completions of one word being typed that are looked at (the shortest first). */
const MAX_COMPLETIONS = 40;
/** Least score a hit can have when the query has several words (see the pruning in `search`). */
const MIN_SHARE = 0.5;
/** Fewest letters a word needs to be completed as a prefix. */
const MIN_PREFIX = 2;

/** Words of a name: `latinTokens`, with a fast path for plain ASCII (most names), which it leaves as is. */
function tokenize(name: string): string[] {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(name)) return name.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== '');
  return latinTokens(name);
}

/** Typo budget of a word by its length, as the former full-text query had it. */
function editBudget(len: number): number {
  return len >= 6 ? 2 : len >= 3 ? 1 : 0;
}

/** The word and the word with each one letter deleted. */
function deletionKeys(word: string): Set<string> {
  const out = new Set<string>([word]);
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return out;
}

function trigrams(word: string): string[] {
  const padded = `$$${word}$$`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

/**
 * Optimal string alignment distance (Levenshtein plus the swap of two neighbouring letters), stopping
 * early once every path exceeds `max` (then max + 1).
 */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

export function osaDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  // Three rows reused across calls (thousands per query): no allocation, no garbage.
  if (rows[0].length <= lb) rows = [0, 1, 2].map(() => new Int32Array(lb * 2 + 1));
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[lb];
}

/** Word similarity in [0, 1]: 1 minus the typos over the longer word's length. */
function wordSimilarity(a: string, b: string, typos: number): number {
  return 1 - typos / Math.max(a.length, b.length);
}

/** A query word's matches in the vocabulary: word id -> similarity. */
type Expansion = Map<number, number>;

export class NameIndex {
  readonly partyCount: number;
  readonly nameCount: number;
  private readonly parties: IndexedParty[];
  private readonly vocab = new Map<string, number>();
  private readonly words: string[] = [];
  private idf!: Float32Array;
  private noise!: Uint8Array;
  private maxIdf = 1;
  private postings: Int32Array[] = [];
  private grams = new Map<string, Int32Array>();
  /** Scratch of the trigram count (zero between lookups). */
  private gramCount!: Int32Array;
  /** One-deletion keys of every word: deletion key -> word ids. */
  private deletions = new Map<string, Int32Array>();
  private sortedWords!: Int32Array;
  private readonly nameText: string[] = [];
  private nameParty!: Int32Array;
  private nameTokStart!: Int32Array;
  private nameToks!: Int32Array;
  /** Summed rarity of each name's distinct meaningful words (all its words when it has only legal forms). */
  private nameWeight!: Float32Array;
  // Per-query scratch, reused: a stamp per name and per party says "seen by the current query".
  private nameStamp!: Int32Array;
  private partyStamp!: Int32Array;
  private partyScore!: Float64Array;
  private partyName!: Int32Array;
  private epoch = 0;
  /** Party positions in id order, when the rows did not come in it (live.ts reads them in it: then null). */
  private readonly byId: Int32Array | null;
  /** Lowercase forms of the countries filtered on (a few hundred distinct spellings). */
  private readonly lowerCountries = new Map<string, string>();

  constructor(parties: IndexedParty[]) {
    this.parties = parties;
    this.partyCount = parties.length;
    let inIdOrder = true;
    for (let i = 1; i < parties.length && inIdOrder; i++) inIdOrder = parties[i - 1].id < parties[i].id;
    this.byId = inIdOrder ? null : Int32Array.from(parties.keys()).sort((a, b) => (parties[a].id < parties[b].id ? -1 : parties[a].id > parties[b].id ? 1 : 0));
    const nameParty: number[] = [];
    const tokStart: number[] = [0];
    const toks: number[] = [];
    const df: number[] = [];
    const intern = (w: string) => {
      let id = this.vocab.get(w);
      if (id === undefined) {
        id = this.words.length;
        this.vocab.set(w, id);
        this.words.push(w);
        df.push(0);
      }
      return id;
    };
    const seenInParty = new Set<number>();
    parties.forEach((p, pi) => {
      seenInParty.clear();
      const seenNames = new Set<string>();
      for (const name of [p.name, ...p.aliases]) {
        if (!name) continue;
        const ws = tokenize(name);
        const key = ws.join(' ');
        if (ws.length === 0 || seenNames.has(key)) continue;
        seenNames.add(key);
        this.nameText.push(name);
        nameParty.push(pi);
        for (const w of ws) {
          const id = intern(w);
          toks.push(id);
          if (!seenInParty.has(id)) {
            seenInParty.add(id);
            df[id]++;
          }
        }
        tokStart.push(toks.length);
      }
    });
    this.nameCount = this.nameText.length;
    this.nameParty = Int32Array.from(nameParty);
    this.nameTokStart = Int32Array.from(tokStart);
    this.nameToks = Int32Array.from(toks);
    const V = this.words.length;
    this.idf = new Float32Array(V);
    this.noise = new Uint8Array(V);
    for (let i = 0; i < V; i++) {
      this.idf[i] = Math.log(1 + parties.length / df[i]);
      this.noise[i] = NOISE_WORDS.has(this.words[i]) ? 1 : 0;
      if (this.idf[i] > this.maxIdf) this.maxIdf = this.idf[i];
    }
    // Postings: names per word, ascending, each name once.
    const counts = new Int32Array(V);
    const last = new Int32Array(V).fill(-1);
    for (let n = 0; n < this.nameCount; n++) {
      for (let k = tokStart[n]; k < tokStart[n + 1]; k++) {
        const w = toks[k];
        if (last[w] !== n) {
          last[w] = n;
          counts[w]++;
        }
      }
    }
    this.postings = Array.from({ length: V }, (_, w) => new Int32Array(counts[w]));
    const fill = new Int32Array(V);
    last.fill(-1);
    this.nameWeight = new Float32Array(this.nameCount);
    for (let n = 0; n < this.nameCount; n++) {
      let meaningful = 0;
      let all = 0;
      for (let k = tokStart[n]; k < tokStart[n + 1]; k++) {
        const w = toks[k];
        if (last[w] === n) continue;
        last[w] = n;
        this.postings[w][fill[w]++] = n;
        all += this.idf[w];
        if (!this.noise[w]) meaningful += this.idf[w];
      }
      this.nameWeight[n] = meaningful > 0 ? meaningful : all;
    }
    // Trigram keys of the words a query word of 6+ letters can reach within two typos (4+ letters), by
    // trigram and word length, so a lookup counts only words of a length within reach.
    const gramLists = new Map<string, number[]>();
    for (let w = 0; w < V; w++) {
      const len = this.words[w].length;
      if (len < 4) continue;
      for (const g of new Set(trigrams(this.words[w]))) {
        const key = `${g}:${len}`;
        let l = gramLists.get(key);
        if (!l) gramLists.set(key, (l = []));
        l.push(w);
      }
    }
    for (const [g, l] of gramLists) this.grams.set(g, Int32Array.from(l));
    this.gramCount = new Int32Array(V);
    // Deletion neighbourhood of the words a one-typo query word can reach: a word and a query word one
    // substitution, insertion, deletion or swap apart share a key (SymSpell).
    const delLists = new Map<string, number[]>();
    for (let w = 0; w < V; w++) {
      const word = this.words[w];
      for (const k of deletionKeys(word)) {
        let l = delLists.get(k);
        if (!l) delLists.set(k, (l = []));
        l.push(w);
      }
    }
    for (const [k, l] of delLists) this.deletions.set(k, Int32Array.from(l));
    this.sortedWords = Int32Array.from([...this.words.keys()].sort((a, b) => (this.words[a] < this.words[b] ? -1 : this.words[a] > this.words[b] ? 1 : 0)));
    this.nameStamp = new Int32Array(this.nameCount);
    this.partyStamp = new Int32Array(parties.length);
    this.partyScore = new Float64Array(parties.length);
    this.partyName = new Int32Array(parties.length);
  }

  /** Distinct words of all names. */
  get vocabularySize(): number {
    return this.words.length;
  }

  /** Every party the index holds (screening's name counts are taken over them: name-stats.ts). */
  get allParties(): readonly IndexedParty[] {
    return this.parties;
  }

  /** The party with this id, if the index holds it. */
  party(id: string): IndexedParty | undefined {
    let lo = 0;
    let hi = this.parties.length;
    const at = (i: number) => this.parties[this.byId ? this.byId[i] : i];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(mid).id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.parties.length && at(lo).id === id ? at(lo) : undefined;
  }

  /** The words within a word's typo budget, its completions, and itself: word id -> similarity. */
  private expand(alt: string, into: Expansion, exactOnly = false, complete = true): void {
    const exact = this.vocab.get(alt);
    if (exact !== undefined) into.set(exact, 1);
    if (exactOnly) return;
    // A word the lists have is looked up within one typo; one they do not (misspelt) within its budget.
    const budget = exact === undefined ? editBudget(alt.length) : Math.min(1, editBudget(alt.length));
    const verify = (w: number) => {
      if (w === exact) return;
      const word = this.words[w];
      if (Math.abs(word.length - alt.length) > budget) return;
      const d = osaDistance(alt, word, budget);
      if (d <= budget) {
        const s = wordSimilarity(alt, word, d);
        if (s > (into.get(w) ?? 0)) into.set(w, s);
      }
    };
    if (budget === 1) {
      const seen = new Set<number>();
      for (const k of deletionKeys(alt)) {
        const list = this.deletions.get(k);
        if (!list) continue;
        for (let i = 0; i < list.length; i++) {
          if (seen.has(list[i])) continue;
          seen.add(list[i]);
          verify(list[i]);
        }
      }
    } else if (budget > 1) {
      // q-gram lemma: an edit changes at most 3 padded trigrams, a swap of two letters 4.
      const gs = trigrams(alt);
      const need = Math.max(1, gs.length - 4 * budget);
      const counts = this.gramCount;
      const found: number[] = [];
      for (let len = alt.length - budget; len <= alt.length + budget; len++) {
        for (const g of new Set(gs)) {
          const list = this.grams.get(`${g}:${len}`);
          if (!list) continue;
          for (let i = 0; i < list.length; i++) if (counts[list[i]]++ === 0) found.push(list[i]);
        }
      }
      for (const w of found) {
        if (counts[w] >= need) verify(w);
        counts[w] = 0;
      }
    }
    if (complete && alt.length >= MIN_PREFIX) {
      // Completions: the sorted vocabulary's range of words starting with `alt`, shortest first.
      let lo = 0;
      let hi = this.sortedWords.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.words[this.sortedWords[mid]] < alt) lo = mid + 1;
        else hi = mid;
      }
      const range: number[] = [];
      for (let i = lo; i < this.sortedWords.length && range.length < 2000; i++) {
        const w = this.sortedWords[i];
        if (!this.words[w].startsWith(alt)) break;
        if (w !== exact) range.push(w);
      }
      range.sort((a, b) => this.words[a].length - this.words[b].length || a - b);
      for (const w of range.slice(0, MAX_COMPLETIONS)) {
        // A word being typed: closer to 1 the more of it is typed, and above a typo of a short word.
        const s = 0.95 - 0.15 * (1 - alt.length / this.words[w].length) - (alt.length < 4 ? 0.1 : 0);
        if (s > (into.get(w) ?? 0)) into.set(w, s);
      }
    }
  }

  /** A slot's weight: the rarity of its commonest spelling found, else of its best match; legal forms less. */
  private slotWeight(slot: Slot, exp: Expansion): number {
    let w = Infinity;
    for (const a of slot.alts) {
      const id = this.vocab.get(a);
      if (id !== undefined) w = Math.min(w, this.idf[id]);
    }
    if (w === Infinity) {
      let best = 0;
      for (const [id, s] of exp) {
        if (s > best || (s === best && this.idf[id] < w)) {
          best = s;
          w = this.idf[id];
        }
      }
      if (w === Infinity) w = this.maxIdf;
    }
    return slot.noiseLike ? w * 0.5 : w;
  }

  /**
   * Parties whose names match the query, best first, those the filters exclude left out, at most `limit`.
   * Null when the query has no word to look up. `slots`: querySlots(text), when the caller has them already.
   */
  search(text: string, filters: IndexFilters, limit: number, slots: Slot[] = querySlots(text)): IndexHit[] | null {
    // search() refuses queries of more than LIMITS.searchWords slots; this bounds any other caller's cost.
    slots = slots.slice(0, MAX_QUERY_SLOTS);
    if (slots.length === 0) return null;
    const S = slots.length;
    // Only the last word is completed as a prefix: it is the one being typed (type-ahead).
    const exps: Expansion[] = slots.map((slot, i) => {
      const e: Expansion = new Map();
      for (const a of slot.alts) this.expand(a, e, slot.reading && slot.alts.length > 1, i === S - 1);
      return e;
    });
    const weights = slots.map((s, i) => this.slotWeight(s, exps[i]));
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    // Two neighbouring query words written as one in the name ("chin yong" -> CHINYONG, "jong un" -> JONGUN).
    const pairs: (Expansion | null)[] = [];
    for (let s = 0; s + 1 < S; s++) {
      const joined = new Set<string>();
      for (const a of slots[s].alts.slice(0, 6)) for (const b of slots[s + 1].alts.slice(0, 6)) joined.add(a + b);
      const e: Expansion = new Map();
      for (const j of joined) {
        const id = this.vocab.get(j);
        if (id !== undefined) e.set(id, 1);
        else if (joined.size === 1) this.expand(j, e, true);
      }
      pairs.push(e.size > 0 ? e : null);
    }

    if (++this.epoch === 0x7fffffff) {
      this.nameStamp.fill(0);
      this.partyStamp.fill(0);
      this.epoch = 1;
    }
    const e = this.epoch;
    // Each word found: its similarity to each slot (one lookup per word of a name, not one per slot).
    const sims = new Map<number, Float64Array>();
    exps.forEach((exp, s) => {
      for (const [w, sim] of exp) {
        let row = sims.get(w);
        if (!row) sims.set(w, (row = new Float64Array(S)));
        row[s] = sim;
      }
    });
    const best = new Float64Array(S);
    const bestWord = new Int32Array(S);
    const touched: number[] = [];
    const passes = new Map<number, boolean>();
    const asWritten = latinTokens(text).join(' ');
    const writtenAsQuery = (n: number) => latinTokens(this.nameText[n]).join(' ') === asWritten;

    const scoreName = (n: number) => {
      best.fill(0);
      bestWord.fill(-1);
      const start = this.nameTokStart[n];
      const end = this.nameTokStart[n + 1];
      for (let k = start; k < end; k++) {
        const w = this.nameToks[k];
        const row = sims.get(w);
        if (!row) continue;
        for (let s = 0; s < S; s++) {
          if (row[s] > best[s]) {
            best[s] = row[s];
            bestWord[s] = w;
          }
        }
      }
      for (let s = 0; s + 1 < S; s++) {
        const pe = pairs[s];
        if (!pe) continue;
        for (let k = start; k < end; k++) {
          const w = this.nameToks[k];
          const sim = (pe.get(w) ?? 0) * 0.98;
          if (sim > (best[s] + best[s + 1]) / 2) {
            best[s] = best[s + 1] = sim;
            bestWord[s] = bestWord[s + 1] = w;
          }
        }
      }
      let sum = 0;
      for (let s = 0; s < S; s++) sum += weights[s] * best[s];
      // Sums of the same weights in another order may differ in the last bit: the same words score 1.
      const words = sum / totalWeight > 1 - 1e-9 ? 1 : sum / totalWeight;
      // Coverage: the share of the name's rarity that query words matched.
      const nameHasMeaning = this.hasMeaning(n);
      let covered = 0;
      for (let s = 0; s < S; s++) {
        const w = bestWord[s];
        if (w < 0 || best[s] < 0.5 || (nameHasMeaning && this.noise[w])) continue;
        let dup = false;
        for (let t = 0; t < s; t++) if (bestWord[t] === w && best[t] >= 0.5) dup = true;
        if (!dup) covered += this.idf[w];
      }
      const coverage = this.nameWeight[n] > 0 && covered / this.nameWeight[n] < 1 - 1e-6 ? covered / this.nameWeight[n] : 1;
      return words * (0.9 + 0.1 * coverage);
    };

    const visit = (n: number) => {
      if (this.nameStamp[n] === e) return;
      this.nameStamp[n] = e;
      const p = this.nameParty[n];
      let ok = passes.get(p);
      if (ok === undefined) {
        ok = this.passes(this.parties[p], filters);
        passes.set(p, ok);
      }
      if (!ok) return;
      const score = scoreName(n);
      if (score <= 0) return;
      if (this.partyStamp[p] !== e) {
        this.partyStamp[p] = e;
        this.partyScore[p] = score;
        this.partyName[p] = n;
        touched.push(p);
        return;
      }
      const prev = this.partyScore[p];
      const other = this.partyName[p];
      // On a tie, the name written as the query wins (ALIS LLC over LIMITED LIABILITY COMPANY ALIS),
      // else the party's first name (its primary name before its aliases).
      let better = score > prev;
      if (score === prev) {
        const mine = writtenAsQuery(n);
        const theirs = writtenAsQuery(other);
        better = (mine && !theirs) || (mine === theirs && n < other);
      }
      if (better) {
        this.partyScore[p] = score;
        this.partyName[p] = n;
      }
    };
    // Candidates come from the words of the essential slots only (max-score pruning): the rarest slots
    // whose weight leaves the others less than MIN_SHARE of it, since a name matching only those others
    // could not score MIN_SHARE. So a common word ("GROUP", "KOREA", a surname) next to a rare one does
    // not make every name with it a candidate.
    const order = [...weights.keys()].sort((a, b) => weights[b] - weights[a]);
    const essential: Expansion[] = [];
    let rest = totalWeight;
    for (const s of order) {
      if (rest / totalWeight < MIN_SHARE) break;
      essential.push(exps[s]);
      rest -= weights[s];
    }
    const visitAll = (exps: (Expansion | null)[]) => {
      for (const exp of exps) {
        if (!exp) continue;
        for (const w of exp.keys()) {
          const list = this.postings[w];
          for (let i = 0; i < list.length; i++) visit(list[i]);
        }
      }
    };
    visitAll([...essential, ...pairs]);
    // Nothing through the rare words (all misspelt beyond reach): the names the others find, weak as they are.
    if (touched.length === 0 && essential.length < S) visitAll(exps);
    touched.sort((a, b) => this.partyScore[b] - this.partyScore[a] || (this.parties[a].id < this.parties[b].id ? -1 : 1));
    return touched.slice(0, limit).map((p) => ({ id: this.parties[p].id, score: Math.min(1, this.partyScore[p]), matchedName: this.nameText[this.partyName[p]] }));
  }

  private hasMeaning(n: number): boolean {
    for (let k = this.nameTokStart[n]; k < this.nameTokStart[n + 1]; k++) if (!this.noise[this.nameToks[k]]) return true;
    return false;
  }

  /** The filters as cypher/api-search-candidates.cypher applies them: any listed value matches. */
  private passes(p: IndexedParty, f: IndexFilters): boolean {
    if (f.kinds && !p.kinds.some((k) => f.kinds!.includes(k))) return false;
    if (f.datasets && !p.datasets.some((d) => f.datasets!.includes(d))) return false;
    if (f.programs && !p.programs.some((x) => f.programs!.includes(x))) return false;
    if (f.countries && !this.inCountries(p.nationalities, f.countries) && !this.inCountries(p.addressCountries, f.countries)) return false;
    return true;
  }

  /** Whether any of the countries, lowercased, is one of `wanted` (lowercase). */
  private inCountries(countries: readonly string[], wanted: readonly string[]): boolean {
    for (const c of countries) {
      let lower = this.lowerCountries.get(c);
      if (lower === undefined) this.lowerCountries.set(c, (lower = c.toLowerCase()));
      if (wanted.includes(lower)) return true;
    }
    return false;
  }
}
