import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectOfacEnhancedXml, ofacEnhancedXmlFormat, parseOfacEnhancedXml } from '../../ingest/sources/ofac-enhanced-xml';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { dateWindow, linkTypeOf } from '../../ingest/sources/ofac-xml-common';
import { firstNonUtf8 } from '../../ingest/encoding';
import { nameKey } from '../../server/core/text/normalize';
import { SourceFormatError } from '../../server/core/errors';
import type { ParsedRelease } from '../../server/core/model';
import { SHARED } from '../helpers';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'ofac-enhanced-xml', 'CONS_ENHANCED-excerpt.XML');
const FULL = path.join(SHARED, 'ofac-cons-enhanced-xml-2025-01-10', 'CONS_ENHANCED.XML');
const CLASSIC = path.join(__dirname, '..', 'fixtures', 'ofac-classic-xml', 'consolidated-excerpt.xml');
const text = fs.readFileSync(FIXTURE, 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-enh-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes a variant of the excerpt under the excerpt's own file name (errors name the file). */
function variant(dir: string, content: string | Buffer): string {
  const f = path.join(tmp, dir, path.basename(FIXTURE));
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, content);
  return f;
}
/** 1-based line of the first occurrence of `s` in `t`. */
const lineOf = (t: string, s: string) => t.slice(0, t.indexOf(s)).split('\n').length;
/** The raw text of one entity of the excerpt. */
const entityText = (t: string, uid: string) => {
  const start = t.indexOf(`<entity id="${uid}">`);
  return t.slice(start, t.indexOf('</entity>', start) + '</entity>'.length);
};

let excerpt: ParsedRelease;
beforeAll(async () => {
  excerpt = await parseOfacEnhancedXml([FIXTURE], {});
});

