/**
 * UN Security Council Consolidated List XML copies. Copy 0 is every real entry; copy k (1..F-1) is each
 * real entry again with a fresh REFERENCE_NUMBER: the UN's "QDi.006" shape (two letters, i or e, three
 * digits, which is what the parser and the list's own comments use to refer to an entry) with a
 * two-letter prefix no real regime uses, one per copy, numbered in list order. References in COMMENTS1
 * and DESIGNATION (the list's links) are rewritten to the copy of the referenced entry, or for a share of
 * them to its copy in another copy. Names, dates, documents and streets vary as in the OFAC copies; the
 * regime (UN_LIST_TYPE, the program) is kept.
 */
import { streamXml, type XmlElement } from '../../ingest/xml';
import { splitDocumentNumber } from '../../ingest/sources/un-xml';
import { NamePools, newContext, scriptOf, varyName, type FrozenPools, type NameContext } from './names';
import { rng } from './random';
import { dateShift, shiftIsoDate, varyChars, varyIdentifier, varyStreet, type DateShift } from './values';
import type { OutFile } from './writer';

const REF_IN_TEXT = /\b([A-Z]{2}[ie])\.?(\d{3})\b/g;
const NAME_FIELDS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'];

export interface UnSource {
  rootAttrs: Record<string, string>;
  individuals: XmlElement[];
  entities: XmlElement[];
  /** Real reference number -> [section, index in it]. */
  refs: Map<string, { individual: boolean; index: number }>;
  /** References in the text to numbers that are no entry of the list (delisted or mistyped): each copy gets its own. */
  unknownRefs: Map<string, number>;
  pools: FrozenPools;
  prefixes: Set<string>;
}

const text = (el: XmlElement, name: string) => el.children.find((c) => c.name === name)?.text.replace(/\s+/g, ' ').trim() ?? '';
const values = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name).flatMap((c) => c.children.map((v) => v.text.trim()));

function groupOf(el: XmlElement): string {
  return values(el, 'NATIONALITY')[0] || text(el, 'UN_LIST_TYPE');
}
const positionOf = (individual: boolean) => (individual ? 'un-person' : 'un-org');

export async function readUnSource(file: string): Promise<UnSource> {
  const src: UnSource = { rootAttrs: {}, individuals: [], entities: [], refs: new Map(), unknownRefs: new Map(), pools: null!, prefixes: new Set() };
  const pools = new NamePools();
  await streamXml(file, {
    isRecord: (p) => p.length === 3 && (p[2] === 'INDIVIDUAL' || p[2] === 'ENTITY'),
    onOpen: (name, attrs, _line, p) => {
      if (p.length === 1) src.rootAttrs = attrs;
    },
    onRecord: (el) => {
      const individual = el.name === 'INDIVIDUAL';
      const list = individual ? src.individuals : src.entities;
      const ref = text(el, 'REFERENCE_NUMBER');
      src.refs.set(ref, { individual, index: list.length });
      src.prefixes.add(ref.slice(0, 2));
      list.push(el);
      const pos = positionOf(individual);
      const group = groupOf(el);
      const names = [...NAME_FIELDS.map((n) => text(el, n)), text(el, 'NAME_ORIGINAL_SCRIPT')];
      for (const a of el.children.filter((c) => c.name.endsWith('_ALIAS'))) names.push(text(a, 'ALIAS_NAME'));
      for (const n of names.filter(Boolean)) {
        // Words in another script go to that script's pool (`un-person|Arabic`), so a varied
        // original-script name stays in its script.
        for (const w of n.split(/\s+/)) {
          const script = scriptOf(w);
          pools.add(script === 'Latin' ? pos : `${pos}|${script}`, group, w);
        }
      }
    },
  });
  for (const el of [...src.individuals, ...src.entities]) {
    for (const t of [text(el, 'COMMENTS1'), ...values(el, 'DESIGNATION')]) {
      for (const m of t.matchAll(REF_IN_TEXT)) {
        const ref = `${m[1]}.${m[2]}`;
        if (!src.refs.has(ref) && !src.unknownRefs.has(ref)) src.unknownRefs.set(ref, src.unknownRefs.size);
      }
    }
  }
  if (src.individuals.length > 900 || src.entities.length > 900) {
    throw new Error('the UN source has more than 900 individuals or entities: one prefix per copy cannot number them in three digits');
  }
  src.pools = pools.freeze();
  return src;
}

/** The two-letter prefix of copy k: the k-th pair no real regime uses, in a seeded order. */
export function copyPrefixes(src: UnSource, seed: string, factor: number): string[] {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const free: string[] = [];
  for (const a of letters) for (const b of letters) if (!src.prefixes.has(a + b)) free.push(a + b);
  const r = rng(seed, 'un-prefixes');
  for (let i = free.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [free[i], free[j]] = [free[j], free[i]];
  }
  if (factor - 1 > free.length) throw new Error(`the UN list can be copied at most ${free.length + 1} times (three-digit reference numbers)`);
  return ['', ...free.slice(0, factor - 1)];
}

