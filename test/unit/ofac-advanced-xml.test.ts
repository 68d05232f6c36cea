/**
 * OFAC ADVANCED XML parser, on a real excerpt (test/fixtures/ofac-advanced-xml, see its README) and on the
 * whole shared consolidated file of 2020-03-17. Expected counts are computed here from the raw text with
 * regular expressions (never with the parser), and the way each is computed is written beside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectOfacAdvancedXml, ofacAdvancedXmlFormat, parseOfacAdvancedXml } from '../../ingest/sources/ofac-advanced-xml';
import { SourceFormatError } from '../../server/core/errors';
import { addressRecord } from '../../server/core/text/normalize';
import type { ParsedRelease } from '../../server/core/model';
import { SHARED } from '../helpers';

const EXCERPT = path.join(__dirname, '..', 'fixtures', 'ofac-advanced-xml', 'cons_advanced-excerpt.xml');
const FULL = path.join(SHARED, 'ofac-cons-advanced-xml-2020-03-17', 'cons_advanced.xml');
const excerptText = fs.readFileSync(EXCERPT, 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-advanced-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** 1-based line of the first occurrence of `needle` (after `from`, when given). */
function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`not in the text: ${needle}`);
  return text.slice(0, i).split('\n').length;
}
function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}
/** Writes a (changed) copy of the excerpt as <tmp>/<dir>/cons_advanced.xml. */
function variant(dir: string, content: string | Buffer): string {
  const f = path.join(tmp, dir, 'cons_advanced.xml');
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, content);
  return f;
}
async function formatError(p: Promise<unknown>): Promise<SourceFormatError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SourceFormatError) return e;
    throw e;
  }
  throw new Error('expected a SourceFormatError');
}
/** The raw <X ...>...</X> blocks of a record element, with the text of their opening tag. */
function blocks(text: string, tag: string): string[] {
  return text.match(new RegExp(`<${tag} [^>]*?(?:/>|>[\\s\\S]*?</${tag}>)`, 'g')) ?? [];
}

describe('detection from content', () => {
  test('ADVANCED XML is recognised; CSV, classic and ENHANCED XML and missing files are not', async () => {
    expect(await detectOfacAdvancedXml(EXCERPT)).toBe(true);
    expect(await detectOfacAdvancedXml(FULL)).toBe(true);
    expect(await ofacAdvancedXmlFormat.detect(FULL)).toBe(true);
    expect(await detectOfacAdvancedXml(path.join(SHARED, 'ofac-cons-csv-2025-12-19', 'cons_prim.csv'))).toBe(false);
    for (const dir of ['ofac-cons-classic-xml-2018-04-06', 'ofac-cons-enhanced-xml-2025-01-10']) {
      for (const f of fs.readdirSync(path.join(SHARED, dir)).filter((x) => /\.xml$/i.test(x))) {
        expect(await detectOfacAdvancedXml(path.join(SHARED, dir, f))).toBe(false);
      }
    }
    expect(await detectOfacAdvancedXml(path.join(tmp, 'no-such-file.xml'))).toBe(false);
  });
});