describe('OFAC ENHANCED_XML, real excerpt of CONS_ENHANCED.XML (2025-01-10)', () => {
  test('recognised from content, not from the name', async () => {
    expect(await detectOfacEnhancedXml(FIXTURE)).toBe(true);
    expect(await detectOfacEnhancedXml(CLASSIC)).toBe(false);
    expect(await detectOfacEnhancedXml(path.join(__dirname, '..', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv'))).toBe(false);
    expect(await detectOfacEnhancedXml(path.join(tmp, 'missing.xml'))).toBe(false);
    const renamed = variant('renamed', text);
    fs.renameSync(renamed, path.join(path.dirname(renamed), 'data.bin'));
    expect(await detectOfacEnhancedXml(path.join(path.dirname(renamed), 'data.bin'))).toBe(true);
    expect(ofacEnhancedXmlFormat.name).toBe('ofac-enhanced-xml');
    expect(ofacEnhancedXmlFormat.title('ofac-cons')).toMatch(/Consolidated/);
  });

  test('of all the shared sanctions files (OFAC CSV and XML, UN XML, OpenSanctions JSON), only CONS_ENHANCED.XML is taken', async () => {
    const files = (fs.readdirSync(SHARED, { recursive: true }) as string[]).filter((f) => f.includes(path.sep) && fs.statSync(path.join(SHARED, f)).isFile());
    expect(files.length).toBeGreaterThan(20);
    const taken: string[] = [];
    for (const f of files) if (await detectOfacEnhancedXml(path.join(SHARED, f))) taken.push(f);
    expect(taken).toEqual(['ofac-cons-enhanced-xml-2025-01-10/CONS_ENHANCED.XML']);
  });

  test('dataset from publicationInfo/filters, release from dataAsOf unless --release was given', async () => {
    expect(excerpt.dataset).toBe('ofac-cons');
    expect(excerpt.release).toBe('2025-01-10');
    expect(excerpt.files).toEqual(['CONS_ENHANCED-excerpt.XML']);
    // A date in the path loses to the date inside the file; --release wins over both.
    expect((await parseOfacEnhancedXml([FIXTURE], { release: '2024-01-01', releaseFrom: 'path' })).release).toBe('2025-01-10');
    const flagged = await parseOfacEnhancedXml([FIXTURE], { release: '2024-01-01', releaseFrom: 'flag', dataset: 'my-ofac' });
    expect([flagged.release, flagged.dataset, flagged.parties[0].provenance.dataset]).toEqual(['2024-01-01', 'my-ofac', 'my-ofac']);
  });

  test('every entity becomes a party with id ofac-<entity id>, and every party and fact carries provenance', () => {
    const ids = [...text.matchAll(/<entity id="(\d+)">/g)].map((m) => `ofac-${m[1]}`);
    expect(excerpt.parties.map((p) => p.id)).toEqual(ids);
    expect(excerpt.rejected).toEqual([]);
    const facts = [...excerpt.parties, ...excerpt.addresses, ...excerpt.identifiers, ...excerpt.links];
    for (const f of facts) {
      expect(f.provenance).toMatchObject({ dataset: 'ofac-cons', release: '2025-01-10', record: expect.stringMatching(/^CONS_ENHANCED-excerpt\.XML:\d+ \(uid \d+/) });
    }
    // The record's line is the line of the entity's start tag.
    const p = excerpt.parties.find((x) => x.id === 'ofac-26182')!;
    expect(p.provenance.record).toBe(`CONS_ENHANCED-excerpt.XML:${lineOf(text, '<entity id="26182">')} (uid 26182)`);
  });

  test('9647 ZAHHAR: person, weak and strong aliases, birth data, gender, listing date, link to HAMAS outside the file', () => {
    const p = excerpt.parties.find((x) => x.id === 'ofac-9647')!;
    expect(p).toMatchObject({
      kind: 'Person',
      name: 'ZAHHAR, Mahmoud Khaled',
      programs: ['NS-PLC', 'SDGT'],
      birthDates: ['1945'],
      birthPlaces: ['Gaza Strip'],
      nationalities: ['Palestinian'],
      gender: 'Male',
      // The earliest sanctionsList/@datePublished: the Non-SDN PLC list, 2006-04-12.
      listedOn: '2006-04-12',
      vessel: null,
    });
    // isLowQuality true -> weak (the legacy files print these in Remarks).
    expect(p.aliases).toEqual([
      { name: 'AL ZAHAR, Mahmoud Khaled', type: 'a.k.a.', quality: 'strong' },
      { name: 'ZAHAR, Mahmoud', type: 'a.k.a.', quality: 'weak' },
      { name: 'AL-ZAHAR, Mahmoud', type: 'a.k.a.', quality: 'weak' },
    ]);
    expect(p.remarks).toContain('Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by Executive Order 13886');
    expect(p.remarks).toContain('Sanctions lists: Non-SDN Palestinian Legislative Council List (2006-04-12), Consolidated List (2014-10-10), SDN List (2023-11-14)');
    expect(p.remarks).toContain('Legal authorities: General License 4 Under EO 13224 (Terrorism), Executive Order 13224 (Terrorism)');
    // Its only address has a REGION part and no country: written as the legacy add.csv writes it.
    expect(excerpt.addresses.filter((a) => a.partyId === 'ofac-9647').map((a) => a.address.full)).toEqual(['Region: Gaza']);
    // A relationship to an entity not in the file is kept, pointing at its OFAC id, named by relatedEntity.
    const link = excerpt.links.find((l) => l.from === 'ofac-9647')!;
    expect(link).toMatchObject({
      type: 'UNKNOWN_LINK',
      to: { id: 'ofac-4695', name: 'HAMAS' },
      label: 'Acting for or on behalf of',
      sourceId: '17928',
      provenance: { record: `CONS_ENHANCED-excerpt.XML:${lineOf(text, '<relationship id="17928">')} (uid 9647, relationship 17928)` },
    });
  });

  test('typed relationships: link types from the wording, label kept, inside and outside the file', () => {
    const rels = [...text.matchAll(/<entity id="(\d+)">[\s\S]*?<\/entity>/g)].flatMap((m) =>
      [...m[0].matchAll(/<relationship id="(\d+)">\s*<type refId="\d+">([^<]+)<\/type>\s*<relatedEntity entityId="(\d+)">/g)].map((r) => [`ofac-${m[1]}`, r[2], `ofac-${r[3]}`, r[1]]),
    );
    expect(rels.length).toBe(6);
    expect(excerpt.links.map((l) => [l.from, l.label, l.to.id, l.sourceId])).toEqual(rels);
    const byLabel = Object.fromEntries(excerpt.links.map((l) => [l.label, l.type]));
    expect(byLabel).toEqual({ 'Acting for or on behalf of': 'UNKNOWN_LINK', 'Owned or Controlled By': 'OWNERSHIP', 'Owns, controls, or operates': 'OWNERSHIP' });
    // 30924 owns 30942 and 23552 is owned by 17145: both ends are in the excerpt.
    const inside = excerpt.links.filter((l) => excerpt.parties.some((p) => p.id === l.to.id)).map((l) => [l.from, l.to.id]);
    expect(inside).toEqual([['ofac-23552', 'ofac-17145'], ['ofac-30924', 'ofac-30942']]);
    expect(excerpt.warnings).toEqual([expect.stringMatching(/^4 relationships point at 4 entries not in CONS_ENHANCED-excerpt\.XML \(uid 4695, 17013, 17260, 30956\)/)]);
  });

  test('relationship wordings: the ten RELATIONSHIP TYPE values of OFAC, and an unknown one typed by its words and reported', async () => {
    // The ten wordings are the whole file's referenceValues of type "RELATIONSHIP TYPE".
    const wordings = [...fs.readFileSync(FULL, 'utf8').matchAll(/<type>RELATIONSHIP TYPE<\/type>\s*<value>([^<]+)</g)].map((m) => m[1]);
    expect(wordings.length).toBe(10);
    expect(Object.fromEntries(wordings.map((w) => [w, linkTypeOf(w)]))).toEqual({
      'Associate Of': { inverse: false, type: 'ASSOCIATE', known: true },
      'Providing support to': { inverse: false, type: 'UNKNOWN_LINK', known: true },
      'Acting for or on behalf of': { inverse: false, type: 'UNKNOWN_LINK', known: true },
      'Owned or Controlled By': { inverse: true, type: 'OWNERSHIP', known: true },
      'Family member of': { inverse: false, type: 'FAMILY', known: true },
      'playing a significant role in': { inverse: false, type: 'UNKNOWN_LINK', known: true },
      'Leader or official of': { inverse: false, type: 'DIRECTORSHIP', known: true },
      'Principal Executive Officer': { inverse: false, type: 'DIRECTORSHIP', known: true },
      'Owns, controls, or operates': { inverse: false, type: 'OWNERSHIP', known: true },
      'Property in the interest of': { inverse: true, type: 'OWNERSHIP', known: true },
    });
    const t = text.replace('<type refId="15002">Acting for or on behalf of</type>', '<type refId="15002">Financially controlled by</type>');
    const r = await parseOfacEnhancedXml([variant('new-wording', t)], {});
    // Stated in the passive, so stored owner -> asset (LinkRecord.inverse).
    expect(r.links.find((l) => l.from === 'ofac-9647')).toMatchObject({ type: 'OWNERSHIP', label: 'Financially controlled by', inverse: true });
    expect(r.warnings).toContainEqual('relationship types not in OFAC_RELATIONSHIP_TYPES, typed from their words: "Financially controlled by" (OWNERSHIP)');
  });

  test('names in other scripts are aliases; an a.k.a. that repeats the name is not', () => {
    const chinese = excerpt.parties.find((x) => x.id === 'ofac-33113')!;
    expect(chinese.aliases.some((a) => /\p{Script=Han}/u.test(a.name) && a.type === 'a.k.a.' && a.quality === 'strong')).toBe(true);
    const cyrillic = excerpt.parties.find((x) => x.id === 'ofac-18784')!;
    expect(cyrillic.aliases.some((a) => /\p{Script=Cyrillic}/u.test(a.name))).toBe(true);
    // 18721 lists its own name as an a.k.a. among five names: the other four are its aliases.
    const vtb = excerpt.parties.find((x) => x.id === 'ofac-18721')!;
    const names = [...entityText(text, '18721').matchAll(/<formattedFullName>([^<]*)</g)].map((m) => m[1]);
    expect(names.length).toBe(6);
    expect(vtb.name).toBe('VTB BANK BELARUS CLOSED JOINT STOCK COMPANY');
    expect(names.filter((n) => n === vtb.name).length).toBe(2);
    expect(vtb.aliases.map((a) => a.name).sort()).toEqual(names.filter((n) => n !== vtb.name).sort());
  });

  test('addresses: one per translation (18784 in Latin and Cyrillic), country from address/country', () => {
    const a = excerpt.addresses.filter((x) => x.partyId === 'ofac-18784');
    expect(a.length).toBe(2);
    expect(a[0].address).toMatchObject({ country: 'Russia' });
    expect(a[1].address.street).toMatch(/\p{Script=Cyrillic}/u);
    expect(a[1].provenance.record).toMatch(/address \d+, Cyrillic\)$/);
    // 9639's only address has no parts and no country: nothing to attach.
    expect(excerpt.addresses.filter((x) => x.partyId === 'ofac-9639')).toEqual([]);
  });

  test('identity documents and features: label, number, country; details without a field in remarks', () => {
    const ids = (uid: string) => excerpt.identifiers.filter((i) => i.partyId === `ofac-${uid}`).map((i) => [i.label, i.identifier.type, i.identifier.value, i.identifier.country]);
    expect(ids('26182')).toEqual([['Passport', 'passport', 'U00242309', 'Turkey']]);
    expect(ids('50476')).toEqual([
      ['National ID No.', 'nationalId', '0032768386', 'Haiti'],
      ["Driver's License No.", 'other', 'M634550610520', 'United States'],
    ]);
    expect(ids('23552')).toEqual([
      ['Email Address', 'email', 'lgnch@lgnch.spb.ru', null],
      ['Registration ID', 'registrationNumber', '1057803105755', 'Russia'],
      ['Tax ID No.', 'taxId', '7810327462', 'Russia'],
    ]);
    const p23552 = excerpt.parties.find((x) => x.id === 'ofac-23552')!;
    expect(p23552.remarks).toContain('Registration ID 1057803105755: issued by OGRN');
    // Equity tickers keep their exchange (feature/comments) in the remarks.
    const p30924 = excerpt.parties.find((x) => x.id === 'ofac-30924')!;
    expect(ids('30924').filter(([l]) => l === 'Equity Ticker').length).toBeGreaterThan(0);
    expect(p30924.remarks).toMatch(/Equity Ticker \S+ US \(NYSE\)/);
    // 30926 lists ISIN HK0883013259 twice: one identifier.
    const isins = [...entityText(text, '30926').matchAll(/>ISIN<\/type>\s*<versionId>\d+<\/versionId>\s*<value>([^<]+)</g)].map((m) => m[1]);
    expect(isins.length).toBe(new Set(isins).size + 1);
    expect(ids('30926').filter(([l]) => l === 'ISIN').map(([, , v]) => v)).toEqual([...new Set(isins)]);
    // Features without a model field are remark statements, as the legacy files print them.
    const remarks = excerpt.parties.find((x) => x.id === 'ofac-18784')!.remarks!;
    expect(remarks.startsWith('Executive Order 13662 Directive Determination - Subject to Directive 3; Organization Established Date 1993; ')).toBe(true);
    // ... and the source's own remarks (generalInfo/remarks) come last, whole.
    expect(remarks.endsWith(`; ${/<remarks>([^<]*)</.exec(entityText(text, '18784'))![1]}`)).toBe(true);
  });

  test('bad input: truncated file -> SourceFormatError naming file and line', async () => {
    const cut = variant('cut', text.slice(0, Math.floor(text.length / 2)));
    const err = await parseOfacEnhancedXml([cut], {}).catch((e) => e);
    expect(err).toBeInstanceOf(SourceFormatError);
    expect(err.message).toMatch(/^CONS_ENHANCED-excerpt\.XML:\d+: (ends before <\/\w+> \(truncated file\?\)|is not well-formed XML)/);
    expect(err.line).toBe(text.slice(0, Math.floor(text.length / 2)).split('\n').length);
    // A cut between two entities is caught too: the root is never closed.
    const atLine = text.slice(0, text.indexOf('<entity id="26182">'));
    const err2 = await parseOfacEnhancedXml([variant('cut2', atLine)], {}).catch((e) => e);
    expect(err2.message).toMatch(/^CONS_ENHANCED-excerpt\.XML:\d+: (ends before <\/entities> \(truncated file\?\)|is not well-formed XML: unclosed tag: entities)/);
    expect(err2.line).toBe(atLine.split('\n').length);
  });

  test('bad input: wrong encoding -> SourceFormatError with the line of the first bad byte', async () => {
    // Windows-1251 (what "save as ANSI" writes on a Russian system): Cyrillic А..я become single bytes.
    const cp1251 = Buffer.from(
      [...text].map((ch) => {
        const c = ch.codePointAt(0)!;
        return c >= 0x410 && c <= 0x44f ? String.fromCharCode(c - 0x410 + 0xc0) : c > 0xff ? '?' : ch;
      }).join(''),
      'latin1',
    );
    const firstCyrillic = text.split('\n').findIndex((l) => /[\u0410-\u044f]/.test(l)) + 1;
    const err = await parseOfacEnhancedXml([variant('cp1251', cp1251)], {}).catch((e) => e);
    expect(err).toBeInstanceOf(SourceFormatError);
    expect([err.file, err.line]).toEqual(['CONS_ENHANCED-excerpt.XML', firstCyrillic]);
    expect(err.reason).toMatch(/is not valid UTF-8/);
    expect(await firstNonUtf8(FIXTURE)).toBeNull();
    // Latin-1 round trip (UTF-8 bytes read as Latin-1, saved as UTF-8): valid UTF-8, well-formed, but the
    // Cyrillic becomes mojibake with C1 control characters; refused at the element that holds it.
    const mojibake = Buffer.from(Buffer.from(text, 'utf8').toString('latin1'), 'utf8');
    const err2 = await parseOfacEnhancedXml([variant('latin1', mojibake)], {}).catch((e) => e);
    expect(err2).toBeInstanceOf(SourceFormatError);
    expect(err2.file).toBe('CONS_ENHANCED-excerpt.XML');
    expect(err2.reason).toMatch(/C1 control characters.*re-encoded/);
    const firstNonAscii = text.split('\n').findIndex((l) => /\P{ASCII}/u.test(l)) + 1;
    expect(err2.line).toBe(firstNonAscii);
  });

  test('bad input: an entity without its name, id or type is rejected with file, line and reason; the rest loads', async () => {
    const e26182 = entityText(text, '26182');
    const noNames = e26182.replace(/<names>[\s\S]*<\/names>/, '');
    const noId = entityText(text, '50476').replace('<entity id="50476">', '<entity>');
    const badType = entityText(text, '9639').replace('>Individual</entityType>', '>Spaceship</entityType>');
    const t = text.replace(e26182, noNames).replace(entityText(text, '50476'), noId).replace(entityText(text, '9639'), badType);
    const r = await parseOfacEnhancedXml([variant('missing', t)], {});
    expect(r.parties.length).toBe(excerpt.parties.length - 3);
    expect(r.rejected).toEqual([
      { file: 'CONS_ENHANCED-excerpt.XML', line: lineOf(t, '<entity id="9639">'), reason: expect.stringMatching(/^entity 9639: unknown entityType "Spaceship"/) },
      { file: 'CONS_ENHANCED-excerpt.XML', line: lineOf(t, '<entity id="26182">'), reason: expect.stringMatching(/^entity 26182 has no primary name/) },
      { file: 'CONS_ENHANCED-excerpt.XML', line: lineOf(t, '<entity>'), reason: expect.stringMatching(/^entity without a numeric id attribute/) },
    ]);
    // A relationship without its target id is rejected alone; the entity loads.
    const noTarget = text.replace('<relatedEntity entityId="4695">', '<relatedEntity>');
    const r2 = await parseOfacEnhancedXml([variant('no-target', noTarget)], {});
    expect(r2.parties.length).toBe(excerpt.parties.length);
    expect(r2.links.length).toBe(excerpt.links.length - 1);
    expect(r2.rejected).toEqual([{ file: 'CONS_ENHANCED-excerpt.XML', line: lineOf(noTarget, '<relationship id="17928">'), reason: expect.stringMatching(/relationship 17928 has no numeric relatedEntity\/@entityId/) }]);
  });

  test('bad input: a duplicate entity id is rejected with both places named, not merged', async () => {
    const e = entityText(text, '26182');
    const t = text.replace('</entities>', `  ${e}\n  </entities>`);
    const r = await parseOfacEnhancedXml([variant('dup', t)], {});
    expect(r.parties.length).toBe(excerpt.parties.length);
    expect(r.rejected).toEqual([
      {
        file: 'CONS_ENHANCED-excerpt.XML',
        line: t.slice(0, t.lastIndexOf('<entity id="26182">')).split('\n').length,
        reason: `duplicate uid 26182 (first seen at CONS_ENHANCED-excerpt.XML:${lineOf(t, '<entity id="26182">')} (uid 26182)); this entry is ignored, not merged`,
      },
    ]);
    expect(r.identifiers.filter((i) => i.partyId === 'ofac-26182').length).toBe(1);
  });

  test('bad input: another XML format, no date, no entities', async () => {
    await expect(parseOfacEnhancedXml([CLASSIC], {})).rejects.toThrow(/^consolidated-excerpt\.xml:2: root element is <sdnList>, not <sanctionsData>/);
    const noDate = text.replace(/<dataAsOf>[^<]*<\/dataAsOf>/, '');
    await expect(parseOfacEnhancedXml([variant('nodate', noDate)], {})).rejects.toThrow(/CONS_ENHANCED-excerpt\.XML: carries no publication date/);
    expect((await parseOfacEnhancedXml([variant('nodate', noDate)], { release: '2025-01-10', releaseFrom: 'path' })).release).toBe('2025-01-10');
    const empty = text.replace(/<entities>[\s\S]*<\/entities>/, '<entities />');
    await expect(parseOfacEnhancedXml([variant('empty', empty)], {})).rejects.toThrow(/holds no entries/);
    await expect(parseOfacEnhancedXml([FIXTURE, FIXTURE], {})).rejects.toThrow(SourceFormatError);
  });

  test('date windows collapse to the precision OFAC means', () => {
    expect(dateWindow('1962-01-01', '1962-12-31')).toBe('1962');
    expect(dateWindow('1962-02-01', '1962-02-28')).toBe('1962-02');
    expect(dateWindow('1961-02-12', '1961-02-12')).toBe('1961-02-12');
    expect(dateWindow('1960-01-01', '1962-12-31')).toBe('1960-01-01/1962-12-31');
    expect(dateWindow(null, null)).toBeNull();
  });
});

describe('OFAC ENHANCED_XML, the whole CONS_ENHANCED.XML: counts against counts taken from the raw text', () => {
  const raw = fs.readFileSync(FULL, 'utf8');
  /** Raw text of every entity, split at its start tag. */
  const blocks = [...raw.matchAll(/<entity id="(\d+)">([\s\S]*?)<\/entity>/g)].map((m) => ({ uid: m[1], body: m[2] }));
  let r: ParsedRelease;
  beforeAll(async () => {
    r = await parseOfacEnhancedXml([FULL], {});
  });

  test('entities: one party per `<entity id="...">` start tag (443), nothing rejected', () => {
    expect(blocks.length).toBe((raw.match(/<entity id="/g) ?? []).length);
    expect(blocks.length).toBe(443);
    expect(r.parties.map((p) => p.id)).toEqual(blocks.map((b) => `ofac-${b.uid}`));
    expect(r.rejected).toEqual([]);
    expect([r.dataset, r.release]).toEqual(['ofac-cons', '2025-01-10']);
  });

  test('relationships: one link per `<relationship ` element (283), same ends and ids', () => {
    const rels = blocks.flatMap((b) =>
      [...b.body.matchAll(/<relationship id="(\d+)">[\s\S]*?<relatedEntity entityId="(\d+)"/g)].map((m) => `ofac-${b.uid}>ofac-${m[2]}#${m[1]}`),
    );
    expect((raw.match(/<relationship /g) ?? []).length).toBe(283);
    expect(rels.length).toBe(283);
    expect(r.links.map((l) => `${l.from}>${l.to.id}#${l.sourceId}`)).toEqual(rels);
    // relatedEntity ids outside the file (real: 4695 HAMAS, an SDN entry) are kept.
    expect(r.links.filter((l) => !r.parties.some((p) => p.id === l.to.id)).map((l) => l.to.id)).toEqual(['ofac-4695']);
  });

  test('aliases: every translation but the primary name, distinct per (type, exact text), minus a.k.a.s equal to the name', () => {
    // Counted from the raw text: in each <name id=...> block, the name-level isPrimary and isLowQuality
    // are the first of their tags, aliasType its text (none on the primary name); each <translation>
    // holds one formattedFullName.
    let expected = 0;
    let weak = 0;
    for (const b of blocks) {
      const names = [...b.body.matchAll(/<name id="\d+">([\s\S]*?)<\/name>/g)].map((m) => m[1]);
      const trs = (n: string) => [...n.matchAll(/<translation id="\d+">([\s\S]*?)<\/translation>/g)].map((m) => ({ primary: /<isPrimary>true/.test(m[1]), full: /<formattedFullName>([^<]*)</.exec(m[1])![1] }));
      const primary = names.find((n) => /^\s*<isPrimary>true/.test(n))!;
      const mainName = trs(primary).find((t) => t.primary)!.full;
      const seen = new Set<string>();
      for (const n of names) {
        const isPrimary = n === primary;
        const type = isPrimary ? 'a.k.a.' : /<aliasType[^>]*>([^<]*)</.exec(n)![1].toLowerCase();
        for (const t of trs(n)) {
          if (isPrimary && t.primary) continue;
          if (type === 'a.k.a.' && nameKey(t.full) === nameKey(mainName)) continue;
          if (seen.has(`${type}|${t.full}`)) continue;
          seen.add(`${type}|${t.full}`);
          expected++;
          if (/<isLowQuality>true/.test(n)) weak++;
        }
      }
    }
    expect(expected).toBe(1180);
    expect(r.parties.reduce((n, p) => n + p.aliases.length, 0)).toBe(expected);
    expect(r.parties.reduce((n, p) => n + p.aliases.filter((a) => a.quality === 'weak').length, 0)).toBe(weak);
  });

  test('addresses: one per address translation with parts, one for a country-only address', () => {
    let expected = 0;
    for (const m of raw.matchAll(/<address id="\d+">([\s\S]*?)<\/address>/g)) {
      const withParts = (m[1].match(/<addressParts>/g) ?? []).length;
      expected += withParts || (/<country /.test(m[1]) ? 1 : 0);
    }
    expect(expected).toBe(531);
    expect(r.addresses.length).toBe(expected);
  });

  test('identifiers: distinct identity documents and identifier features per entity', () => {
    // Features that are identifiers in this file (the rest are fields or remark statements).
    const idFeatures = new Set(['Website', 'Email Address', 'SWIFT/BIC', 'ISIN', 'Equity Ticker', 'BIK (RU)']);
    let expected = 0;
    for (const b of blocks) {
      const seen = new Set<string>();
      for (const d of b.body.matchAll(/<identityDocument id="\d+">([\s\S]*?)<\/identityDocument>/g)) {
        const type = /<type refId="\d+">([^<]*)</.exec(d[1])![1];
        const num = /<documentNumber>([^<]*)</.exec(d[1])![1];
        const country = /<issuingCountry refId="\d+">([^<]*)</.exec(d[1])?.[1] ?? '';
        seen.add(`${type}|${num}|${country}`);
      }
      for (const f of b.body.matchAll(/<type featureTypeId="\d+">([^<]*)<\/type>\s*<versionId>\d+<\/versionId>\s*<value>([^<]*)</g)) {
        if (idFeatures.has(f[1])) seen.add(`${f[1]}|${f[2]}`);
      }
      expected += seen.size;
    }
    expect(expected).toBe(1264);
    expect(r.identifiers.length).toBe(expected);
    expect(r.identifiers.filter((i) => i.label === 'Email Address').length).toBe(125);
  });

  test('programs, birth dates and listing dates match their elements', () => {
    const programs = blocks.reduce((n, b) => n + new Set([...b.body.matchAll(/<sanctionsProgram [^>]*>([^<]*)</g)].map((m) => m[1])).size, 0);
    expect(programs).toBe((raw.match(/<sanctionsProgram /g) ?? []).length);
    expect(r.parties.reduce((n, p) => n + p.programs.length, 0)).toBe(programs);
    expect(r.parties.reduce((n, p) => n + p.birthDates.length, 0)).toBe((raw.match(/<type featureTypeId="\d+">Birthdate<\/type>/g) ?? []).length);
    for (const [i, b] of blocks.entries()) {
      const dates = [...b.body.matchAll(/datePublished="([\d-]+)"/g)].map((m) => m[1]).sort();
      expect([b.uid, r.parties[i].listedOn]).toEqual([b.uid, dates[0] ?? null]);
    }
  });

  test('formats agree: names, aliases and address keys equal those of the Consolidated CSV (2025-12-19) for the same ids', async () => {
    const dir = path.join(SHARED, 'ofac-cons-csv-2025-12-19');
    const csv = await parseOfacCsv(['cons_prim.csv', 'cons_add.csv', 'cons_alt.csv', 'cons_comments.csv'].map((f) => path.join(dir, f)), { release: '2025-12-19' });
    // Address ids: add_num in the CSV record, address id in ours.
    const csvAddr = new Map(csv.addresses.map((a) => [/add_num (\d+)/.exec(a.provenance.record)![1], a.address.key]));
    const shared = r.addresses.filter((a) => !/Cyrillic|Chinese/.test(a.provenance.record)).map((a) => [/address (\d+)/.exec(a.provenance.record)![1], a.address.key] as const).filter(([id]) => csvAddr.has(id));
    expect(shared.length).toBeGreaterThan(500);
    expect(shared.filter(([id, key]) => csvAddr.get(id) !== key)).toEqual([]);
    const csvParties = new Map(csv.parties.map((p) => [p.id, p]));
    const both = r.parties.filter((p) => csvParties.has(p.id));
    expect(both.length).toBe(442);
    // One party was renamed between the two releases (RN-KOMSOMOLSKY -> RN KOMSOMOLSKIY REFINERY LLC).
    expect(both.filter((p) => csvParties.get(p.id)!.name !== p.name).map((p) => p.id)).toEqual(['ofac-18284']);
    // Latin-script aliases are the CSV's aliases, except one whose name holds the quote characters that
    // the legacy Remarks quoting strips (22391 OPEN JOINT-STOCK COMPANY "OIL TRUNK PIPELINES 'DRUZHBA'").
    const missing = both.flatMap((p) =>
      p.aliases.filter((a) => !/\P{ASCII}/u.test(a.name) && !csvParties.get(p.id)!.aliases.some((c) => c.name === a.name)).map(() => p.id),
    );
    expect(missing).toEqual(['ofac-22391']);
  });
});
