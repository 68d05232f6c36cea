import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectOfacClassicXml, ofacClassicXmlFormat, parseOfacClassicXml, publishDate } from '../../ingest/sources/ofac-classic-xml';
import { classifyLabel, isFeatureLabel } from '../../ingest/sources/ofac-xml-common';
import { nameKey } from '../../server/core/text/normalize';
import { SourceFormatError } from '../../server/core/errors';
import type { ParsedRelease } from '../../server/core/model';
import { SHARED } from '../helpers';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'ofac-classic-xml', 'consolidated-excerpt.xml');
const FULL = path.join(SHARED, 'ofac-cons-classic-xml-2018-04-06', 'consolidated.xml');
const ENHANCED = path.join(__dirname, '..', 'fixtures', 'ofac-enhanced-xml', 'CONS_ENHANCED-excerpt.XML');
const text = fs.readFileSync(FIXTURE, 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-cls-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function variant(dir: string, content: string | Buffer, name = path.basename(FIXTURE)): string {
  const f = path.join(tmp, dir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, content);
  return f;
}
const lineOf = (t: string, s: string) => t.slice(0, t.indexOf(s)).split('\n').length;
/** Raw text of the sdnEntry with this uid. */
const entryText = (t: string, uid: string) => {
  const at = t.indexOf(`<uid>${uid}</uid>`);
  const start = t.lastIndexOf('<sdnEntry>', at);
  return t.slice(start, t.indexOf('</sdnEntry>', at) + '</sdnEntry>'.length);
};

let excerpt: ParsedRelease;
beforeAll(async () => {
  excerpt = await parseOfacClassicXml([FIXTURE], {});
});
const party = (uid: string) => excerpt.parties.find((p) => p.id === `ofac-${uid}`)!;
const ids = (uid: string) => excerpt.identifiers.filter((i) => i.partyId === `ofac-${uid}`).map((i) => [i.label, i.identifier.type, i.identifier.value, i.identifier.country]);

describe('OFAC classic XML, real excerpt of consolidated.xml (2018-04-06)', () => {
  test('recognised from content; the ENHANCED format is not taken for it', async () => {
    expect(await detectOfacClassicXml(FIXTURE)).toBe(true);
    expect(await detectOfacClassicXml(ENHANCED)).toBe(false);
    expect(await detectOfacClassicXml(path.join(__dirname, '..', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv'))).toBe(false);
    expect(await detectOfacClassicXml(path.join(tmp, 'missing.xml'))).toBe(false);
    expect(ofacClassicXmlFormat.name).toBe('ofac-classic-xml');
  });

  test('of all the shared sanctions files (OFAC CSV and XML, UN XML, OpenSanctions JSON), only consolidated.xml is taken', async () => {
    const files = (fs.readdirSync(SHARED, { recursive: true }) as string[]).filter((f) => f.includes(path.sep) && fs.statSync(path.join(SHARED, f)).isFile());
    expect(files.length).toBeGreaterThan(20);
    const taken: string[] = [];
    for (const f of files) if (await detectOfacClassicXml(path.join(SHARED, f))) taken.push(f);
    expect(taken).toEqual(['ofac-cons-classic-xml-2018-04-06/consolidated.xml']);
  });

  test('release from Publish_Date (MM/DD/YYYY); dataset from the file name, as the file never names its list', async () => {
    expect([excerpt.dataset, excerpt.release, excerpt.files]).toEqual(['ofac-cons', '2018-04-06', ['consolidated-excerpt.xml']]);
    expect(publishDate('04/06/2018')).toBe('2018-04-06');
    expect(publishDate('13/06/2018')).toBeNull();
    expect(publishDate('2018-04-06')).toBeNull();
    const sdn = await parseOfacClassicXml([variant('sdn', text, 'SDN.XML')], {});
    expect(sdn.dataset).toBe('ofac-sdn');
    const other = await parseOfacClassicXml([variant('other', text, 'list.xml')], {});
    expect(other.dataset).toBe('ofac-sdn');
    expect(other.warnings).toContainEqual(expect.stringMatching(/does not name its list.*give --dataset/));
    expect((await parseOfacClassicXml([variant('other', text, 'list.xml')], { dataset: 'ofac-cons' })).warnings.some((w) => /--dataset/.test(w))).toBe(false);
    expect((await parseOfacClassicXml([FIXTURE], { release: '2018-01-01', releaseFrom: 'flag' })).release).toBe('2018-01-01');
  });

  test('every sdnEntry is a party; the excerpt is flagged against its Record_Count; provenance everywhere', () => {
    const uids = [...text.matchAll(/<sdnEntry>\s*<uid>(\d+)<\/uid>/g)].map((m) => `ofac-${m[1]}`);
    expect(uids.length).toBe(15);
    expect(excerpt.parties.map((p) => p.id)).toEqual(uids);
    expect(excerpt.rejected).toEqual([]);
    expect(excerpt.warnings).toEqual(['consolidated-excerpt.xml says Record_Count 639 but holds 15 sdnEntry elements (an excerpt, or an inconsistent export)']);
    for (const f of [...excerpt.parties, ...excerpt.addresses, ...excerpt.identifiers, ...excerpt.links]) {
      expect(f.provenance).toMatchObject({ dataset: 'ofac-cons', release: '2018-04-06', record: expect.stringMatching(/^consolidated-excerpt\.xml:\d+ \(uid \d+/) });
    }
    expect(party('15036').provenance.record).toBe(`consolidated-excerpt.xml:${lineOf(text, '<uid>15036</uid>') - 1} (uid 15036)`);
  });

  test('15036 SHONA: vessel details, IMO/MMSI/call sign identifiers, former names and flags, Linked To NITC', () => {
    const p = party('15036');
    expect(p).toMatchObject({
      kind: 'Vessel',
      name: 'SHONA',
      programs: ['IRAN'],
      listedOn: null,
      vessel: { callSign: 'T2EU4', type: 'Crude/Oil Products Tanker', flag: 'Tanzania', tonnage: '99144', grossTonnage: '56068', owner: null },
    });
    expect(p.aliases).toEqual([
      { name: 'ABADAN', type: 'f.k.a.', quality: 'strong' },
      { name: 'ALPHA', type: 'f.k.a.', quality: 'strong' },
    ]);
    expect(ids('15036')).toEqual([
      ['MMSI', 'mmsi', '572469210', null],
      // "IMO 9187629" -> the bare number, the key the legacy CSV parser gives the same vessel.
      ['Vessel Registration Identification', 'imoNumber', '9187629', null],
      ['Vessel Call Sign', 'callSign', 'T2EU4', null],
    ]);
    expect(excerpt.identifiers.find((i) => i.identifier.type === 'imoNumber' && i.partyId === 'ofac-15036')!.identifier.key).toBe('imoNumber:9187629');
    expect(p.remarks).toMatch(/^Former Vessel Flag Malta; Former Vessel Flag Tuvalu; Former Vessel Flag None Identified; /);
    expect(p.remarks).toMatch(/; \(Linked To: NATIONAL IRANIAN TANKER COMPANY\)$/);
    // The link names its target; the target (15117) is in this release under that name.
    const link = excerpt.links.find((l) => l.from === 'ofac-15036')!;
    expect(link).toMatchObject({ type: 'UNKNOWN_LINK', to: { name: 'NATIONAL IRANIAN TANKER COMPANY' }, label: 'Linked To' });
    expect(nameKey(party('15117').name)).toBe(nameKey(link.to.name!));
    expect(party('15902').vessel).toMatchObject({ owner: 'NITC', callSign: '5IM316', type: 'Crude Oil Tanker' });
  });

  test('phone numbers in remarks keep their parenthesised codes (15117, 16135)', () => {
    const phones = ids('15117').filter(([, t]) => t === 'phone');
    expect(phones.length).toBe(12);
    expect(phones[0]).toEqual(['Telephone', 'phone', '(98)(21)(66153220)', null]);
    expect(phones.at(-1)).toEqual(['Fax', 'phone', '(98)(21)(22058763)', null]);
    expect(ids('16135')).toContainEqual(['Telephone Number:', 'phone', '(971) (4) (3248000)', null]);
    expect(ids('15117')).toContainEqual(['Email Address', 'email', 'info@nitc.co.ir', null]);
  });

  test('people: "LAST, First" names, birth data, nationality, citizenship, titles, weak aliases', () => {
    expect(party('9639')).toMatchObject({ kind: 'Person', name: 'HANIYA, Ismail Abdul Salah', birthDates: ['1962'], birthPlaces: ['Shati'] });
    expect(party('9639').aliases.map((a) => a.name)).toEqual(['HANIYA, Ismail', 'HANIYYA, Ismaeel']);
    const t = entryText(text, '15961');
    expect(party('15961').titles).toEqual([/<title>([^<]*)</.exec(t)![1].replace(/&amp;/g, '&')]);
    expect(party('15961').nationalities).toEqual([/<nationality>\s*<uid>\d+<\/uid>\s*<country>([^<]*)</.exec(t)![1]]);
    expect(party('16134').citizenships).toEqual([/<citizenship>\s*<uid>\d+<\/uid>\s*<country>([^<]*)</.exec(entryText(text, '16134'))![1]]);
    const weak = [...entryText(text, '15719').matchAll(/<category>weak<\/category>\s*<lastName>([^<]*)<\/lastName>(?:\s*<firstName>([^<]*)<)?/g)];
    expect(weak.length).toBeGreaterThan(0);
    expect(party('15719').aliases.filter((a) => a.quality === 'weak').map((a) => a.name)).toEqual(weak.map((m) => (m[2] ? `${m[1]}, ${m[2]}` : m[1])));
  });

  test('documents keep country and dates; features without a field become remark statements', () => {
    expect(excerpt.identifiers.find((i) => i.partyId === 'ofac-10664' && i.label === 'Business Registration Document #')).toMatchObject({
      identifier: { type: 'registrationNumber', value: '54514-1', country: 'Bahrain' },
      expires: '09 Jun 2009',
      issued: null,
    });
    expect(excerpt.identifiers.find((i) => i.partyId === 'ofac-11208' && i.label === 'Registration ID')).toMatchObject({ issued: '10 Jul 1991', identifier: { country: 'Iran' } });
    expect(party('4632').remarks).toMatch(/^Additional Sanctions Information - Not on the SDN List.*; For more information, please see: https:\/\/www\.treasury\.gov\//);
    expect(party('17015').remarks).toMatch(/Executive Order 13662 Directive Determination - Subject to Directive/);
    // Label routing: identifiers from the tables, fields, and features known by their form.
    expect(classifyLabel('Digital Currency Address - XBT')).toEqual({ kind: 'identifier', type: 'cryptoWallet' });
    expect(classifyLabel('Vessel Flag')).toEqual({ kind: 'vessel', vessel: 'flag' });
    expect(classifyLabel('VESSEL TYPE')).toEqual({ kind: 'vessel', vessel: 'type' });
    expect(classifyLabel("Aircraft Manufacturer's Serial Number (MSN)")).toEqual({ kind: 'identifier', type: 'aircraftSerial' });
    expect([isFeatureLabel('Former Vessel Flag'), isFeatureLabel('Additional Sanctions Information -'), isFeatureLabel('Listing Date (EO 14024 Directive 2):')]).toEqual([true, true, true]);
    expect([isFeatureLabel('Passport'), isFeatureLabel('Some New Document No.'), isFeatureLabel('Gender')]).toEqual([false, false, true]);
  });

  test('aliases: punctuation variants are all kept (11626), an f.k.a. equal to the name is kept (15056)', () => {
    const pcc = party('11626').aliases.map((a) => a.name);
    expect(pcc).toEqual(expect.arrayContaining(['PCC (UK)', 'PCC UK']));
    expect(party('15056').aliases).toContainEqual({ name: 'HONESTY', type: 'f.k.a.', quality: 'strong' });
    expect(party('15056').name).toBe('HONESTY');
  });

  test('bad input: truncated file -> SourceFormatError naming file and line', async () => {
    const half = text.slice(0, Math.floor(text.length / 2));
    const err = await parseOfacClassicXml([variant('cut', half)], {}).catch((e) => e);
    expect(err).toBeInstanceOf(SourceFormatError);
    expect(err.message).toMatch(/^consolidated-excerpt\.xml:\d+: (ends before <\/\w+> \(truncated file\?\)|is not well-formed XML)/);
    expect(err.line).toBe(half.split('\n').length);
  });

  test('bad input: wrong encoding (UTF-16, as Windows "Unicode" saves it; a Latin-1 byte) -> file and line', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const err = await parseOfacClassicXml([variant('utf16', utf16)], {}).catch((e) => e);
    expect(err).toBeInstanceOf(SourceFormatError);
    expect([err.file, err.line]).toEqual(['consolidated-excerpt.xml', 1]);
    expect(err.reason).toMatch(/not valid UTF-8/);
    // The file is ASCII, so Latin-1 and UTF-8 agree on it; one Latin-1 "é" (0xE9) in a name is caught at its line.
    const name = '<lastName>CAMBIS</lastName>';
    const latin1 = Buffer.from(text.replace(name, '<lastName>CAMBIS\u00e9</lastName>'), 'latin1');
    const err2 = await parseOfacClassicXml([variant('latin1', latin1)], {}).catch((e) => e);
    expect([err2.file, err2.line]).toEqual(['consolidated-excerpt.xml', lineOf(text, name)]);
    expect(err2.reason).toMatch(/not valid UTF-8/);
  });

  test('bad input: an entry without uid, lastName or known sdnType is rejected with file, line and reason', async () => {
    const e9639 = entryText(text, '9639');
    const e4632 = entryText(text, '4632');
    const e15719 = entryText(text, '15719');
    const t = text
      .replace(e9639, e9639.replace('<lastName>HANIYA</lastName>', ''))
      .replace(e4632, e4632.replace('<uid>4632</uid>', ''))
      .replace(e15719, e15719.replace('<sdnType>Individual</sdnType>', '<sdnType>Robot</sdnType>'));
    const r = await parseOfacClassicXml([variant('missing', t)], {});
    expect(r.parties.length).toBe(excerpt.parties.length - 3);
    const entryLine = (marker: string) => t.slice(0, t.lastIndexOf('<sdnEntry>', t.indexOf(marker))).split('\n').length;
    expect(r.rejected).toEqual([
      { file: 'consolidated-excerpt.xml', line: entryLine('<lastName>BANK MARKAZI JOMHOURI ISLAMI IRAN</lastName>'), reason: expect.stringMatching(/^sdnEntry without a numeric uid/) },
      { file: 'consolidated-excerpt.xml', line: entryLine('<uid>9639</uid>'), reason: expect.stringMatching(/^sdnEntry 9639 has no lastName/) },
      { file: 'consolidated-excerpt.xml', line: entryLine('<uid>15719</uid>'), reason: expect.stringMatching(/^sdnEntry 15719: unknown sdnType "Robot"/) },
    ]);
  });

  test('bad input: a duplicate uid is rejected with both places named, not merged', async () => {
    const e = entryText(text, '15117');
    const t = text.replace('</sdnList>', `  ${e}\r\n</sdnList>`);
    const r = await parseOfacClassicXml([variant('dup', t)], {});
    expect(r.parties.length).toBe(excerpt.parties.length);
    expect(r.rejected).toEqual([
      {
        file: 'consolidated-excerpt.xml',
        line: t.slice(0, t.lastIndexOf('<sdnEntry>')).split('\n').length,
        reason: `duplicate uid 15117 (first seen at ${party('15117').provenance.record}); this entry is ignored, not merged`,
      },
    ]);
    expect(r.identifiers.filter((i) => i.partyId === 'ofac-15117').length).toBe(ids('15117').length);
  });

  test('bad input: a link to a name in no entry is kept; another format, a bad date and an empty list are refused', async () => {
    // 18769's "(Linked To: ROSTEC)": ROSTEC is not in the excerpt; the loader makes a placeholder.
    expect(excerpt.links.filter((l) => l.from === 'ofac-18769').map((l) => l.to)).toEqual([{ name: /Linked To: ([^)]*)\)/.exec(entryText(text, '18769'))![1] }]);
    await expect(parseOfacClassicXml([ENHANCED], {})).rejects.toThrow(/^CONS_ENHANCED-excerpt\.XML:2: root element is <sanctionsData>, not <sdnList>/);
    const badDate = text.replace('04/06/2018', '2018-04-06');
    await expect(parseOfacClassicXml([variant('baddate', badDate)], {})).rejects.toThrow(new RegExp(`^consolidated-excerpt\\.xml:${lineOf(text, '<Publish_Date>')}: publshInformation/Publish_Date "2018-04-06" is not a date`));
    const noDate = text.replace(/<Publish_Date>[^<]*<\/Publish_Date>/, '');
    await expect(parseOfacClassicXml([variant('nodate', noDate)], {})).rejects.toThrow(/carries no publication date/);
    const empty = text.replace(/<sdnEntry>[\s\S]*<\/sdnEntry>/, '');
    await expect(parseOfacClassicXml([variant('empty', empty)], {})).rejects.toThrow(/holds no entries/);
  });
});

describe('OFAC classic XML, the whole consolidated.xml: counts against counts taken from the raw text', () => {
  const raw = fs.readFileSync(FULL, 'utf8');
  const entries = [...raw.matchAll(/<sdnEntry>([\s\S]*?)<\/sdnEntry>/g)].map((m) => m[1]);
  const tag = (s: string, t: string) => new RegExp(`<${t}>([^<]*)</${t}>`).exec(s)?.[1] ?? null;
  const full = (s: string) => (tag(s, 'firstName') ? `${tag(s, 'lastName')}, ${tag(s, 'firstName')}` : tag(s, 'lastName')!);
  let r: ParsedRelease;
  beforeAll(async () => {
    r = await parseOfacClassicXml([FULL], {});
  });

  test('entries: one party per `<sdnEntry>` (639 = Record_Count), nothing rejected, no warning', () => {
    expect(entries.length).toBe((raw.match(/<sdnEntry>/g) ?? []).length);
    expect(entries.length).toBe(Number(tag(raw, 'Record_Count')));
    expect(entries.length).toBe(639);
    // Each entry's uid is its first <uid> (ids, akas and addresses have their own uids after it).
    expect(r.parties.map((p) => p.id)).toEqual(entries.map((e) => `ofac-${tag(e, 'uid')}`));
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect([r.dataset, r.release]).toEqual(['ofac-cons', '2018-04-06']);
  });

  test('aliases: `<aka>` elements, distinct per (type, name), minus a.k.a.s that repeat the name', () => {
    let expected = 0;
    let weak = 0;
    for (const e of entries) {
      const name = full(e.replace(/<akaList>[\s\S]*<\/akaList>/, ''));
      const seen = new Set<string>();
      for (const a of e.matchAll(/<aka>([\s\S]*?)<\/aka>/g)) {
        const type = tag(a[1], 'type')!;
        const n = full(a[1]);
        if (type === 'a.k.a.' && nameKey(n) === nameKey(name)) continue;
        if (seen.has(`${type}|${n}`)) continue; // real: 18769 lists the weak a.k.a. VYSOKOTOCHNYE KOMPLEKSY twice
        seen.add(`${type}|${n}`);
        if (tag(a[1], 'category') === 'weak') weak++;
      }
      expected += seen.size;
    }
    expect((raw.match(/<aka>/g) ?? []).length).toBe(1255);
    expect(expected).toBe(1252);
    expect(r.parties.reduce((n, p) => n + p.aliases.length, 0)).toBe(expected);
    expect(r.parties.reduce((n, p) => n + p.aliases.filter((a) => a.quality === 'weak').length, 0)).toBe(weak);
    expect(weak).toBe((raw.match(/<category>weak</g) ?? []).length - 1);
  });

  test('addresses: distinct `<address>` contents per entry', () => {
    let expected = 0;
    for (const e of entries) {
      const seen = new Set([...e.matchAll(/<address>\s*<uid>\d+<\/uid>([\s\S]*?)<\/address>/g)].map((m) => m[1].replace(/\s+/g, ' ').toUpperCase()));
      expected += seen.size;
    }
    expect(expected).toBe(711);
    expect(r.addresses.length).toBe(expected);
  });

  test('identifiers: documents of idList (not its features), call signs, and phone numbers in remarks', () => {
    // idTypes of this file that are features, not documents (they become remark statements).
    const features = new Set(['Executive Order 13662 Directive Determination -', 'Additional Sanctions Information -', 'For more information, please see:', 'Former Vessel Flag', 'Nationality of Registration']);
    let expected = 0;
    for (const e of entries) {
      const seen = new Set<string>();
      for (const m of e.matchAll(/<id>([\s\S]*?)<\/id>/g)) {
        if (!features.has(tag(m[1], 'idType')!)) seen.add(`${tag(m[1], 'idType')}|${tag(m[1], 'idNumber')}|${tag(m[1], 'idCountry')}`);
      }
      if (tag(e, 'callSign')) seen.add(`callSign|${tag(e, 'callSign')}`);
      for (const m of (tag(e, 'remarks') ?? '').matchAll(/(?:^|;)\s*(Telephone Number:|Telephone|Fax) ([^;]+)/g)) seen.add(`${m[1]}|${m[2].trim()}`);
      expected += seen.size;
    }
    expect(expected).toBe(1262);
    expect(r.identifiers.length).toBe(expected);
    expect(r.identifiers.filter((i) => i.identifier.type === 'imoNumber').length).toBe((raw.match(/<idNumber>IMO \d{7}</g) ?? []).length);
    expect(r.identifiers.filter((i) => i.identifier.type === 'mmsi').length).toBe((raw.match(/<idType>MMSI</g) ?? []).length);
  });

  test('links: one per "Linked To:" in remarks (365); programs, vessels and birth dates match their elements', () => {
    const linked = entries.reduce((n, e) => n + ((tag(e, 'remarks') ?? '').match(/Linked To:/g) ?? []).length, 0);
    expect(linked).toBe(365);
    expect(r.links.length).toBe(linked);
    expect(r.parties.reduce((n, p) => n + p.programs.length, 0)).toBe((raw.match(/<program>/g) ?? []).length);
    expect(r.parties.filter((p) => p.vessel !== null).length).toBe((raw.match(/<vesselInfo>/g) ?? []).length);
    expect(r.parties.reduce((n, p) => n + p.birthDates.length, 0)).toBe((raw.match(/<dateOfBirth>/g) ?? []).length);
    // Links name their target; those to NATIONAL IRANIAN TANKER COMPANY find it in this very file.
    const nitc = r.parties.find((p) => p.name === 'NATIONAL IRANIAN TANKER COMPANY')!;
    expect(r.links.filter((l) => l.to.name === nitc.name).length).toBe((raw.match(/Linked To: NATIONAL IRANIAN TANKER COMPANY\)/g) ?? []).length);
  });
});