describe('OFAC ADVANCED XML: real excerpt of the consolidated list of 2020-03-17', () => {
  let r: ParsedRelease;
  beforeAll(async () => {
    r = await parseOfacAdvancedXml([EXCERPT], {});
  });

  test('dataset from the lists named, release from DateOfIssue', async () => {
    expect(r.dataset).toBe('ofac-cons');
    expect(r.release).toBe('2020-03-17');
    expect(r.idPrefix).toBe('ofac');
    expect(r.files).toEqual(['cons_advanced-excerpt.xml']);
    // A date in the path gives way to the date inside the file; --release and --dataset win.
    expect((await parseOfacAdvancedXml([EXCERPT], { release: '2020-01-01', releaseFrom: 'path' })).release).toBe('2020-03-17');
    const flagged = await parseOfacAdvancedXml([EXCERPT], { release: '2020-03-18', releaseFrom: 'flag', dataset: 'my-ofac' });
    expect(flagged.release).toBe('2020-03-18');
    expect(flagged.dataset).toBe('my-ofac');
    expect(flagged.parties[0].provenance).toMatchObject({ dataset: 'my-ofac', release: '2020-03-18' });
  });

  test('counts agree with the raw text', () => {
    // Parties: one per "<DistinctParty "; links: one per "<ProfileRelationship "; document identifiers: one
    // per "<IDRegDocument "; feature identifiers: Features whose FeatureTypeID is one of the identifier feature
    // types (ids read from <FeatureType> of the reference table by their wording).
    expect(r.parties.length).toBe(count(excerptText, /<DistinctParty /g));
    expect(r.parties.length).toBe(12);
    expect(r.links.length).toBe(count(excerptText, /<ProfileRelationship /g));
    expect(r.links.length).toBe(4);
    const idFeatureTypes = [...excerptText.matchAll(/<FeatureType ID="(\d+)"[^>]*>(?:Website|Email Address|SWIFT\/BIC|BIK \(RU\))</g)].map((m) => m[1]);
    const featureIds = idFeatureTypes.reduce((n, t) => n + count(excerptText, new RegExp(`<Feature ID="\\d+" FeatureTypeID="${t}">`, 'g')), 0);
    expect(r.identifiers.length).toBe(count(excerptText, /<IDRegDocument /g) + featureIds);
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  test('an individual: name "LAST, First", aliases, birth date and place, programs, date of listing', () => {
    const p = r.parties.find((x) => x.id === 'ofac-9639')!;
    expect(p).toEqual({
      id: 'ofac-9639',
      kind: 'Person',
      name: 'HANIYA, Ismail Abdul Salah',
      aliases: [
        { name: 'HANIYA, Ismail', type: 'a.k.a.', quality: 'strong' },
        { name: 'HANIYYA, Ismaeel', type: 'a.k.a.', quality: 'strong' },
      ],
      programs: ['NS-PLC'],
      // The DatePeriod spans 1962-01-01..1962-12-31: OFAC's way of saying "1962".
      birthDates: ['1962'],
      birthPlaces: ['Shati'],
      nationalities: [],
      citizenships: [],
      gender: null,
      titles: [],
      remarks:
        'Consolidated List: Reject (Created 2014-10-10, legal basis General License 4 Under EO 13224 (Terrorism)); ' +
        'Non-SDN Palestinian Legislative Council List: Reject (Created 2006-04-12, legal basis General License 4 Under EO 13224 (Terrorism)).',
      // The earliest EntryEvent of its two SanctionsEntries.
      listedOn: '2006-04-12',
      vessel: null,
      provenance: { dataset: 'ofac-cons', release: '2020-03-17', record: `cons_advanced-excerpt.xml:${lineOf(excerptText, '<DistinctParty FixedRef="9639">')} (FixedRef 9639)` },
    });
    // DistinctParty/Comment opens the remarks.
    expect(r.parties.find((x) => x.id === 'ofac-9668')!.remarks).toMatch(/^HAMAS - Hebron; /);
  });

  test('gender, citizenship (a country-only Location), exact birth date and a passport', () => {
    const p = r.parties.find((x) => x.id === 'ofac-26182')!;
    expect(p).toMatchObject({ kind: 'Person', name: 'KAYAKIRAN, Evren', gender: 'Male', citizenships: ['Turkey'], birthDates: ['1980-02-08'], programs: ['FSE-IR'] });
    const ids = r.identifiers.filter((i) => i.partyId === 'ofac-26182');
    expect(ids).toEqual([
      {
        partyId: 'ofac-26182',
        identifier: { key: 'passport:TURKEY:U00242309', type: 'passport', value: 'U00242309', country: 'Turkey' },
        label: 'Passport',
        issued: null,
        expires: null,
        provenance: { dataset: 'ofac-cons', release: '2020-03-17', record: `cons_advanced-excerpt.xml:${lineOf(excerptText, '<IDRegDocument ID="16873"')} (FixedRef 26182, IDRegDocument 16873)` },
      },
    ]);
  });

  test('an entity: weak and strong aliases, SWIFT/BIC, BIK, website, email; unmapped features stay in the remarks', () => {
    const p = r.parties.find((x) => x.id === 'ofac-17015')!;
    expect(p.kind).toBe('Organization');
    expect(p.name).toBe('Vnesheconombank');
    expect(p.aliases).toContainEqual({ name: 'VEB', type: 'a.k.a.', quality: 'weak' });
    expect(p.aliases.filter((a) => a.quality === 'strong').length).toBe(2);
    expect(p.programs).toEqual(['UKRAINE-EO13662']);
    // The legacy CSV's Remarks carry this statement in the same words.
    expect(p.remarks).toContain('Executive Order 13662 Directive Determination - Subject to Directive 1');
    expect(p.remarks).toContain('Sectoral Sanctions Identifications List: 13662 Sectoral Directive 1');
    const byType = Object.fromEntries(r.identifiers.filter((i) => i.partyId === 'ofac-17015').map((i) => [i.identifier.type, i.label]));
    expect(byType).toEqual({ swiftBic: 'SWIFT/BIC', other: 'BIK (RU)', website: 'Website', email: 'Email Address' });
    expect(r.parties.find((x) => x.id === 'ofac-17013')!.aliases.map((a) => a.type)).toContain('f.k.a.');
  });

  test('documents: type wording as label, issuing country; IssuingAuthority kept in the remarks', () => {
    const docs = r.identifiers.filter((i) => i.partyId === 'ofac-23552' && i.provenance.record.includes('IDRegDocument'));
    expect(docs.map((d) => [d.label, d.identifier.type, d.identifier.value, d.identifier.country])).toEqual([
      ['Registration ID', 'registrationNumber', '1057803105755', 'Russia'],
      ['Tax ID No.', 'taxId', '7810327462', 'Russia'],
    ]);
    expect(r.parties.find((x) => x.id === 'ofac-23552')!.remarks).toContain('Tax ID No. 7810327462: issued by INN');
    // "Nationality of Registration" has no model field (see the parser): a remark, as in the legacy CSV.
    expect(r.parties.find((x) => x.id === 'ofac-23552')!.remarks).toContain('Nationality of Registration Russia');
    // 17013's Registration ID names an IssuedIn-LocationID; the country comes from IssuedBy-CountryID.
    expect(r.identifiers.filter((i) => i.partyId === 'ofac-17013' && i.label === 'Registration ID').map((i) => i.identifier.country)).toEqual(['Russia']);
  });

  test('addresses are built like the legacy add.csv columns', () => {
    // OFAC's add_num in cons_add.csv is the Location ID: the four addresses of 15268 (ADDRESS1..3, CITY,
    // STATE/PROVINCE, POSTAL CODE) read the same in the 2025 CSV, so both formats give the same address.
    const csv = fs.readFileSync(path.join(SHARED, 'ofac-cons-csv-2025-12-19', 'cons_add.csv'), 'utf8');
    const rows = [...csv.matchAll(/^15268,(\d+),"([^"]*)","([^"]*)","([^"]*)"/gm)];
    expect(rows.length).toBe(4);
    for (const [, locationId, street, city, country] of rows) {
      const fact = r.addresses.find((a) => a.provenance.record.endsWith(`Location ${locationId})`));
      expect(fact?.address).toEqual(addressRecord(street, city, country));
    }
    expect(r.addresses.find((a) => a.provenance.record.endsWith('Location 22763)'))!.address).toMatchObject({
      street: 'No. 7 Century Ave, (Registered Office)',
      city: 'Xinjiang, Karamay 834000',
      country: 'China',
    });
    // Every Location feature whose Location holds a part or a country is an address (the others are
    // "undetermined"): counted from the raw blocks.
    const informative = new Set(
      blocks(excerptText, 'Location')
        .filter((b) => /<LocationPart |<LocationCountry /.test(b))
        .map((b) => /ID="(\d+)"/.exec(b)![1]),
    );
    const locationFeatures = blocks(excerptText, 'Feature').filter((b) => /FeatureTypeID="25"/.test(b));
    expect(r.addresses.length).toBe(locationFeatures.filter((b) => informative.has(/LocationID="(\d+)"/.exec(b)![1])).length);
    expect(r.addresses.filter((a) => a.partyId === 'ofac-15268').length).toBe(4);
  });

  test('relationships: typed, worded as OFAC words them, kept when the target is not in the file', () => {
    expect(r.links.map((l) => [l.type, l.from, l.to, l.label, l.sourceId])).toEqual([
      ['OWNERSHIP', 'ofac-18268', { id: 'ofac-17015' }, 'Owned or Controlled By', '2198'],
      ['OWNERSHIP', 'ofac-18269', { id: 'ofac-17022' }, 'Owned or Controlled By', '2215'],
      ['OWNERSHIP', 'ofac-18272', { id: 'ofac-17015' }, 'Owned or Controlled By', '2193'],
      ['OWNERSHIP', 'ofac-23552', { id: 'ofac-17145' }, 'Owned or Controlled By', '6036'],
    ]);
    // 17022 and 17145 are not in the excerpt: the loader makes placeholders for them.
    expect(r.parties.some((p) => p.id === 'ofac-17022' || p.id === 'ofac-17145')).toBe(false);
    expect(r.links[0].provenance.record).toBe(`cons_advanced-excerpt.xml:${lineOf(excerptText, '<ProfileRelationship ID="2198"')} (FixedRef 18268, ProfileRelationship 2198)`);
  });

  test('every party and fact has provenance pointing at its element', () => {
    const lines = excerptText.split('\n');
    const facts = [...r.parties, ...r.addresses, ...r.identifiers, ...r.links];
    expect(facts.length).toBeGreaterThan(50);
    for (const f of facts) {
      expect(f.provenance).toMatchObject({ dataset: 'ofac-cons', release: '2020-03-17' });
      const m = /^cons_advanced-excerpt\.xml:(\d+) \(FixedRef (\d+)(?:, (\w+) (\d+))*/.exec(f.provenance.record);
      expect(m).not.toBeNull();
      const line = lines[Number(m![1]) - 1];
      // The line is the start tag of the element the fact comes from.
      expect(line).toMatch(/^\s*<(DistinctParty|Feature|IDRegDocument|ProfileRelationship) /);
    }
  });
});

describe('OFAC ADVANCED XML: the whole shared consolidated file (2020-03-17)', () => {
  const text = fs.readFileSync(FULL, 'utf8');
  let r: ParsedRelease;
  beforeAll(async () => {
    r = await parseOfacAdvancedXml([FULL], {});
  });

  test('375 parties and 276 relationships, as counted in the raw text', () => {
    // "<DistinctParty " and "<ProfileRelationship " start tags, counted with a regular expression.
    expect(count(text, /<DistinctParty /g)).toBe(375);
    expect(count(text, /<ProfileRelationship /g)).toBe(276);
    expect(r.parties.length).toBe(375);
    expect(r.links.length).toBe(276);
    expect(new Set(r.parties.map((p) => p.id)).size).toBe(375);
    expect(r.dataset).toBe('ofac-cons');
    expect(r.release).toBe('2020-03-17');
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  test('kinds, identifiers, addresses, aliases and programs agree with the raw text', () => {
    // Kinds: PartySubTypeID of each <Profile>; sub type 4 is "Unknown" of PartyType 1 "Individual", 3 of 2
    // "Entity" (read off the reference table in the file's first lines).
    expect(text).toContain('<PartySubType ID="4" PartyTypeID="1">Unknown</PartySubType>');
    expect(text).toContain('<PartyType ID="1">Individual</PartyType>');
    expect(r.parties.filter((p) => p.kind === 'Person').length).toBe(count(text, /<Profile ID="\d+" PartySubTypeID="4">/g));
    expect(r.parties.filter((p) => p.kind === 'Organization').length).toBe(count(text, /<Profile ID="\d+" PartySubTypeID="3">/g));

    // Identifiers: every <IDRegDocument> plus every Feature of an identifier feature type.
    const idTypes = [...text.matchAll(/<FeatureType ID="(\d+)"[^>]*>(?:Website|Email Address|SWIFT\/BIC|BIK \(RU\))</g)].map((m) => m[1]);
    const idFeatures = idTypes.reduce((n, t) => n + count(text, new RegExp(`FeatureTypeID="${t}">`, 'g')), 0);
    expect(r.identifiers.length).toBe(count(text, /<IDRegDocument /g) + idFeatures);
    expect(r.identifiers.length).toBe(941);

    // Addresses: Location features (FeatureTypeID 25) whose Location has a part or a country.
    const informative = new Set(
      blocks(text, 'Location')
        .filter((b) => /<LocationPart |<LocationCountry /.test(b))
        .map((b) => /ID="(\d+)"/.exec(b)![1]),
    );
    const addressFeatures = blocks(text, 'Feature').filter((b) => /FeatureTypeID="25"/.test(b) && informative.has(/LocationID="(\d+)"/.exec(b)![1]));
    expect(r.addresses.length).toBe(addressFeatures.length);

    // Aliases: every <DocumentedName> but the primary one of each party, less exact repeats within a party
    // (same alias type and the same name-part texts; the primary alias counts as an a.k.a. for this).
    let aliases = 0;
    for (const party of blocks(text, 'DistinctParty')) {
      const seen = new Set<string>();
      for (const alias of blocks(party, 'Alias')) {
        const type = /AliasTypeID="(\d+)"/.exec(alias)![1];
        for (const dn of blocks(alias, 'DocumentedName')) {
          const key = `${type === '1403' ? '1400' : type}|${[...dn.matchAll(/<NamePartValue [^>]*>([^<]*)</g)].map((m) => m[1]).join(' ')}`;
          if (!seen.has(key)) aliases++;
          seen.add(key);
        }
      }
      aliases--; // the primary name
    }
    expect(count(text, /<DocumentedName /g) - 375).toBe(915);
    expect(r.parties.reduce((n, p) => n + p.aliases.length, 0)).toBe(aliases);

    // Programs: the Comment of each SanctionsMeasure of type "Program" (SanctionsTypeID 1), once per party.
    expect(text).toContain('<SanctionsType ID="1">Program</SanctionsType>');
    const programs = new Set<string>();
    for (const entry of blocks(text, 'SanctionsEntry')) {
      const profile = /ProfileID="(\d+)"/.exec(entry)![1];
      for (const m of entry.matchAll(/<SanctionsMeasure ID="\d+" SanctionsTypeID="1">\s*<Comment>([^<]+)<\/Comment>/g)) programs.add(`ofac-${profile}|${m[1]}`);
    }
    expect(r.parties.reduce((n, p) => n + p.programs.length, 0)).toBe(programs.size);
    expect(r.parties.every((p) => p.listedOn && p.programs.length > 0)).toBe(true);
  });

  test('names of individuals agree with the consolidated CSV (same ent_num, same "LAST, First")', () => {
    // cons_prim.csv lines of individuals: ent_num,"NAME","individual",... (2025 file: entities were renamed
    // since 2020, people were not).
    const csv = fs.readFileSync(path.join(SHARED, 'ofac-cons-csv-2025-12-19', 'cons_prim.csv'), 'utf8');
    const csvNames = new Map([...csv.matchAll(/^(\d+),"((?:[^"]|"")*)","individual"/gm)].map((m) => [`ofac-${m[1]}`, m[2].replace(/""/g, '"')]));
    const both = r.parties.filter((p) => p.kind === 'Person' && csvNames.has(p.id));
    expect(both.length).toBeGreaterThan(70);
    for (const p of both) expect(p.name).toBe(csvNames.get(p.id));
  });
});

describe('OFAC ADVANCED XML: bad input', () => {
  test('a truncated file is refused with file and line', async () => {
    // Cut inside a party, and cut cleanly after a whole record (the file just stops).
    const atParty = excerptText.indexOf('<DistinctParty FixedRef="17013">');
    const cuts = [excerptText.slice(0, atParty + 200), excerptText.slice(0, excerptText.indexOf('<DistinctParty FixedRef="17013">'))];
    for (const [i, cut] of cuts.entries()) {
      const e = await formatError(parseOfacAdvancedXml([variant(`truncated-${i}`, cut)], {}));
      expect(e.file).toBe('cons_advanced.xml');
      expect(e.line).toBe(cut.split('\n').length);
      expect(e.message).toMatch(/^cons_advanced\.xml:\d+: (is not well-formed XML|ends before)/);
    }
  });

  test('a file re-encoded as Latin-1 or UTF-16 is refused with the line of the first bad byte', async () => {
    // The real file is ASCII; one real name is given an accent (as a Latin-1 tool would write "Ismaël").
    const accented = excerptText.replace('>Ismail Abdul Salah<', '>Isma\u00ebl Abdul Salah<');
    const latin1 = await formatError(parseOfacAdvancedXml([variant('latin1', Buffer.from(accented, 'latin1'))], {}));
    expect(latin1.file).toBe('cons_advanced.xml');
    expect(latin1.line).toBe(lineOf(accented, '>Isma\u00ebl Abdul Salah<'));
    expect(latin1.reason).toMatch(/not valid UTF-8/);
    const utf16 = await formatError(parseOfacAdvancedXml([variant('utf16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(excerptText, 'utf16le')]))], {}));
    expect(utf16.message).toMatch(/^cons_advanced\.xml:1: is not valid UTF-8/);
  });

  test('a file that was UTF-8, read as Latin-1 and saved as UTF-8 again (mojibake) is refused with the line', async () => {
    // VEB's Russian abbreviation "ВЭБ" as a Latin-1 reader shows its UTF-8 bytes: C1 control characters.
    const mojibake = Buffer.from('\u0412\u042d\u0411', 'utf8').toString('latin1');
    const text = excerptText.replace('>VEB<', `>${mojibake}<`);
    const e = await formatError(parseOfacAdvancedXml([variant('mojibake', text)], {}));
    expect(e.file).toBe('cons_advanced.xml');
    expect(e.line).toBe(lineOf(text, `>${mojibake}<`));
    expect(e.reason).toMatch(/C1 control characters/);
  });

  test('a reference to an undefined reference value is refused with file, line and the id', async () => {
    // An alias type the file's AliasTypeValues do not define.
    const badAlias = excerptText.replace('AliasTypeID="1401"', 'AliasTypeID="9999"');
    const e = await formatError(parseOfacAdvancedXml([variant('bad-alias', badAlias)], {}));
    expect(e.file).toBe('cons_advanced.xml');
    expect(e.line).toBe(lineOf(badAlias, 'AliasTypeID="9999"'));
    expect(e.reason).toMatch(/AliasTypeID="9999" names no AliasType of ReferenceValueSets/);
    // A list id, in the last section of the file.
    const lastEntry = excerptText.lastIndexOf('ListID="91512"');
    const badList = excerptText.slice(0, lastEntry) + 'ListID="1234"' + excerptText.slice(lastEntry + 'ListID="91512"'.length);
    const e2 = await formatError(parseOfacAdvancedXml([variant('bad-list', badList)], {}));
    expect(e2.message).toBe(`cons_advanced.xml:${lineOf(badList, 'ListID="1234"')}: <SanctionsEntry> ListID="1234" names no List of ReferenceValueSets (damaged or edited file?)`);
  });

  test('a party without a primary name is rejected with its line; the rest loads', async () => {
    const text = excerptText.replace('<Alias FixedRef="9668" AliasTypeID="1403" Primary="true"', '<Alias FixedRef="9668" AliasTypeID="1403" Primary="false"');
    expect(text).not.toBe(excerptText);
    const r = await parseOfacAdvancedXml([variant('no-primary', text)], {});
    expect(r.parties.length).toBe(11);
    expect(r.parties.some((p) => p.id === 'ofac-9668')).toBe(false);
    expect(r.rejected[0]).toEqual({ file: 'cons_advanced.xml', line: lineOf(text, '<DistinctParty FixedRef="9668">'), reason: expect.stringMatching(/DistinctParty 9668 has no primary name/) });
    // Its sanctions entries have no party to attach to: rejected too, each with its line.
    const entries = [...text.matchAll(/<SanctionsEntry ID="(\d+)" ProfileID="9668"/g)];
    expect(r.rejected.slice(1)).toEqual(entries.map((m) => ({ file: 'cons_advanced.xml', line: lineOf(text, m[0]), reason: expect.stringMatching(/is for profile 9668, which is no party of this file/) })));
  });

  test('a relationship to an unknown id is kept; one from an unknown id is rejected, not a crash', async () => {
    const text = excerptText.replace('To-ProfileID="17015"', 'To-ProfileID="99999999"').replace('From-ProfileID="18272"', 'From-ProfileID="88888888"');
    const r = await parseOfacAdvancedXml([variant('unknown-ids', text)], {});
    expect(r.links.find((l) => l.sourceId === '2198')).toMatchObject({ from: 'ofac-18268', to: { id: 'ofac-99999999' }, type: 'OWNERSHIP' });
    expect(r.links.length).toBe(3);
    expect(r.rejected).toEqual([{ file: 'cons_advanced.xml', line: lineOf(text, 'From-ProfileID="88888888"'), reason: expect.stringMatching(/ProfileRelationship 2193 .* starts at profile 88888888, which is no party/) }]);
  });

  test('a duplicate FixedRef is rejected with both places named, never merged', async () => {
    const start = excerptText.indexOf('    <DistinctParty FixedRef="9639">');
    const end = excerptText.indexOf('</DistinctParty>', start) + '</DistinctParty>\r\n'.length;
    const text = excerptText.slice(0, end) + excerptText.slice(start, end) + excerptText.slice(end);
    const r = await parseOfacAdvancedXml([variant('duplicate', text)], {});
    expect(r.parties.length).toBe(12);
    expect(r.parties.find((p) => p.id === 'ofac-9639')!.aliases.length).toBe(2);
    const first = lineOf(text, '<DistinctParty FixedRef="9639">');
    const second = lineOf(text, '<DistinctParty FixedRef="9639">', end);
    expect(second).toBeGreaterThan(first);
    expect(r.rejected).toEqual([
      { file: 'cons_advanced.xml', line: second, reason: `duplicate DistinctParty FixedRef 9639 (first seen at cons_advanced.xml:${first} (FixedRef 9639)); this one is ignored` },
    ]);
  });

  test('an empty party list, a file of another format, two files or a missing file are refused', async () => {
    const start = excerptText.indexOf('<DistinctParties>') + '<DistinctParties>'.length;
    const end = excerptText.indexOf('  </DistinctParties>');
    const empty = excerptText.slice(0, start) + '\r\n' + excerptText.slice(end);
    await expect(parseOfacAdvancedXml([variant('empty', empty)], {})).rejects.toThrow(/^cons_advanced\.xml: holds no DistinctParty/);
    const classicDir = path.join(SHARED, 'ofac-cons-classic-xml-2018-04-06');
    const classic = path.join(classicDir, fs.readdirSync(classicDir).find((f) => /\.xml$/i.test(f))!);
    await expect(parseOfacAdvancedXml([classic], {})).rejects.toThrow(/:\d+: is not an OFAC ADVANCED XML file: the root element is <sdnList>/);
    await expect(parseOfacAdvancedXml([EXCERPT, FULL], {})).rejects.toThrow(/load one at a time/);
    await expect(parseOfacAdvancedXml([path.join(tmp, 'missing.xml')], {})).rejects.toThrow(/^missing\.xml: cannot be read/);
  });

  test('entries that name neither the SDN nor the consolidated list need --dataset', async () => {
    const text = excerptText.replace(/ListID="(91512|1550)"/g, 'ListID="91469"');
    const f = variant('no-list', text);
    await expect(parseOfacAdvancedXml([f], {})).rejects.toThrow(
      new RegExp(`^cons_advanced\\.xml:${lineOf(text, '<SanctionsEntry ')}: its SanctionsEntries name neither "SDN List" nor "Consolidated List"`),
    );
    expect((await parseOfacAdvancedXml([f], { dataset: 'ofac-fse' })).dataset).toBe('ofac-fse');
  });
});
