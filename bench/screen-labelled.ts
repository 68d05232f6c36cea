/**
 * Makes the labelled data of the screening benchmark (bench/screen.ts) from the real OFAC SDN list of
 * 2024-05-03 and UN list of 2025-11-18, read by the project's parsers as a load reads them:
 *
 *   bench/screen-labelled.jsonl  queries screen() must answer: identifiers typed loosely, and names with
 *                                a birth year and country (the name categories of bench/search-labelled.jsonl
 *                                are screened as they are; the bench reads that file too);
 *   bench/screen-pairs.jsonl     true and false pairs (a query, a candidate party) for precision and recall
 *                                at the documented threshold.
 *
 *   node --import tsx bench/screen-labelled.ts [--seed screen-1]
 *
 * Deterministic: the same files and seed give the same files (choices follow the SHA-256 of seed + key,
 * not a clock or Math.random). See bench/screen-labelled.md for what each category and kind of pair is.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { REPO_ROOT } from '../server/core/settings';
import { latinTokens, meaningfulTokens } from '../server/core/text/names';
import { DOCUMENT_TYPES, normaliseIdentifierValue } from '../server/core/text/normalize';
import { parseScreenInput } from '../server/core/screening/input';
import type { IdentifierFact, IdentifierType, PartyRecord } from '../server/core/model';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { parseUnXml } from '../ingest/sources/un-xml';
import { LABELLED_FILE, SDN_FILE, UN_FILE, type Labelled } from './search-labelled';

export const SCREEN_LABELLED_FILE = path.join(REPO_ROOT, 'bench', 'screen-labelled.jsonl');
export const SCREEN_PAIRS_FILE = path.join(REPO_ROOT, 'bench', 'screen-pairs.jsonl');

/** A ScreenInput as the API takes it. */
export interface ScreenQuery {
  name?: string;
  kind?: string;
  birthDate?: string;
  country?: string;
  identifiers?: { type?: string; value: string; country?: string }[];
}

export interface ScreenLabelled {
  category: string;
  query: ScreenQuery;
  /** Every party a right answer may rank first. */
  expect: string[];
  from: { id: string; value: string };
}

export interface ScreenPair {
  /** true: the query is the candidate (a right answer finds it above the threshold); false: it is not. */
  same: boolean;
  kind: string;
  query: ScreenQuery;
  /** The party the query was made from. */
  from: string;
  candidate: string;
  why: string;
}

/** A number in [0, 1) fixed by seed and key: the order choices are made in, the same on every machine. */
function draw(seed: string, key: string): number {
  return createHash('sha256').update(`${seed}\u0000${key}`).digest().readUInt32BE(0) / 2 ** 32;
}
function ordered<T>(xs: T[], seed: string, key: (x: T) => string): T[] {
  return xs.map((x) => [draw(seed, key(x)), key(x), x] as const).sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)).map((t) => t[2]);
}

const YEAR = /\b(1[89]\d\d|20\d\d)\b/;
const yearOf = (b: string): number | null => {
  const m = YEAR.exec(b);
  return m ? Number(m[1]) : null;
};
const yearsOf = (p: PartyRecord) => p.birthDates.map(yearOf).filter((y): y is number => y !== null);

/** A birth date as a caller may type it: the list's own text when screening accepts it, else its year. */
function birthInput(b: string): string | null {
  try {
    parseScreenInput({ name: 'x', birthDate: b });
    return b;
  } catch {
    const y = yearOf(b);
    return y === null ? null : String(y);
  }
}

/** A party as a caller knows it (no identifiers): name, kind, first birth date, first nationality. */
function partyQuery(p: PartyRecord, name = p.name): ScreenQuery {
  const q: ScreenQuery = { name, kind: p.kind };
  const b = p.birthDates.map(birthInput).find((x) => x !== null);
  if (b) q.birthDate = b;
  const c = p.nationalities[0] ?? p.citizenships[0];
  if (c) q.country = c;
  return q;
}

// ---------------------------------------------------------------------------------------------
// Identifiers typed loosely