function refIn(src: UnSource, prefixes: string[], k: number, ref: string): string {
  if (k === 0) return ref;
  const known = src.refs.get(ref);
  if (known) return `${prefixes[k]}${known.individual ? 'i' : 'e'}.${String(known.index + 1).padStart(3, '0')}`;
  // Not an entry of the list: numbered from 999 down, so it stays a reference to nothing in the copy too.
  return `${prefixes[k]}${ref[2]}.${String(999 - src.unknownRefs.get(ref)!).padStart(3, '0')}`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => esc(s).replace(/"/g, '&quot;');

function serialize(el: XmlElement, indent: string): string {
  const attrs = Object.entries(el.attrs).map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('');
  if (el.children.length === 0) return el.text ? `${indent}<${el.name}${attrs}>${esc(el.text)}</${el.name}>\n` : `${indent}<${el.name}${attrs}/>\n`;
  return `${indent}<${el.name}${attrs}>\n${el.children.map((c) => serialize(c, indent + '  ')).join('')}${indent}</${el.name}>\n`;
}

interface Ctx {
  src: UnSource;
  k: number;
  factor: number;
  seed: string;
  cross: number;
  prefixes: string[];
  names: NameContext;
  position: string;
  shift: DateShift;
  counts: UnCounts;
  entryKey: string;
}

function varyText(c: Ctx, t: string, ownRef: string): string {
  return t.replace(REF_IN_TEXT, (_m, a: string, d: string) => {
    const ref = `${a}.${d}`;
    if (ref === ownRef || !c.src.refs.has(ref)) return refIn(c.src, c.prefixes, c.k, ref);
    c.counts.links++;
    // Keyed by the target, not the mention: an entry that names one entry twice links to one copy of it.
    const r = rng(c.entryKey, 'link', ref);
    let kk = c.k;
    if (c.factor > 1 && r.chance(c.cross)) {
      kk = r.int(0, c.factor - 2);
      if (kk >= c.k) kk++;
      c.counts.crossCopyLinks++;
    }
    return refIn(c.src, c.prefixes, kk, ref);
  });
}

/** The copy of one element of an entry, by element name (the entry's own children and their children). */
function varyElement(c: Ctx, el: XmlElement, parent: string, ownRef: string): XmlElement {
  const t = el.text;
  let out = t;
  const copyKey = `${c.seed}|${c.k}`;
  if (t) {
    if (NAME_FIELDS.includes(el.name) || el.name === 'NAME_ORIGINAL_SCRIPT' || el.name === 'ALIAS_NAME') out = varyName(c.names, t, () => c.position);
    else if (el.name === 'REFERENCE_NUMBER') out = refIn(c.src, c.prefixes, c.k, t);
    else if (el.name === 'DATAID') out = String(Number(t) + c.k * 10_000_000);
    else if (el.name === 'COMMENTS1' || (el.name === 'VALUE' && parent === 'DESIGNATION')) out = varyText(c, t, ownRef);
    else if (['DATE', 'YEAR', 'FROM_YEAR', 'TO_YEAR', 'DATE_OF_BIRTH'].includes(el.name) || (el.name === 'NOTE' && parent === 'INDIVIDUAL_DATE_OF_BIRTH')) {
      out = shiftIsoDate(t, c.shift);
    } else if (el.name === 'NUMBER' && parent === 'INDIVIDUAL_DOCUMENT') {
      const { value } = splitDocumentNumber(t);
      const at = value ? t.indexOf(value) : -1;
      if (at >= 0) out = t.slice(0, at) + varyIdentifier(value, copyKey) + t.slice(at + value.length);
    } else if (el.name === 'STREET' && parent.endsWith('_ADDRESS')) out = varyStreet(t, copyKey, [], new Set());
    else if (el.name === 'ZIP_CODE') out = varyChars(t, `${copyKey}|zip|${t}`);
  }
  return { ...el, text: out, children: el.children.map((ch) => varyElement(c, ch, el.name, ownRef)) };
}

export interface UnCounts {
  parties: number;
  links: number;
  crossCopyLinks: number;
}

export async function writeUnHeader(src: UnSource, out: OutFile): Promise<void> {
  const attrs = Object.entries(src.rootAttrs).map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('');
  await out.write(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<CONSOLIDATED_LIST${attrs}>\n`);
}

/** Writes copy k of one section (individuals or entities); the caller opens and closes the section. */
export async function writeUnCopy(
  src: UnSource,
  individual: boolean,
  k: number,
  opts: { seed: string; factor: number; cross: number; prefixes: string[] },
  out: OutFile,
  counts: UnCounts,
): Promise<void> {
  const list = individual ? src.individuals : src.entities;
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    const ownRef = text(el, 'REFERENCE_NUMBER');
    const entryKey = `${opts.seed}|un|${k}|${ownRef}`;
    if (k === 0) {
      counts.links += [text(el, 'COMMENTS1'), ...values(el, 'DESIGNATION')].reduce(
        (n, t) => n + [...t.matchAll(REF_IN_TEXT)].filter((m) => src.refs.has(`${m[1]}.${m[2]}`) && `${m[1]}.${m[2]}` !== ownRef).length,
        0,
      );
      await out.write(serialize(el, '    '));
    } else {
      const position = positionOf(individual);
      const c: Ctx = {
        src, k, factor: opts.factor, seed: opts.seed, cross: opts.cross, prefixes: opts.prefixes, position, counts, entryKey,
        names: newContext(src.pools, entryKey, groupOf(el), 0),
        shift: dateShift(rng(entryKey, 'dob')),
      };
      await out.write(serialize(varyElement(c, el, '', ownRef), '    '));
    }
    counts.parties++;
  }
}
