/**
 * Makes bench/search-labelled.jsonl, the labelled queries of the search benchmark (bench/search.ts), from
 * the real OFAC SDN list of 2024-05-03 and UN list of 2025-11-18 (read by the project's parsers, as a
 * load reads them). Deterministic: the same files and seed give the same file.
 *
 *   node --import tsx bench/search-labelled.ts [--seed search-1] [--per-category 200]
 *
 * One JSON object a line: {category, query, expect, from}. `expect` lists every party a correct answer
 * may put first: the party the query was made from and every other party with a name of the same words
 * (OFAC and the UN list many parties under the same name). See bench/search-labelled.md for the
 * categories and how each query is made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../server/core/settings';
import { latinTokens, meaningfulTokens, NOISE_WORDS } from '../server/core/text/names';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { parseUnXml } from '../ingest/sources/un-xml';
import type { PartyRecord } from '../server/core/model';

const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions');
export const SDN_FILE = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
export const UN_FILE = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
export const LABELLED_FILE = path.join(REPO_ROOT, 'bench', 'search-labelled.jsonl');

export interface Labelled {
  category: string;
  query: string;
  expect: string[];
  from: { id: string; name: string };
}

/** mulberry32 seeded from a string: the same sequence on every machine. */
function rng(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One typo in a word, never in its first letter: a substitution, deletion, insertion or swap. */
function typo(word: string, r: () => number): string {
  const i = 1 + Math.floor(r() * (word.length - 1));
  const upper = word === word.toUpperCase();
  const letter = () => {
    const l = LETTERS[Math.floor(r() * 26)];
    return upper ? l.toUpperCase() : l;
  };
  switch (Math.floor(r() * 4)) {
    case 0: {
      let l = letter();
      while (l.toLowerCase() === word[i].toLowerCase()) l = letter();
      return word.slice(0, i) + l + word.slice(i + 1);
    }
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + letter() + word.slice(i);
    default:
      return i + 1 < word.length && word[i] !== word[i + 1] ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word.slice(0, i) + word.slice(i + 1);
  }
}

/** Words of a name as written, with the positions of those long enough to take a typo. */
function words(name: string): string[] {
  return name.split(/\s+/).filter((w) => w !== '');
}
const letters = (w: string) => w.replace(/[^\p{L}]/gu, '').length;

/** `n` typos in a name, in different words of 5+ letters where it has them, else in its longest word (8+). */
function withTypos(name: string, n: number, r: () => number): string | null {
  const ws = words(name);
  const long = ws.map((w, i) => [w, i] as const).filter(([w]) => /^[A-Za-z]+[,.]?$/.test(w) && letters(w) >= 5);
  if (long.length >= n) {
    const picked = new Set<number>();
    while (picked.size < n) picked.add(long[Math.floor(r() * long.length)][1]);
    for (const i of picked) {
      const m = /^([A-Za-z]+)([,.]?)$/.exec(ws[i])!;
      ws[i] = typo(m[1], r) + m[2];
    }
    return ws.join(' ');
  }
  if (n === 2 && long.length === 1 && letters(long[0][0]) >= 8) {
    const [w, i] = long[0];
    const m = /^([A-Za-z]+)([,.]?)$/.exec(w)!;
    let t = typo(m[1], r);
    t = typo(t, r);
    ws[i] = t + m[2];
    return ws.join(' ');
  }
  return null;
}

/** "LAST, First Middle" (OFAC) -> "First Middle LAST"; "FIRST SECOND LAST" (UN) -> "LAST FIRST SECOND". */
function swapped(name: string): string | null {
  const comma = /^([^,]+),\s*(.+)$/.exec(name);
  if (comma) return `${comma[2]} ${comma[1]}`;
  const ws = words(name);
  return ws.length >= 2 ? [ws.at(-1)!, ...ws.slice(0, -1)].join(' ') : null;
}

const ADDED_FORMS = ['Co., Ltd.', 'LLC', 'Limited', 'JSC', 'Inc.', 'Company', 'Corporation'];

/** An organisation's name with its legal form removed, or one added when it has none. */
function legalNoise(name: string, r: () => number): string | null {
  const ws = words(name);
  let end = ws.length;
  while (end > 1 && NOISE_WORDS.has(ws[end - 1].toLowerCase().replace(/[^a-z]/g, ''))) end--;
  if (end < ws.length) return ws.slice(0, end).join(' ').replace(/[,\s]+$/, '');
  return `${name} ${ADDED_FORMS[Math.floor(r() * ADDED_FORMS.length)]}`;
}

/** Hangul syllables of the romanised syllables of DPRK names (OFAC and UN spellings), for Hangul queries. */
const HANGUL_OF: Record<string, string> = {
  kim: '김', chol: '철', ri: '리', li: '리', yong: '영', il: '일', song: '성', jong: '정', ho: '호', pak: '박', park: '박',
  nam: '남', man: '만', kyong: '경', chun: '춘', choe: '최', su: '수', kwang: '광', kang: '강', jin: '진', hyok: '혁',
  won: '원', un: '은', tong: '동', dong: '동', min: '민', hun: '훈', chang: '창', yu: '유', u: '우', sung: '승', sok: '석',
  sang: '상', ryong: '룡', pyong: '평', phyong: '평', myong: '명', mun: '문', jon: '전', jo: '조', cho: '조', jang: '장',
  hwang: '황', hwan: '환', hwa: '화', chong: '청', yon: '연', sun: '순', sik: '식', ok: '옥', o: '오', kyu: '규', ku: '구',
  ko: '고', kil: '길', gil: '길', jun: '준', hong: '홍', han: '한', bong: '봉', pong: '봉', yun: '윤', yo: '여', ung: '웅',
  uk: '욱', tok: '덕', thaek: '택', thae: '태', tae: '태', sop: '섭', son: '손', so: '서', sin: '신', sam: '삼', ryu: '류',
  ryom: '렴', ryang: '량', pu: '부', pang: '방', paek: '백', pae: '배', mu: '무', kwon: '권', kwak: '곽', ki: '기',
  ji: '지', jae: '재', ja: '자', in: '인', im: '임', hyong: '형', hwi: '휘', hung: '흥', hui: '희', hak: '학', hae: '해',
  ha: '하', gun: '군', guk: '국', gon: '곤', chu: '주', chi: '지', cha: '차', byong: '병', bok: '복', hyon: '현', ju: '주',
  chae: '채', kun: '근', ryo: '려', sol: '설', yang: '양', hyo: '효', kye: '계', myo: '묘',
};

/** A DPRK person's name in Hangul (family name first, no spaces, as Koreans write it), when every syllable is known. */
function hangulOf(p: PartyRecord): string | null {
  if (p.kind !== 'Person' || /'/.test(p.name)) return null;
  const m = /^([A-Za-z]+),\s*([A-Za-z -]+)$/.exec(p.name) ?? /^([A-Za-z]+)\s+([A-Za-z -]+)$/.exec(p.name);
  if (!m) return null;
  const syllables = [m[1], ...m[2].split(/[\s-]+/)].map((s) => s.toLowerCase());
  if (syllables.length < 2 || syllables.length > 4) return null;
  const hangul = syllables.map((s) => HANGUL_OF[s]);
  return hangul.every(Boolean) ? hangul.join('') : null;
}

const SCRIPTS: [string, RegExp][] = [
  ['arabic', /\p{Script=Arabic}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['han', /\p{Script=Han}/u],
  ['hangul', /\p{Script=Hangul}/u],
];

export async function makeLabelled(seed = 'search-1', perCategory = 200): Promise<Labelled[]> {
  const sdn = await parseOfacCsv([SDN_FILE], { release: '2024-05-03' });
  const un = await parseUnXml([UN_FILE], {});
  const parties = [...sdn.parties, ...un.parties].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Every party under each name's words, for `expect`: the same meaningful words in any order (legal
  // forms aside, as names.ts compares names), so "HAMDAN, Salim Ahmad Salim" (OFAC) and "SALIM AHMAD SALIM
  // HAMDAN" (UN), or COCHAN and COCHAN HOLDINGS LLC, are each a right answer for the other.
  const byKey = new Map<string, Set<string>>();
  const key = (name: string) => meaningfulTokens(name).sort().join(' ');
  const written = (name: string) => latinTokens(name).join(' ');
  for (const p of parties) {
    for (const n of [p.name, ...p.aliases.map((a) => a.name)]) {
      const k = key(n);
      if (!byKey.has(k)) byKey.set(k, new Set());
      byKey.get(k)!.add(p.id);
    }
  }
  const expectOf = (name: string) => [...byKey.get(key(name))!].sort();
  const out: Labelled[] = [];
  const shuffled = (r: () => number) => {
    const a = [...parties];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  const category = (name: string, make: (p: PartyRecord, r: () => number) => { query: string; source: string } | null, asWritten = false) => {
    const r = rng(`${seed}:${name}`);
    let n = 0;
    for (const p of shuffled(r)) {
      if (n >= perCategory) break;
      const made = make(p, r);
      // A query must differ from the name it was made from (but for names as written in their script).
      if (!made || (!asWritten && written(made.query) === written(made.source)) || written(made.query) === '') continue;
      // What search refuses (more than 12 different words besides legal forms, over 200 characters) is left out.
      if (new Set(meaningfulTokens(made.query)).size > 12 || made.query.length > 200) continue;
      out.push({ category: name, query: made.query, expect: expectOf(made.source), from: { id: p.id, name: made.source } });
      n++;
    }
  };
  const latin = (s: string) => /^[\x20-\x7e]+$/.test(s);
  category('typo1', (p, r) => (latin(p.name) ? { query: withTypos(p.name, 1, r) ?? '', source: p.name } : null));
  category('typo2', (p, r) => (latin(p.name) ? { query: withTypos(p.name, 2, r) ?? '', source: p.name } : null));
  category('order', (p) => (p.kind === 'Person' && latin(p.name) ? { query: swapped(p.name) ?? '', source: p.name } : null));
  category('legalForm', (p, r) => (p.kind === 'Organization' && latin(p.name) && words(p.name).length >= 2 ? { query: legalNoise(p.name, r) ?? '', source: p.name } : null));
  category('aliasTypo', (p, r) => {
    const aliases = p.aliases.map((a) => a.name).filter((a) => latin(a) && key(a) !== key(p.name));
    if (aliases.length === 0) return null;
    const alias = aliases[Math.floor(r() * aliases.length)];
    return { query: withTypos(alias, 1, r) ?? '', source: alias };
  });
  // Other scripts: every original-script name of the lists as written there (UN NAME_ORIGINAL_SCRIPT),
  // by script; Hangul, which neither list has, from DPRK persons' names through HANGUL_OF.
  for (const [script, re] of SCRIPTS) {
    category(`script-${script}`, (p) => {
      if (script === 'hangul') {
        const h = hangulOf(p);
        return h ? { query: h, source: p.name } : null;
      }
      const original = p.aliases.map((a) => a.name).find((a) => re.test(a));
      return original ? { query: original, source: original } : null;
    }, true);
  }
  return out;
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const rows = await makeLabelled(arg('--seed') ?? 'search-1', Number(arg('--per-category') ?? 200));
  fs.writeFileSync(LABELLED_FILE, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.category] = (counts[r.category] ?? 0) + 1;
  console.error(`${rows.length} labelled queries written to ${path.relative(REPO_ROOT, LABELLED_FILE)}: ${JSON.stringify(counts)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