const GROUPS: Partial<Record<IdentifierType, string>> = { email: 'id-email', phone: 'id-phone', cryptoWallet: 'id-wallet', website: 'id-website', passport: 'id-document', nationalId: 'id-document' };

/** Documents as screening compares them: a passport meets passports and unnamed documents; a number typed without a type meets every document. */
const documentFamily = (typeGiven: IdentifierType | null): IdentifierType[] =>
  typeGiven === 'passport' ? ['passport', 'other'] : typeGiven ? DOCUMENT_TYPES.filter((d) => d !== 'passport') : [...DOCUMENT_TYPES];

const spaced = (s: string, every: number, sep: string) => s.match(new RegExp(`.{1,${every}}`, 'g'))!.join(sep);

/** The identifier written as a user might: another case, spaces or dashes, a scheme and a path, a national phone format. */
function loose(f: IdentifierFact, r: number): { value: string; type?: string; country?: string } | null {
  const { type, value, key } = f.identifier;
  const typed = r < 0.5;
  switch (type) {
    case 'email': {
      const [local, domain] = value.split('@');
      const forms = [value.toUpperCase(), `${local[0].toUpperCase()}${local.slice(1)}@${domain.toUpperCase()}`, ` mailto:${value.toUpperCase()} `];
      return { value: forms[Math.floor(r * 6) % 3], ...(typed ? { type: 'email' } : {}) };
    }
    case 'phone': {
      const stored = key.slice('phone:'.length);
      if (stored.startsWith('+')) {
        const n = parsePhoneNumberFromString(stored);
        if (!n) return null;
        const forms = [
          { value: n.formatInternational() },
          { value: n.formatInternational().replace(/^\+/, '00').replace(/ /g, '-') },
          ...(n.country ? [{ value: n.formatNational(), country: n.country }] : []),
        ];
        return { ...forms[Math.floor(r * 6) % forms.length], ...(typed ? { type: 'phone' } : {}) };
      }
      // A number the list writes without its country: its digits in groups (a fragment such as "(357)" is no number).
      if (stored.replace(/\D/g, '').length < 7) return null;
      return { value: spaced(stored.replace(/\D/g, ''), 3, r < 0.25 ? '-' : ' '), type: 'phone' };
    }
    case 'cryptoWallet': {
      const v = value.trim();
      if (/^0x[0-9a-f]{40}$/i.test(v)) return { value: `0x${v.slice(2).toUpperCase()}`, ...(typed ? { type: 'wallet' } : {}) };
      if (/^(bc|ltc|tb)1[0-9a-z]+$/i.test(v)) return { value: v.toUpperCase(), ...(typed ? { type: 'wallet' } : {}) };
      // Base58 addresses are case-sensitive: only spaces around them.
      return { value: ` ${v} `, ...(typed ? { type: 'wallet' } : {}) };
    }
    case 'website': {
      const host = key.slice('website:'.length);
      const forms = [`https://www.${host}/en/index.html`, `HTTP://${host.toUpperCase()}/`, `http://${host}:80/contact?lang=en`];
      return { value: forms[Math.floor(r * 6) % 3], ...(typed ? { type: 'website' } : {}) };
    }
    case 'passport':
    case 'nationalId': {
      const compact = value.replace(/[^A-Za-z0-9]/g, '');
      if (compact.length < 6 || !/\d/.test(compact)) return null;
      const forms = [spaced(compact, 3, ' '), `${compact.slice(0, 3)}-${compact.slice(3)}`, compact.toLowerCase()];
      return { value: forms[Math.floor(r * 6) % 3], ...(type === 'passport' && typed ? { type: 'passport' } : {}) };
    }
    default:
      return null;
  }
}

