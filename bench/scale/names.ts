/**
 * Realistic names for the copies, recombined from the real lists' own name parts: a person's surname
 * and given names are swapped for others used by people of the same nationality (or program), a
 * company's distinctive words for other companies' words of the same program, a vessel's for other
 * vessels' words. Legal forms, particles and words many names share ("LIMITED", "TRADING", "AL", "DE")
 * are kept, so a copy reads like the list it came from (never NAME_17), and name-based matching and
 * search meet the same kind of text as on the real list.
 *
 * A party's token map (original word -> new word) is reused for its aliases, so an alias stays the
 * same variant of the new name that it was of the real one ("AL-ZAWAHIRI, Ayman" / "AL ZAWAHIRI").
 */
import { nameKey } from '../../server/core/text/normalize';
import { hash53, rng } from './random';
import { varyChars } from './values';

/** Words kept in every copy: legal forms and connectors (short words are kept anyway). */
const KEEP = new Set(
  [
    'LIMITED', 'LTD', 'LLC', 'INC', 'CORP', 'CORPORATION', 'COMPANY', 'GMBH', 'SARL', 'SRL', 'SPA', 'OOO', 'OAO', 'ZAO', 'PAO', 'AO', 'JSC',
    'PJSC', 'CJSC', 'OJSC', 'FZE', 'FZCO', 'FZC', 'DMCC', 'PTE', 'SDN', 'BHD', 'LIMITADA', 'SOCIEDAD', 'ANONIMA', 'HOLDING', 'HOLDINGS',
    'GROUP', 'AND', 'THE', 'DEL', 'DES', 'DER', 'VAN', 'VON', 'BIN', 'BINT', 'IBN', 'ABU', 'ABD', 'UMM', 'AKA', 'JOINT', 'STOCK',
  ].map((w) => w.toUpperCase()),
);

/** A name split into words with the punctuation and spacing around them, so it can be rebuilt exactly. */
export interface Token {
  pre: string;
  core: string;
  post: string;
  /** Whitespace after this token. */
  space: string;
}

export function tokenize(name: string): Token[] {
  const out: Token[] = [];
  const re = /(\S+)(\s*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(name))) {
    const p = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(m[1])!;
    out.push({ pre: p[1], core: p[2], post: p[3], space: m[2] });
  }
  return out;
}

export function untokenize(tokens: Token[]): string {
  return tokens.map((t) => t.pre + t.core + t.post + t.space).join('').trim();
}

/** The same letter case as `like`: UPPER, Capitalised or as the pool has it. */
export function sameCase(like: string, word: string): string {
  if (like === like.toUpperCase() && like !== like.toLowerCase()) return word.toUpperCase();
  if (like === like.toLowerCase() && like !== like.toUpperCase()) return word.toLowerCase();
  if (like[0] === like[0].toUpperCase() && like.slice(1) === like.slice(1).toLowerCase()) return word[0].toUpperCase() + word.slice(1).toLowerCase();
  return word;
}

const SCRIPT_NO_SPACES = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** The script of a word, for original-script names (Arabic, Cyrillic, Han, ...); 'Latin' otherwise. */
export function scriptOf(word: string): string {
  for (const s of ['Arabic', 'Cyrillic', 'Han', 'Hangul', 'Hebrew', 'Greek', 'Thai', 'Georgian', 'Armenian']) {
    if (new RegExp(`\\p{Script=${s}}`, 'u').test(word)) return s;
  }
  return 'Latin';
}

/**
 * Name parts seen in the real lists, by position (surname, given, org, vessel, ...) and group
 * (nationality or program). Insertion order is the source files' order, so pools are deterministic.
 */
export class NamePools {
  private readonly pools = new Map<string, Set<string>>();
  private readonly freq = new Map<string, number>();
  /** A group's pool is used when it holds at least this many words; else the position's whole pool. */
  static readonly MIN_GROUP = 12;
  /** Words at least this frequent are common ("TRADING", "Muhammad") and kept on a first try. */
  static readonly COMMON = 20;

  add(position: string, group: string | null, name: string): void {
    for (const t of tokenize(name)) {
      if (!this.variable(t.core)) continue;
      const up = t.core.toUpperCase();
      this.freq.set(up, (this.freq.get(up) ?? 0) + 1);
      for (const key of [position, group ? `${position}|${group}` : null]) {
        if (!key) continue;
        let s = this.pools.get(key);
        if (!s) this.pools.set(key, (s = new Set()));
        s.add(t.core);
      }
      // Han and Hangul names are written without spaces: their characters are the parts.
      if (SCRIPT_NO_SPACES.test(t.core)) {
        const key = `char|${scriptOf(t.core)}`;
        let s = this.pools.get(key);
        if (!s) this.pools.set(key, (s = new Set()));
        for (const ch of t.core) s.add(ch);
      }
    }
  }

  /** Whether a word is varied at all: not a particle, legal form or number-free fragment like "S.A". */
  variable(core: string): boolean {
    const letters = core.replace(/[^\p{L}]/gu, '');
    if (letters.length <= 2 && !SCRIPT_NO_SPACES.test(core)) return false;
    return !KEEP.has(core.toUpperCase().replace(/\./g, ''));
  }

  common(core: string): boolean {
    return (this.freq.get(core.toUpperCase()) ?? 0) >= NamePools.COMMON;
  }

  pool(position: string, group: string | null): string[] {
    const g = group ? this.pools.get(`${position}|${group}`) : undefined;
    const s = g && g.size >= NamePools.MIN_GROUP ? g : this.pools.get(position);
    return s ? [...s] : [];
  }

  /** Pools are read many times: arrays are cached once the source is read. */
  freeze(): FrozenPools {
    const arrays = new Map<string, string[]>();
    for (const [k, s] of this.pools) arrays.set(k, [...s]);
    return new FrozenPools(arrays, this);
  }
}

export class FrozenPools {
  constructor(
    private readonly arrays: Map<string, string[]>,
    private readonly source: NamePools,
  ) {}
  pool(position: string, group: string | null): string[] {
    const g = group ? this.arrays.get(`${position}|${group}`) : undefined;
    return g && g.length >= NamePools.MIN_GROUP ? g : this.arrays.get(position) ?? [];
  }
  chars(script: string): string[] {
    return this.arrays.get(`char|${script}`) ?? [];
  }
  variable(core: string): boolean {
    return this.source.variable(core);
  }
  common(core: string): boolean {
    return this.source.common(core);
  }
}

/** What one party's names are varied with. */
export interface NameContext {
  pools: FrozenPools;
  /** Seed, copy and party: the key of every choice for this party. */
  key: string;
  group: string | null;
  /** Retry number when an earlier try gave a name already used (see NameRegistry). */
  attempt: number;
  /** Original word (upper case) -> its replacement, shared by the name and the aliases. */
  map: Map<string, string>;
  /** Registration marks (aircraft): varied letter by letter, not from a pool. */
  marks?: boolean;
}

export function newContext(pools: FrozenPools, key: string, group: string | null, attempt: number, marks = false): NameContext {
  return { pools, key, group, attempt, map: new Map(), marks };
}

function replaceWord(ctx: NameContext, core: string, position: string): string {
  const up = core.toUpperCase();
  const known = ctx.map.get(up);
  if (known !== undefined) return sameCase(core, known);
  let out = core;
  if (/\p{N}/u.test(core) || ctx.marks) {
    // Numbers and registration marks ("DARYA 1", "EP-GOM"): same shape, other characters; an
    // aircraft's nationality prefix ("EP-") is kept.
    const dash = ctx.marks ? core.indexOf('-') : -1;
    out = core.slice(0, dash + 1) + varyChars(core.slice(dash + 1), `${ctx.key}|${ctx.attempt}|w|${up}`);
  } else if (ctx.pools.variable(core) && (ctx.attempt >= 2 || !ctx.pools.common(core))) {
    const script = scriptOf(core);
    const r = rng(ctx.key, ctx.attempt, 'w', up);
    if (script !== 'Latin' && SCRIPT_NO_SPACES.test(core)) {
      const chars = ctx.pools.chars(script);
      if (chars.length) out = [...core].map((ch) => (/\p{L}/u.test(ch) ? r.pick(chars) : ch)).join('');
    } else {
      const pool = ctx.pools.pool(script === 'Latin' ? position : `${position}|${script}`, ctx.group);
      for (let i = 0; i < 4 && pool.length > 1; i++) {
        out = r.pick(pool);
        if (out.toUpperCase() !== up) break;
      }
    }
  }
  ctx.map.set(up, out);
  return sameCase(core, out);
}

/**
 * The varied form of a name. `positions` says which pool each word draws from (e.g. words before a
 * comma are surnames); after a few tries that all gave a used name, one more word is added.
 */
export function varyName(ctx: NameContext, name: string, position: (index: number, tokens: Token[]) => string): string {
  const tokens = tokenize(name);
  const out = tokens.map((t, i) => ({ ...t, core: t.core ? replaceWord(ctx, t.core, position(i, tokens)) : t.core }));
  if (ctx.attempt >= 4 && out.length > 0) {
    const pool = ctx.pools.pool(position(out.length - 1, tokens), ctx.group);
    if (pool.length) {
      // Before a trailing legal form ("... TRADING [word] LLC"), else at the end (one more given name).
      let at = out.length;
      while (at > 1 && !ctx.pools.variable(out[at - 1].core)) at--;
      const like = out[Math.min(at, out.length - 1)].core || 'X';
      const word = sameCase(like, rng(ctx.key, ctx.attempt, 'extra').pick(pool));
      if (at === out.length) {
        out[at - 1] = { ...out[at - 1], space: ' ' };
        out.push({ pre: '', core: word, post: '', space: '' });
      } else out.splice(at, 0, { pre: '', core: word, post: '', space: ' ' });
    }
  }
  if (ctx.attempt >= 30) {
    out[out.length - 1] = { ...out[out.length - 1], space: ' ' };
    out.push({ pre: '', core: String(ctx.attempt), post: '', space: '' });
  }
  return untokenize(out);
}

/**
 * Primary names in use (as the loader compares them: nameKey), so a generated name never equals
 * another party's: "Linked To" names its target, and the loader links to the first party of that name.
 * Hashes rather than strings keep a million names in a few tens of MB; a false collision only costs one
 * more try, the same in every run.
 */
export class NameRegistry {
  private readonly used = new Set<number>();
  /** Party key -> the try that gave its name, for the few that needed more than one. */
  private readonly attempts = new Map<string, number>();

  reserve(name: string): boolean {
    const h = hash53(nameKey(name));
    if (this.used.has(h)) return false;
    this.used.add(h);
    return true;
  }
  /** Tries `make(attempt)` until its name is unused, and remembers the try. */
  claim(partyKey: string, make: (attempt: number) => string): string {
    for (let attempt = 0; ; attempt++) {
      const name = make(attempt);
      if (this.reserve(name)) {
        if (attempt > 0) this.attempts.set(partyKey, attempt);
        return name;
      }
    }
  }
  attempt(partyKey: string): number {
    return this.attempts.get(partyKey) ?? 0;
  }
  get size(): number {
    return this.used.size;
  }
}