function identifierQueries(seed: string, facts: IdentifierFact[], perCategory: number): ScreenLabelled[] {
  // Holders by normalised value: every party whose own record of the identifier a right answer finds.
  const norm = (f: IdentifierFact) => normaliseIdentifierValue(f.identifier.type, f.identifier.value, f.identifier.country);
  const byValue = new Map<string, IdentifierFact[]>();
  for (const f of facts) {
    const v = norm(f);
    byValue.set(v, [...(byValue.get(v) ?? []), f]);
  }
  const out: ScreenLabelled[] = [];
  const count: Record<string, number> = {};
  const seen = new Set<string>();
  for (const f of ordered(facts, `${seed}:identifiers`, (x) => `${x.partyId} ${x.identifier.key}`)) {
    const category = GROUPS[f.identifier.type];
    if (!category || (count[category] ?? 0) >= perCategory || seen.has(f.identifier.key)) continue;
    const l = loose(f, draw(seed, `loose ${f.identifier.key}`));
    if (!l) continue;
    seen.add(f.identifier.key);
    const document = DOCUMENT_TYPES.includes(f.identifier.type);
    const family = document ? documentFamily((l.type as IdentifierType | undefined) ?? null) : [f.identifier.type];
    const holders = (byValue.get(norm(f)) ?? []).filter((h) => (document ? family.includes(h.identifier.type) : h.identifier.key === f.identifier.key));
    out.push({ category, query: { identifiers: [l] }, expect: [...new Set(holders.map((h) => h.partyId))].sort(), from: { id: f.partyId, value: f.identifier.value } });
    count[category] = (count[category] ?? 0) + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Names with a birth year and country

function nameYearQueries(seed: string, parties: Map<string, PartyRecord>, labelled: Labelled[], perCategory: number): ScreenLabelled[] {
  const out: ScreenLabelled[] = [];
  // A misspelt person's name (typo1, typo2 of the search set) with the party's birth year and nationality.
  let n = 0;
  for (const l of ordered(labelled.filter((x) => x.category === 'typo1' || x.category === 'typo2'), `${seed}:typo+year`, (x) => `${x.category} ${x.query}`)) {
    const p = parties.get(l.from.id)!;
    const year = yearsOf(p)[0];
    if (n >= perCategory || p.kind !== 'Person' || year === undefined) continue;
    const q: ScreenQuery = { name: l.query, kind: 'individual', birthDate: String(year) };
    const c = p.nationalities[0] ?? p.citizenships[0];
    if (c) q.country = c;
    // Of the parties of the same name, those of that birth year (or of none stated) are right answers.
    const expect = l.expect.filter((id) => {
      const ys = yearsOf(parties.get(id)!);
      return ys.length === 0 || ys.includes(year);
    });
    out.push({ category: 'typo+year+country', query: q, expect, from: { id: p.id, value: p.name } });
    n++;
  }
  // A name several persons of the lists share, with one's birth year: only that one (or another of that year) is right.
  const byKey = new Map<string, PartyRecord[]>();
  for (const p of parties.values()) {
    if (p.kind !== 'Person') continue;
    const k = meaningfulTokens(p.name).sort().join(' ');
    if (k) byKey.set(k, [...(byKey.get(k) ?? []), p]);
  }
  n = 0;
  for (const p of ordered([...parties.values()].filter((x) => x.kind === 'Person'), `${seed}:same-name`, (x) => x.id)) {
    if (n >= perCategory) break;
    const same = byKey.get(meaningfulTokens(p.name).sort().join(' ')) ?? [];
    const year = yearsOf(p)[0];
    if (same.length < 2 || year === undefined || !/^[\x20-\x7e]+$/.test(p.name)) continue;
    // Only where the year tells them apart: another of the name born more than a year away.
    if (!same.some((o) => o.id !== p.id && yearsOf(o).length > 0 && yearsOf(o).every((y) => Math.abs(y - year) > 1))) continue;
    const expect = same.filter((o) => yearsOf(o).includes(year)).map((o) => o.id).sort();
    out.push({ category: 'same-name+year', query: { name: p.name, kind: 'individual', birthDate: String(year) }, expect, from: { id: p.id, value: p.name } });
    n++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// True and false pairs

function makePairs(seed: string, parties: Map<string, PartyRecord>, facts: IdentifierFact[], perKind: number): ScreenPair[] {
  const out: ScreenPair[] = [];
  const docsOf = new Map<string, Set<string>>();
  const idsOf = new Map<string, Set<string>>();
  for (const f of facts) {
    const v = normaliseIdentifierValue(f.identifier.type, f.identifier.value, f.identifier.country);
    idsOf.set(f.partyId, (idsOf.get(f.partyId) ?? new Set()).add(v));
    if (DOCUMENT_TYPES.includes(f.identifier.type) && v.length >= 5) docsOf.set(v, (docsOf.get(v) ?? new Set()).add(f.partyId));
  }
  const shareAny = (a: string, b: string) => [...(idsOf.get(a) ?? [])].some((v) => idsOf.get(b)?.has(v));
  const list = (id: string) => id.split('-')[0];

  // True: a UN party and an OFAC party holding the same document number (the lists' own statement that
  // they are one person or body), each screened by the other's name, birth date and country.
  const trueKeys = new Set<string>();
  for (const [v, holders] of [...docsOf].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const un = [...holders].filter((h) => list(h) === 'un');
    const ofac = [...holders].filter((h) => list(h) === 'ofac');
    // A number held by more than one party of a list is not one person's (a shared company number, a list's slip).
    if (un.length !== 1 || ofac.length !== 1) continue;
    const k = `${un[0]} ${ofac[0]}`;
    if (trueKeys.has(k)) continue;
    trueKeys.add(k);
    const [u, o] = [parties.get(un[0])!, parties.get(ofac[0])!];
    out.push({ same: true, kind: 'shared-document un->ofac', query: partyQuery(u), from: u.id, candidate: o.id, why: `document ${v} on both` });
    out.push({ same: true, kind: 'shared-document ofac->un', query: partyQuery(o), from: o.id, candidate: u.id, why: `document ${v} on both` });
  }

  // False pairs: two parties of the same list (a list does not list one party twice) that share no identifier.
  const all = [...parties.values()];
  const persons = all.filter((p) => p.kind === 'Person');
  const farApart = (a: PartyRecord, b: PartyRecord) => {
    const ya = yearsOf(a);
    const yb = yearsOf(b);
    return ya.length > 0 && yb.length > 0 && ya.every((x) => yb.every((y) => Math.abs(x - y) > 1));
  };
  const falses = (kind: string, candidates: [PartyRecord, PartyRecord, string][], cap = perKind) => {
    let n = 0;
    const seen = new Set<string>();
    for (const [a, b, why] of ordered(candidates, `${seed}:${kind}`, ([x, y]) => `${x.id} ${y.id}`)) {
      if (n >= cap) break;
      if (seen.has(a.id) || list(a.id) !== list(b.id) || shareAny(a.id, b.id)) continue;
      seen.add(a.id);
      out.push({ same: false, kind, query: partyQuery(a), from: a.id, candidate: b.id, why });
      n++;
    }
  };
  // Same name (the same words), persons born more than a year apart.
  const byKey = new Map<string, PartyRecord[]>();
  for (const p of persons) {
    const k = meaningfulTokens(p.name).sort().join(' ');
    if (k) byKey.set(k, [...(byKey.get(k) ?? []), p]);
  }
  const sameName: [PartyRecord, PartyRecord, string][] = [];
  for (const group of byKey.values()) for (const a of group) for (const b of group) if (a !== b && farApart(a, b)) sameName.push([a, b, `same name, born ${yearsOf(a)[0]} and ${yearsOf(b)[0]}`]);
  falses('same-name-other-birth', sameName);
  // Same surname (OFAC's "SURNAME, Given"), other given names, born more than a year apart.
  const bySurname = new Map<string, PartyRecord[]>();
  for (const p of persons) {
    const m = /^([^,]+),\s*(.+)$/.exec(p.name);
    if (m) bySurname.set(m[1].toUpperCase(), [...(bySurname.get(m[1].toUpperCase()) ?? []), p]);
  }
  const given = (p: PartyRecord) => new Set(latinTokens(p.name.split(',').slice(1).join(' ')));
  const sameSurname: [PartyRecord, PartyRecord, string][] = [];
  for (const [surname, group] of bySurname) {
    if (group.length > 40) continue; // the commonest surnames (AL-, KIM) would fill the kind alone
    for (const a of group) for (const b of group) if (a !== b && farApart(a, b) && ![...given(a)].some((w) => given(b).has(w))) sameSurname.push([a, b, `surname ${surname}, other given names, born ${yearsOf(a)[0]} and ${yearsOf(b)[0]}`]);
  }
  falses('same-surname', sameSurname);
  // Names one edit apart (a letter changed, added or dropped, or two swapped: they share a form with one
  // letter deleted), of 8 letters or more, not the same words; persons only when born more than a year apart.
  const byDeletion = new Map<string, PartyRecord[]>();
  const written = (p: PartyRecord) => latinTokens(p.name).join(' ');
  for (const p of all) {
    const w = written(p);
    if (w.replace(/ /g, '').length < 8) continue;
    const forms = new Set([w]);
    for (let i = 0; i < w.length; i++) forms.add(w.slice(0, i) + w.slice(i + 1));
    for (const f of forms) byDeletion.set(f, [...(byDeletion.get(f) ?? []), p]);
  }
  const oneEdit = new Map<string, [PartyRecord, PartyRecord, string]>();
  const numbered = new Map<string, [PartyRecord, PartyRecord, string]>();
  for (const group of byDeletion.values()) {
    if (group.length < 2 || group.length > 20) continue;
    for (const a of group) {
      for (const b of group) {
        if (a === b || oneEdit.has(`${a.id} ${b.id}`) || written(a) === written(b)) continue;
        if (meaningfulTokens(a.name).sort().join(' ') === meaningfulTokens(b.name).sort().join(' ')) continue;
        if ((a.kind === 'Person' || b.kind === 'Person') && !farApart(a, b)) continue;
        // Names that differ only in a number (fleets of vessels: FU YUAN YU 7625 and 7626) are a kind of their own.
        const digitsOnly = written(a).replace(/\d/g, '') === written(b).replace(/\d/g, '');
        (digitsOnly ? numbered : oneEdit).set(`${a.id} ${b.id}`, [a, b, `"${a.name}" and "${b.name}", one edit apart`]);
      }
    }
  }
  falses('one-edit', [...oneEdit.values()]);
  falses('one-edit-number', [...numbered.values()], 50);
  return out;
}

export async function makeScreenLabelled(seed = 'screen-1'): Promise<{ labelled: ScreenLabelled[]; pairs: ScreenPair[] }> {
  const sdn = await parseOfacCsv([SDN_FILE], { release: '2024-05-03' });
  const un = await parseUnXml([UN_FILE], {});
  const parties = new Map([...sdn.parties, ...un.parties].map((p) => [p.id, p]));
  const facts = [...sdn.identifiers, ...un.identifiers];
  if (!fs.existsSync(LABELLED_FILE)) throw new Error(`${LABELLED_FILE} is missing: node --import tsx bench/search-labelled.ts makes it`);
  const search = fs.readFileSync(LABELLED_FILE, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Labelled);
  const labelled = [...identifierQueries(seed, facts, 100), ...nameYearQueries(seed, parties, search, 100)];
  for (const l of labelled) parseScreenInput(l.query); // a query screening refuses is a bug of this script
  return { labelled, pairs: makePairs(seed, parties, facts, 150) };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--seed');
  const { labelled, pairs } = await makeScreenLabelled(i > 0 ? process.argv[i + 1] : 'screen-1');
  fs.writeFileSync(SCREEN_LABELLED_FILE, labelled.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.writeFileSync(SCREEN_PAIRS_FILE, pairs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const count = (xs: { key: string }[]) => xs.reduce<Record<string, number>>((a, x) => ((a[x.key] = (a[x.key] ?? 0) + 1), a), {});
  console.error(`${labelled.length} queries -> ${path.relative(REPO_ROOT, SCREEN_LABELLED_FILE)}: ${JSON.stringify(count(labelled.map((l) => ({ key: l.category }))))}`);
  console.error(`${pairs.length} pairs -> ${path.relative(REPO_ROOT, SCREEN_PAIRS_FILE)}: ${JSON.stringify(count(pairs.map((p) => ({ key: `${p.same} ${p.kind}` }))))}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
