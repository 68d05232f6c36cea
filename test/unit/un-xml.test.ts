import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  birthDatesOf, detectUnXml, expiryIn, parseUnXml, referencesIn, splitAliasNames, splitDocumentNumber, unXmlFormat,
} from '../../ingest/sources/un-xml';
import { nameKey } from '../../server/core/text/normalize';
import { streamXml, type XmlElement } from '../../ingest/xml';
import { SourceFormatError } from '../../server/core/errors';
import { ALIAS_TYPES, IDENTIFIER_TYPES, LINK_TYPES, type ParsedRelease } from '../../server/core/model';
import { SHARED } from '../helpers';
import { UN_LINK_PHRASES, UN_MENTION_LABELS } from '../../ingest/sources/un-xml.meta';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'un-xml', 'consolidated-2025-11-18-excerpt.xml');
const FIXTURE_NAME = path.basename(FIXTURE);
const FULL = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
const fixtureText = fs.readFileSync(FIXTURE, 'utf8');
const fixtureLines = fixtureText.split('\n');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-un-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes a variant of a real file into its own folder (so the error names the same file name). */
function variant(name: string, content: string | Buffer, fileName = FIXTURE_NAME): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, fileName), content);
  return path.join(dir, fileName);
}
/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`not in the text: ${needle}`);
  return text.slice(0, at).split('\n').length;
}
const party = (r: ParsedRelease, id: string) => {
  const p = r.parties.find((x) => x.id === id);
  if (!p) throw new Error(`no party ${id}`);
  return p;
};
/** Line and reference of a provenance record "<file>:<line> (<ref>)". */
function recordOf(record: string): { file: string; line: number; ref: string } {
  const m = /^(.+):(\d+) \(([A-Z]{2}[ie]\.\d{3})\)$/.exec(record);
  if (!m) throw new Error(`record ${record} is not "<file>:<line> (<ref>)"`);
  return { file: m[1], line: Number(m[2]), ref: m[3] };
}
/** A small element tree as streamXml builds it, for the helpers that take one. */
function el(name: string, kids: Record<string, string>): XmlElement {
  return { name, attrs: {}, text: '', line: 1, children: Object.entries(kids).map(([n, t]) => ({ name: n, attrs: {}, text: t, line: 1, children: [] })) };
}

describe('UN consolidated list XML: real excerpt of 2025-11-18', () => {
  let r: ParsedRelease;
  beforeAll(async () => {
    r = await parseUnXml([FIXTURE], {});
  });

  test('detected from content: the CONSOLIDATED_LIST root, not the file name', async () => {
    expect(await detectUnXml(FIXTURE)).toBe(true);
    expect(await detectUnXml(variant('renamed', fixtureText, 'list.dat'))).toBe(true);
    expect(await detectUnXml(path.join(__dirname, '..', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv'))).toBe(false);
    expect(await detectUnXml(path.join(tmp, 'missing.xml'))).toBe(false);
    expect(unXmlFormat.detect).toBe(detectUnXml);
    expect(unXmlFormat.title('un-sc')).toBe('UN Security Council Consolidated List');
  });

  test('release from dateGenerated unless --release; dataset un-sc unless --dataset', async () => {
    expect(r.release).toBe('2025-11-18');
    expect(r.dataset).toBe('un-sc');
    expect(r.idPrefix).toBe('un');
    expect(r.files).toEqual([FIXTURE_NAME]);
    // A date in the path is weaker than the date inside the file; the flag is stronger.
    expect((await parseUnXml([FIXTURE], { release: '2025-01-01', releaseFrom: 'path' })).release).toBe('2025-11-18');
    const flagged = await parseUnXml([FIXTURE], { release: '2025-01-01', releaseFrom: 'flag', dataset: 'un-test' });
    expect(flagged.release).toBe('2025-01-01');
    expect(flagged.dataset).toBe('un-test');
    expect(flagged.parties.every((p) => p.provenance.release === '2025-01-01' && p.provenance.dataset === 'un-test')).toBe(true);
  });

  test('every entry of the excerpt, with its kind and its id from REFERENCE_NUMBER', () => {
    expect(r.rejected).toEqual([]);
    expect(r.parties.filter((p) => p.kind === 'Person').length).toBe(fixtureText.match(/<INDIVIDUAL>/g)!.length);
    expect(r.parties.filter((p) => p.kind === 'Organization').length).toBe(fixtureText.match(/<ENTITY>/g)!.length);
    const refs = [...fixtureText.matchAll(/<REFERENCE_NUMBER>\s*([^<\s]+)\s*<\/REFERENCE_NUMBER>/g)].map((m) => `un-${m[1]}`);
    expect(r.parties.map((p) => p.id)).toEqual(refs);
    // KPe.023's REFERENCE_NUMBER is written "KPe.023 " in the source: the id has no space.
    expect(party(r, 'un-KPe.023').name).toBe('DAEDONG CREDIT BANK (DCB)');
    expect(party(r, 'un-KPi.033').programs).toEqual(['UN-DPRK']);
  });

  test('provenance names the file, the line of the element and the reference number', () => {
    for (const p of r.parties) {
      const rec = recordOf(p.provenance.record);
      expect(rec.file).toBe(FIXTURE_NAME);
      expect(`un-${rec.ref}`).toBe(p.id);
      expect(fixtureLines[rec.line - 1].trim()).toBe(p.kind === 'Person' ? '<INDIVIDUAL>' : '<ENTITY>');
    }
    for (const a of r.addresses) expect(fixtureLines[recordOf(a.provenance.record).line - 1]).toMatch(/<(INDIVIDUAL|ENTITY)_ADDRESS>/);
    for (const i of r.identifiers) expect(fixtureLines[recordOf(i.provenance.record).line - 1].trim()).toBe('<INDIVIDUAL_DOCUMENT>');
    for (const l of r.links) expect(fixtureLines[recordOf(l.provenance.record).line - 1]).toMatch(/<COMMENTS1>|<VALUE>/);
    for (const f of [...r.addresses, ...r.identifiers, ...r.links]) {
      const from = 'partyId' in f ? f.partyId : f.from;
      expect(`un-${recordOf(f.provenance.record).ref}`).toBe(from);
      expect(f.provenance).toMatchObject({ dataset: 'un-sc', release: '2025-11-18' });
    }
  });

  test('an individual: names, programs, dates, places, nationality, titles, remarks (QDi.006)', () => {
    const p = party(r, 'un-QDi.006');
    expect(p).toMatchObject({
      kind: 'Person',
      name: 'AIMAN MUHAMMED RABI AL-ZAWAHIRI',
      programs: ['UN-Al-Qaida'],
      listedOn: '2001-01-25',
      birthDates: ['1951-06-19'],
      birthPlaces: ['Giza, Egypt'],
      nationalities: ['Egypt'],
      titles: ['Doctor', 'Dr.'],
      gender: null,
      citizenships: [],
      vessel: null,
    });
    // COMMENTS1 is kept whole, as written.
    const comments = /<REFERENCE_NUMBER>QDi\.006<\/REFERENCE_NUMBER>[\s\S]*?<COMMENTS1>([\s\S]*?)<\/COMMENTS1>/.exec(fixtureText)![1];
    expect(p.remarks).toBe(comments.trim());
    // The original-script name first, then Good -> strong and Low -> weak, as many as the source has.
    expect(p.aliases[0]).toEqual({ name: 'أيمن محمد ربيع الظواهري', type: 'a.k.a.', quality: 'strong' });
    const block = fixtureText.slice(fixtureText.indexOf('<REFERENCE_NUMBER>QDi.006'), fixtureText.indexOf('</INDIVIDUAL>', fixtureText.indexOf('<REFERENCE_NUMBER>QDi.006')));
    // "Ayman Al Zawahari" and "Ayman Al-Zawahari" are both Good: the same name once they are compared as names.
    const good = [...block.matchAll(/<QUALITY>Good<\/QUALITY>\s*<ALIAS_NAME>([^<]+)</g)].map((m) => nameKey(m[1]));
    expect([good.length, new Set(good).size]).toEqual([13, 12]);
    expect(p.aliases.filter((a) => a.quality === 'strong').length).toBe(new Set(good).size + 1);
    expect(p.aliases.filter((a) => a.quality === 'weak').map((a) => a.name)).toEqual(['Abu Fatma', 'Abu Mohammed']);
    // FIRST_NAME..FOURTH_NAME joined; Cyrillic original script (QDi.290).
    expect(party(r, 'un-QDi.290').aliases[0]).toEqual({ name: 'Умаров Доку Хаматович', type: 'a.k.a.', quality: 'strong' });
    expect(party(r, 'un-QDi.299').name).toBe('IBRAHIM AWWAD IBRAHIM ALI AL-BADRI AL-SAMARRAI');
    expect(party(r, 'un-CDi.001')).toMatchObject({ gender: 'Male', birthDates: ['1971'], aliases: [] });
  });

  test('entities: QUALITY holds the alias type (a.k.a. / f.k.a.), without strength', () => {
    const adf = party(r, 'un-CDe.001');
    expect(adf.kind).toBe('Organization');
    expect(adf.aliases).toEqual([
      { name: 'Allied Democratic Forces', type: 'a.k.a.', quality: null },
      { name: 'Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda', type: 'f.k.a.', quality: null },
      { name: 'ADF/NALU', type: 'f.k.a.', quality: null },
      { name: 'NALU', type: 'f.k.a.', quality: null },
    ]);
    for (const p of r.parties) for (const a of p.aliases) expect(ALIAS_TYPES).toContain(a.type);
  });

  test('several names in one ALIAS_NAME become several aliases; repeats are kept once', () => {
    expect(party(r, 'un-IRi.039').aliases.map((a) => a.name).slice(0, 3)).toEqual(['Qasim Soleimani', 'Qasem Sulaimani', 'Qasim Sulaimani']);
    const nusra = party(r, 'un-QDe.137').aliases.map((a) => a.name);
    expect(nusra).toEqual(expect.arrayContaining(['Hay’at Tahrir al-Sham (HTS)', 'هيئة تحرير الشام', 'Tahrir al-Sham Hay’at', 'جبهة النصرة', 'the Victory Front', 'Al-Nusra Front']));
    expect(nusra.some((n) => n.includes(';') || n.includes('(original script)'))).toBe(false);
    // QDi.129 lists "Djamel Mostafa" twice (with two dates of birth): one alias.
    const djamel = party(r, 'un-QDi.129').aliases.filter((a) => a.name === 'Djamel Mostafa');
    expect(djamel.length).toBe(1);
    expect(fixtureText.match(/<ALIAS_NAME>Djamel Mostafa<\/ALIAS_NAME>/g)!.length).toBe(2);
  });

  test('splitting ALIAS_NAME: real values of the 2025-11-18 list', () => {
    expect(splitAliasNames('Azim Adhajani; Azim Agha-Jani')).toEqual(['Azim Adhajani', 'Azim Agha-Jani']);
    expect(splitAliasNames('Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet; M. Jawad Kareemi Sabet')).toEqual([
      'Mohammed Sabet', 'Mohammad Sabet', 'M. Javad Kareemi Sabet', 'M. Jawad Kareemi Sabet',
    ]);
    expect(splitAliasNames('حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)')).toEqual(['حسن غول', 'Hassan Ghul', 'Hassan Gul', 'Hasan Gul']);
    expect(splitAliasNames('Lom-ali Butayev (Butaev)')).toEqual(['Lom-ali Butayev (Butaev)']);
    expect(splitAliasNames('  ')).toEqual([]);
  });

  test('birth dates: DATE, YEAR, FROM_YEAR..TO_YEAR, and dates stated with aliases', () => {
    // KPi.066: BETWEEN 1967 and 1969.
    expect(party(r, 'un-KPi.066').birthDates).toEqual(['1967', '1968', '1969']);
    // TAi.002: two ranges.
    expect(party(r, 'un-TAi.002').birthDates).toEqual(['1955', '1956', '1957', '1958', '1945', '1946', '1947', '1948', '1949', '1950']);
    // QDi.129: its own DATE, then the dates and places given with its aliases.
    const q = party(r, 'un-QDi.129');
    expect(q.birthDates.slice(0, 2)).toEqual(['1973-09-28', '1979-12-31']);
    expect(q.birthPlaces).toEqual(expect.arrayContaining(['Tiaret, Algeria', 'Mascara, Algeria', 'Morocco']));
    for (const p of r.parties) for (const d of p.birthDates) expect(d).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
    // NOTE values of the full list (CDi.004 "Nov. 1973", CFi.009 "August 1961", QDi.395 YEAR 1958 with
    // "Sep."): month and year when the note names one month, else the year; no year, no date.
    expect(birthDatesOf(el('INDIVIDUAL_DATE_OF_BIRTH', { TYPE_OF_DATE: 'EXACT', NOTE: 'Nov. 1973' })).dates).toEqual(['1973-11']);
    expect(birthDatesOf(el('INDIVIDUAL_DATE_OF_BIRTH', { TYPE_OF_DATE: 'EXACT', NOTE: 'August 1961' })).dates).toEqual(['1961-08']);
    expect(birthDatesOf(el('INDIVIDUAL_DATE_OF_BIRTH', { TYPE_OF_DATE: 'EXACT', NOTE: 'Between Aug. and Sep. 1977' })).dates).toEqual(['1977']);
    expect(birthDatesOf(el('INDIVIDUAL_DATE_OF_BIRTH', { TYPE_OF_DATE: 'EXACT', YEAR: '1958', NOTE: 'Sep.' })).dates).toEqual(['1958-09']);
    expect(birthDatesOf(el('INDIVIDUAL_DATE_OF_BIRTH', { TYPE_OF_DATE: 'APPROXIMATELY', NOTE: '30-35 years old' })).dates).toEqual([]);
    expect(birthDatesOf(el('INDIVIDUAL_DATE_OF_BIRTH', { TYPE_OF_DATE: 'EXACT', NOTE: '24/06/1402 (Hijri Calendar)' })).dates).toEqual([]);
    expect(birthDatesOf(el('INDIVIDUAL_DATE_OF_BIRTH', { TYPE_OF_DATE: 'BETWEEN', FROM_YEAR: '1900', TO_YEAR: '1990' }))).toEqual({
      dates: ['1900', '1990'], problem: expect.stringMatching(/not a range of at most 10 years/),
    });
  });

  test('addresses: parts joined as OFAC writes them; a NOTE that is the whole address is kept', () => {
    const rahat = r.addresses.filter((a) => a.partyId === 'un-TAe.013');
    expect(rahat.length).toBe(10);
    expect(rahat[0].address).toMatchObject({ street: 'Branch Office 1: Room number 33, 5th Floor, Sarafi Market, Kandahar city, Kandahar Province, Afghanistan', city: null, country: null });
    expect(r.addresses.find((a) => a.partyId === 'un-KPe.007')!.address).toMatchObject({
      street: 'Haeudong, Pyongchen District', city: 'Pyongyang', country: "Democratic People's Republic of Korea",
    });
    // STATE_PROVINCE joins CITY (CDi.036: CITY "Beni territory", STATE_PROVINCE "North Kivu").
    expect(r.addresses.find((a) => a.partyId === 'un-CDi.036')!.address).toMatchObject({
      street: 'Kajuju camp of Medina II', city: 'Beni territory, North Kivu', country: 'Democratic Republic of the Congo',
    });
    // <INDIVIDUAL_ADDRESS><COUNTRY>Rwanda</COUNTRY><NOTE>as of early 2016</NOTE>: the note has no place in AddressRecord.
    expect(r.addresses.find((a) => a.partyId === 'un-CDi.001')!.address.full).toBe('Rwanda');
  });

  test('documents: type from TYPE_OF_DOCUMENT(2), number without its prose, issue and expiry dates', () => {
    const car = r.identifiers.filter((i) => i.partyId === 'un-CFi.012');
    expect(car.map((i) => [i.identifier.type, i.identifier.value, i.label, i.issued, i.expires, i.identifier.country])).toEqual([
      ['passport', 'D00000897', 'Passport (CAR diplomatic passport no.)', '2013-04-05', '2018-04-04', null],
      ['passport', 'D00004262', 'Passport (CAR diplomatic passport no.)', '2014-03-11', '2019-03-10', null],
      ['nationalId', '103-00653129-22', 'National Identification Number (national identity card no.)', '2009-04-21', '2019-04-21', 'Chad'],
    ]);
    // KPi.008 gives passport 645120196 in French, Spanish and English: one identifier, the English label.
    expect(r.identifiers.filter((i) => i.partyId === 'un-KPi.008').map((i) => [i.label, i.identifier.value])).toEqual([['Passport', '645120196']]);
    expect(r.identifiers.find((i) => i.partyId === 'un-QDi.129')!.identifier).toMatchObject({ type: 'other', value: '20645897' });
    // QDi.305's document has no NUMBER (the number is in prose in its NOTE): not an identifier, reported.
    expect(r.identifiers.some((i) => i.partyId === 'un-QDi.305')).toBe(false);
    expect(r.warnings.find((w) => /documents have no NUMBER/.test(w))).toMatch(/^2 documents .*: QDi\.129, QDi\.305$/);
    for (const i of r.identifiers) expect(Object.keys(IDENTIFIER_TYPES)).toContain(i.identifier.type);
  });

  test('document numbers and notes: real values of the 2025-11-18 list', () => {
    expect(splitDocumentNumber('French passport number 05AT521433')).toEqual({ value: '05AT521433', described: 'French passport number', remark: null, expires: null });
    expect(splitDocumentNumber('Diplomatic Passport: Z30321794')).toMatchObject({ value: 'Z30321794', described: 'Diplomatic Passport' });
    expect(splitDocumentNumber('381110042 (Expired 25 Jan. 2016)')).toEqual({ value: '381110042', described: null, remark: null, expires: '2016-01-25' });
    expect(splitDocumentNumber('Social Security Number 423-31-3021 (US)')).toEqual({ value: '423-31-3021', described: 'Social Security Number', remark: 'US', expires: null });
    expect(splitDocumentNumber('D 001206')).toMatchObject({ value: 'D 001206', described: null });
    expect(expiryIn('issued by Immigration Division of Trinidad and Tobago, expiration date 18 Nov. 2018')).toBe('2018-11-18');
    expect(expiryIn('Expiration date: 2023-06-04. ')).toBe('2023-06-04');
    expect(expiryIn('issued under name Muhammad Jamal Abd-Al Rahim Al-Kashif')).toBeNull();
  });

  test('links: reference numbers in COMMENTS1 and DESIGNATION, with the wording that relates them', () => {
    const of = (from: string) => r.links.filter((l) => l.from === from).map((l) => [l.type, l.label, l.to.id]);
    // Both DPRK entries are in the file: GBAE was renamed Ministry of Atomic Energy Industry.
    expect(of('un-KPe.007')).toEqual([['UNKNOWN_LINK', 'Renamed as', 'un-KPe.027']]);
    expect(of('un-QDi.325')).toEqual([
      ['UNKNOWN_LINK', 'Spokesman of', 'un-QDe.115'],
      ['ASSOCIATE', 'Associated with', 'un-QDi.317'],
      ['ASSOCIATE', 'Associated with', 'un-QDi.299'],
    ]);
    // DESIGNATION/VALUE "Overall leader of the Allied Democratic Forces (ADF) (CDe.001)." beside the comments.
    expect(of('un-CDi.036')).toEqual([
      ['UNKNOWN_LINK', 'Member of', 'un-CDe.001'],
      ['UNKNOWN_LINK', 'Deputy to', 'un-CDi.015'],
      ['UNKNOWN_LINK', 'Leader of', 'un-CDe.001'],
    ]);
    // QDe.005's comments name QDe.005 itself: no link to itself.
    const ownComments = /<REFERENCE_NUMBER>QDe\.005<\/REFERENCE_NUMBER>[\s\S]*?<COMMENTS1>([\s\S]*?)<\/COMMENTS1>/.exec(fixtureText)![1];
    expect(ownComments).toContain('(QDe.005)');
    expect(r.links.some((l) => l.to.id === l.from)).toBe(false);
    for (const l of r.links) expect(LINK_TYPES).toContain(l.type);
  });

  test('a reference to an entry that is not in the file keeps its link and is reported', () => {
    // QDi.317 (named in QDi.325's and QDe.137's comments) is not in the 2025-11-18 list at all.
    const ids = new Set(r.parties.map((p) => p.id));
    const dangling = r.links.filter((l) => l.to.id === 'un-QDi.317');
    expect(dangling.map((l) => l.from).sort()).toEqual(['un-QDe.137', 'un-QDi.325']);
    expect(ids.has('un-QDi.317')).toBe(false);
    expect(r.warnings.find((w) => w.includes('not entries of'))).toMatch(/QDi\.317 \(QDi\.325, QDe\.137\)/);
  });

  test('wording to link types and labels (phrases of the 2025-11-18 list)', () => {
    expect(referencesIn('Leader of AQAP is Qasim Mohamed Mahdi Al-Rimi (QDi.282).', 'QDe.129', 'COMMENTS1')).toEqual([{ ref: 'QDi.282', label: 'Led by', type: 'UNKNOWN_LINK' }]);
    expect(referencesIn('Member of the Rajah Solaiman Movement (QDe.128), and associated with the Abu Sayyaf Group (QDe.001) and the Jemaah Islamiyah (QDe.092).', 'QDi.241', 'COMMENTS1').map((x) => [x.ref, x.label, x.type])).toEqual([
      ['QDe.128', 'Member of', 'UNKNOWN_LINK'], ['QDe.001', 'Associated with', 'ASSOCIATE'], ['QDe.092', 'Associated with', 'ASSOCIATE'],
    ]);
    // The publisher once wrote a reference without its dot.
    expect(referencesIn("Jama'atu Ahlis Sunna Lidda'Awati Wal-Jihad (Boko Haram) (QDe.138) and Abubakar Mohammed Shekau (QDi322).", 'QDe.142', 'COMMENTS1').map((x) => x.ref)).toEqual(['QDe.138', 'QDi.322']);
    // "Jun. 2015" does not end the sentence; a phrase in an earlier sentence does not reach over one.
    expect(referencesIn('Leader of AQAP (QDe.129) since Jun. 2015, pledged loyalty to Aiman al-Zawahiri (QDi.006).', 'QDi.282', 'COMMENTS1')[1].label).toBe('Pledged allegiance to');
    expect(referencesIn('Brother of X (QDi.301). Senior Al-Qaida (QDe.004) leader.', 'QDi.300', 'DESIGNATION')[1]).toEqual({ ref: 'QDe.004', label: 'Mentioned in designation', type: 'UNKNOWN_LINK' });
  });
});

describe('UN consolidated list XML: the phrase of a link', () => {
  /**
   * The phrase as its definition says (strongestPhrase's comment), the plain way: every match of every
   * phrase searched alone (matchAll), the one that ends last, the longest of those, the first phrase of
   * those. The parser finds it without searching each phrase at each place; this is what it must give.
   */
  function strongestAlone(sentence: string): string | null {
    let best: { end: number; len: number; p: number } | null = null;
    UN_LINK_PHRASES.forEach((phrase, p) => {
      for (const m of sentence.matchAll(new RegExp(phrase.pattern.source, 'gi'))) {
        const len = m[0].length;
        const end = m.index + len;
        if (!best || end > best.end || (end === best.end && len > best.len)) best = { end, len, p };
      }
    });
    return best === null ? null : UN_LINK_PHRASES[(best as { p: number }).p].label;
  }

  test('is the one each phrase searched alone gives, in 3,000 sentences of overlapping phrases', () => {
    // Words of the phrases and their neighbours, so that several phrases match in one sentence, overlap,
    // repeat, start at the same place (closely associated with / associated with) or inside another's
    // match (members of members of); no sentence end and no reference inside, so the sentence the
    // parser matches in is the text before the reference.
    const words = [
      'associated', 'associates', 'with', 'closely', 'also', 'had been', 'member', 'members', 'of', 'include', 'leader', 'is',
      'led', 'headed', 'by', 'head', 'founded', 'co-founded', 'formed', 'established', 'since 2001,', 'joined', 'pledged',
      'allegiance', 'loyalty', 'to', 'the', 'group', 'Al-Qaida', 'deputy', 'in', 'second in command', 'renamed', 'as',
      'changed its name', 'support', 'services', 'training', 'worked', 'for', 'on', 'financier', 'finances', 'brother', 'son',
      "father's name is", 'armed', 'military', 'wing', 'linked', 'links', 'ties', 'affiliated', 'affiliate', 'owned',
      'appointed', 'merged', 'between', 'splinter group', 'funds', 'received money from', 'operative', 'expert', 'AQAP',
      // Whole phrases where another matches at the same place (leader of / leader of AQAP is, founded /
      // founded in 2001 by, renamed / renamed as, associated / associated with).
      'leader of AQAP is', 'leader is', 'founded in 2001 by', 'formed in 2001 by', 'co-founded with others by', 'appointed in 2010 by',
      'renamed as', 'renamed to', 'changed name to', 'with links to', 'merged between', 'political wing of', 'pledged loyalty to',
      'financier for', 'support to', 'closely associated with', 'associated with', 'members include', 'member of',
    ];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let labelled = 0;
    for (let i = 0; i < 3000; i++) {
      const n = 1 + next(24);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) {
        const w = words[next(words.length)];
        parts.push(next(4) === 0 ? w.toUpperCase() : next(5) === 0 ? w[0].toUpperCase() + w.slice(1) : w);
      }
      const sentence = parts.join(' ');
      const [found] = referencesIn(`${sentence} (QDe.777)`, 'QDi.001', 'COMMENTS1');
      const expected = strongestAlone(`${sentence} (`);
      if (expected !== null) labelled++;
      expect([sentence, found.label]).toEqual([sentence, expected ?? UN_MENTION_LABELS.COMMENTS1]);
    }
    // Most sentences hold a phrase, so the comparison is not of "none" with "none".
    expect(labelled).toBeGreaterThan(2000);
  });
});

describe('UN consolidated list XML: each entry read on its own', () => {
  // Two entries: the first with every list-valued child, the second with none of them. The second must
  // get nothing of the first's (the parser sorts each entry's children by name into lists it reuses).
  const twoEntries = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2025-11-18T23:00:09.174Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <FIRST_NAME>ONE</FIRST_NAME>
      <REFERENCE_NUMBER>QDi.901</REFERENCE_NUMBER>
      <TITLE><VALUE>Dr.</VALUE></TITLE>
      <DESIGNATION><VALUE>Minister</VALUE><VALUE>Dr.</VALUE></DESIGNATION>
      <NATIONALITY><VALUE>Yemen</VALUE><VALUE>Yemen</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Uno</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Sana'a</CITY><COUNTRY>Yemen</COUNTRY></INDIVIDUAL_ADDRESS>
      <COMMENTS1>Associated with
        TWO (QDi.902).</COMMENTS1>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <FIRST_NAME>TWO</FIRST_NAME>
      <REFERENCE_NUMBER note="x">QDi.902</REFERENCE_NUMBER>
      <INDIVIDUAL_ALIAS/>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
`;

  test("an entry's lists hold its own children only, not an earlier entry's", async () => {
    const r = await parseUnXml([variant('two-entries', twoEntries)], {});
    const one = party(r, 'un-QDi.901');
    expect(one.titles).toEqual(['Dr.', 'Minister']);
    expect(one.nationalities).toEqual(['Yemen']);
    expect(one.aliases.map((a) => a.name)).toEqual(['Uno']);
    expect(one.remarks).toBe('Associated with\n        TWO (QDi.902).');
    const two = party(r, 'un-QDi.902');
    expect([two.titles, two.nationalities, two.aliases, two.programs, two.birthDates]).toEqual([[], [], [], [], []]);
    expect(two.remarks).toBeNull();
    expect(r.addresses.map((a) => a.partyId)).toEqual(['un-QDi.901']);
    expect(r.links.map((l) => [l.from, l.to.id, l.type])).toEqual([['un-QDi.901', 'un-QDi.902', 'ASSOCIATE']]);
    expect(r.warnings).toEqual([]);
  });

  test('elements without attributes or children: empty, each its own, never given another element\'s', async () => {
    const records: XmlElement[] = [];
    await streamXml(variant('two-entries', twoEntries), {
      isRecord: (p) => p.length === 3,
      onRecord: (e) => records.push(e),
    });
    expect(records.map((e) => e.children.map((c) => c.name))).toEqual([
      ['FIRST_NAME', 'REFERENCE_NUMBER', 'TITLE', 'DESIGNATION', 'NATIONALITY', 'INDIVIDUAL_ALIAS', 'INDIVIDUAL_ADDRESS', 'COMMENTS1'],
      ['FIRST_NAME', 'REFERENCE_NUMBER', 'INDIVIDUAL_ALIAS'],
    ]);
    const [one, two] = records;
    expect(two.children[1]).toEqual({ name: 'REFERENCE_NUMBER', attrs: { note: 'x' }, children: [], text: 'QDi.902', line: lineOf(twoEntries, '<REFERENCE_NUMBER note') });
    for (const e of [one, ...one.children, two.children[0], two.children[2]]) expect(e.attrs).toEqual({});
    expect(two.children[2].children).toEqual([]);
    expect(one.children[3].children.map((c) => c.text)).toEqual(['Minister', 'Dr.']);
    for (const leaf of [one.children[0], one.children[3].children[0], two.children[0]]) expect(leaf.children).toEqual([]);
  });

  test('curly apostrophes and wrapped lines in COMMENTS1 read as straight ones and single spaces', () => {
    const straight = referencesIn("Father's name is Abdul (QDi.901). Associated with Jemaah Islamiyah (QDe.092).", 'QDi.900', 'COMMENTS1');
    expect(straight.map((x) => [x.ref, x.label, x.type])).toEqual([['QDi.901', "Father's name is", 'UNKNOWN_LINK'], ['QDe.092', 'Associated with', 'ASSOCIATE']]);
    expect(referencesIn('Father’s name is Abdul (QDi.901). Associated\n        with Jemaah   Islamiyah (QDe.092).', 'QDi.900', 'COMMENTS1')).toEqual(straight);
    expect(referencesIn('Father‘s name is Abdul (QDi.901).\tAssociated with Jemaah Islamiyah\n(QDe.092).', 'QDi.900', 'COMMENTS1')).toEqual(straight);
    // Sentence ends followed by a run of whitespace, and whitespace right before a reference: the
    // sentences are found in the text as written and normalised one by one.
    expect(referencesIn('Father’s  name\n is Abdul\n(QDi.901).\n\n   Associated \u00a0with\tJemaah Islamiyah  \n (QDe.092).', 'QDi.900', 'COMMENTS1')).toEqual(straight);
  });
});

describe('UN consolidated list XML: bad input names file and line', () => {
  test('a truncated file is refused', async () => {
    const cut = variant('truncated', fixtureText.slice(0, Math.floor(fixtureText.length / 2)));
    const err = await parseUnXml([cut], {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceFormatError);
    expect((err as SourceFormatError).message).toMatch(new RegExp(`^${FIXTURE_NAME.replace(/\./g, '\\.')}:\\d+: (is not well-formed XML|ends before </)`));
    expect((err as SourceFormatError).line).toBeGreaterThan(700);
  });

  test('a file cut inside a UTF-8 character is reported as truncated', async () => {
    const bytes = Buffer.from(fixtureText, 'utf8');
    const cut = bytes.indexOf(Buffer.from('Démocratiques')) + 2; // between the two bytes of "é"
    const lines = bytes.subarray(0, cut).toString('utf8').split('\n').length;
    await expect(parseUnXml([variant('cut-char', bytes.subarray(0, cut))], {})).rejects.toThrow(
      `${FIXTURE_NAME}:${lines}: ends inside a UTF-8 character (truncated file?)`,
    );
  });

  test('a file re-encoded as Latin-1 is refused at the line of the first non-UTF-8 byte', async () => {
    // The ADF entry (CDe.001) as the excerpt has it, written in Latin-1 as a careless editor would:
    // "Démocratiques" becomes one byte 0xE9. (’ is outside Latin-1 and is written as '.)
    const start = fixtureText.indexOf('    <ENTITY>\n', fixtureText.indexOf('</INDIVIDUALS>'));
    const entry = fixtureText.slice(start, fixtureText.indexOf('</ENTITY>', start) + '</ENTITY>\n'.length);
    const text = `${fixtureLines.slice(0, 2).join('\n')}\n  <ENTITIES>\n${entry}  </ENTITIES>\n</CONSOLIDATED_LIST>\n`.replace(/’/g, "'");
    expect([...text].every((c) => c.codePointAt(0)! <= 0xff)).toBe(true); // Latin-1 can write it
    const file = variant('latin1', Buffer.from(text, 'latin1'));
    await expect(parseUnXml([file], {})).rejects.toThrow(
      new RegExp(`^${FIXTURE_NAME.replace(/\./g, '\\.')}:${lineOf(text, 'é')}: is not valid UTF-8`),
    );
  });

  test('a non-UTF-8 byte past the first MiB of the real list is found at its own line', async () => {
    // streamXml decodes 1 MiB at a time; the error must still point at the line, not the chunk.
    const buf = fs.readFileSync(FULL);
    const at = buf.indexOf(Buffer.from('é'), 1 << 20);
    expect(at).toBeGreaterThan(1 << 20);
    const broken = Buffer.concat([buf.subarray(0, at), Buffer.from([0xe9]), buf.subarray(at + 2)]);
    const expected = buf.subarray(0, at).toString('utf8').split('\n').length;
    await expect(parseUnXml([variant('latin1-full', broken, 'consolidated.xml')], {})).rejects.toThrow(
      new RegExp(`^consolidated\\.xml:${expected}: is not valid UTF-8`),
    );
  });

  test('an entry without REFERENCE_NUMBER or without a name is rejected with file and line; the rest loads', async () => {
    const text = fixtureText
      .replace('      <REFERENCE_NUMBER>KPi.033</REFERENCE_NUMBER>\n', '')
      .replace('<FIRST_NAME>MINISTRY OF ATOMIC ENERGY INDUSTRY</FIRST_NAME>', '<FIRST_NAME/>');
    const r = await parseUnXml([variant('missing', text)], {});
    // The line is the entry's start tag, just above its first child DATAID.
    expect(r.rejected).toEqual([
      { file: FIXTURE_NAME, line: lineOf(text, '<DATAID>6908555') - 1, reason: 'INDIVIDUAL without REFERENCE_NUMBER (DATAID 6908555); the entry is skipped' },
      { file: FIXTURE_NAME, line: lineOf(text, '<DATAID>6908520') - 1, reason: 'KPe.027 has no name (FIRST_NAME is empty); the entry is skipped' },
    ]);
    expect(r.parties.length).toBe(20);
    // KPe.007 still names KPe.027: the link stays and is reported as pointing outside the file.
    expect(r.links.some((l) => l.from === 'un-KPe.007' && l.to.id === 'un-KPe.027')).toBe(true);
    expect(r.warnings.find((w) => w.includes('not entries of'))).toMatch(/KPe\.027 \(KPe\.007\)/);
  });

  test('a duplicate REFERENCE_NUMBER is rejected with both places, never merged', async () => {
    const start = fixtureText.indexOf('    <ENTITY>\n', fixtureText.indexOf('<DATAID>6908499'));
    const end = fixtureText.indexOf('</ENTITY>\n', start) + '</ENTITY>\n'.length;
    const block = fixtureText.slice(start, end);
    expect(block).toContain('<REFERENCE_NUMBER>KPe.027</REFERENCE_NUMBER>');
    const dup = fixtureText.slice(0, end) + block.replace('MINISTRY OF ATOMIC ENERGY INDUSTRY', 'ANOTHER NAME') + fixtureText.slice(end);
    const r = await parseUnXml([variant('duplicate', dup)], {});
    const first = lineOf(dup, block);
    const second = lineOf(dup, '<ENTITY>', end - 1);
    expect(r.rejected).toEqual([
      { file: FIXTURE_NAME, line: second, reason: `duplicate REFERENCE_NUMBER KPe.027 (first seen at ${FIXTURE_NAME}:${first} (KPe.027)); this entry is skipped, not merged` },
    ]);
    expect(party(r, 'un-KPe.027').name).toBe('MINISTRY OF ATOMIC ENERGY INDUSTRY');
    expect(r.parties.length).toBe(22);
  });

  test('a file without dateGenerated needs --release', async () => {
    const file = variant('nodate', fixtureText.replace(/ dateGenerated="[^"]*"/, ''));
    await expect(parseUnXml([file], {})).rejects.toThrow(`${FIXTURE_NAME}: carries no publication date: give one with --release YYYY-MM-DD`);
    expect((await parseUnXml([file], { release: '2025-11-18', releaseFrom: 'flag' })).release).toBe('2025-11-18');
    const bad = variant('baddate', fixtureText.replace(/dateGenerated="[^"]*"/, 'dateGenerated="18/11/2025"'));
    await expect(parseUnXml([bad], {})).rejects.toThrow(`${FIXTURE_NAME}:2: dateGenerated "18/11/2025" is not a date`);
  });

  test('other files, an empty list and two files at once are refused', async () => {
    const csv = path.join(__dirname, '..', 'fixtures', 'ofac-sdn-2024-05-03-excerpt.csv');
    await expect(parseUnXml([csv], {})).rejects.toThrow(/ofac-sdn-2024-05-03-excerpt\.csv:1: is not a UN Security Council Consolidated List/);
    const empty = variant('empty', `${fixtureLines.slice(0, 3).join('\n')}\n  </INDIVIDUALS>\n  <ENTITIES>\n  </ENTITIES>\n</CONSOLIDATED_LIST>\n`);
    await expect(parseUnXml([empty], {})).rejects.toThrow(`${FIXTURE_NAME}: holds no loadable entries: an empty list is refused`);
    await expect(parseUnXml([FIXTURE, FIXTURE], {})).rejects.toThrow(/single XML file/);
  });

  test('an element the parser does not know is reported, not silently dropped', async () => {
    const text = fixtureText
      .replace('<GENDER>Male</GENDER>', '<GENDER>Male</GENDER>\n      <PLACE_OF_DEATH>X</PLACE_OF_DEATH>')
      .replace('<NUMBER>008827</NUMBER>', '<NUMBER>008827</NUMBER><DATE_OF_EXPIRY>2030-01-01</DATE_OF_EXPIRY>');
    const r = await parseUnXml([variant('newfield', text)], {});
    const warning = r.warnings.find((w) => w.includes('does not know'));
    const at = (needle: string) => `${FIXTURE_NAME}:${lineOf(text, needle)}`;
    expect(warning).toContain(`INDIVIDUAL/PLACE_OF_DEATH (first at ${at('<PLACE_OF_DEATH>')})`);
    expect(warning).toContain(`INDIVIDUAL/INDIVIDUAL_DOCUMENT/DATE_OF_EXPIRY (first at ${at('<DATE_OF_EXPIRY>')})`);
    expect(r.parties.length).toBe(22);
  });
});

/**
 * Counts on the whole 2025-11-18 list, each computed from the raw text with regular expressions (no XML
 * reader, no parser code) and compared with what the parser emits:
 * - entries: occurrences of "<INDIVIDUAL>" and "<ENTITY>" (727 and 273);
 * - DPRK entries: REFERENCE_NUMBER values starting KPi. / KPe. (twelve KPe values end with a space);
 * - documents: <INDIVIDUAL_DOCUMENT>...</INDIVIDUAL_DOCUMENT> blocks whose NUMBER is not empty, less
 *   French/Spanish-worded twins of a document the same entry lists in English with the same NUMBER;
 * - aliases: per entry, NAME_ORIGINAL_SCRIPT and the non-empty ALIAS_NAME elements, each split with
 *   splitAliasNames (the one parser function used, itself tested above on the list's own values), typed
 *   by QUALITY, and kept once per type and nameKey, leaving out the entry's own name;
 * - addresses: *_ADDRESS blocks with at least one non-empty child;
 * - links: per entry, the distinct reference numbers other than its own in COMMENTS1 and DESIGNATION.
 */
describe('UN consolidated list XML: the full 2025-11-18 list against counts from the raw text', () => {
  let r: ParsedRelease;
  const raw = fs.readFileSync(FULL, 'utf8');
  const rawLines = raw.split('\n');
  const entries = [...raw.matchAll(/<(INDIVIDUAL|ENTITY)>([\s\S]*?)<\/\1>/g)].map((m) => {
    const body = m[2];
    const text = (tag: string) => (new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1] ?? '').replace(/\s+/g, ' ').trim();
    return { kind: m[1], body, ref: text('REFERENCE_NUMBER'), text };
  });
  beforeAll(async () => {
    r = await parseUnXml([FULL], {});
  });

  test('727 individuals and 273 entities, none rejected', () => {
    expect(raw.match(/<INDIVIDUAL>/g)!.length).toBe(727);
    expect(raw.match(/<ENTITY>/g)!.length).toBe(273);
    expect(r.parties.filter((p) => p.kind === 'Person').length).toBe(727);
    expect(r.parties.filter((p) => p.kind === 'Organization').length).toBe(273);
    expect(r.rejected).toEqual([]);
    expect(new Set(r.parties.map((p) => p.id)).size).toBe(1000);
    for (const p of r.parties) {
      const line = recordOf(p.provenance.record).line;
      expect(rawLines[line - 1].trim()).toBe(p.kind === 'Person' ? '<INDIVIDUAL>' : '<ENTITY>');
    }
  });

  test('DPRK entries: KPi.* and KPe.* reference numbers', () => {
    const kpi = raw.match(/<REFERENCE_NUMBER>\s*KPi\.\d+\s*<\/REFERENCE_NUMBER>/g)!.length;
    const kpe = raw.match(/<REFERENCE_NUMBER>\s*KPe\.\d+\s*<\/REFERENCE_NUMBER>/g)!.length;
    expect([kpi, kpe]).toEqual([80, 75]);
    expect(r.parties.filter((p) => p.id.startsWith('un-KPi.')).length).toBe(kpi);
    expect(r.parties.filter((p) => p.id.startsWith('un-KPe.')).length).toBe(kpe);
    expect(r.parties.filter((p) => /^un-KP[ie]\./.test(p.id)).every((p) => p.programs[0] === 'UN-DPRK')).toBe(true);
  });

  test('programs: one per UN_LIST_TYPE, prefixed UN-', () => {
    const listTypes = new Set(entries.map((e) => `UN-${e.text('UN_LIST_TYPE')}`));
    expect(listTypes.size).toBe(14);
    expect(new Set(r.parties.flatMap((p) => p.programs))).toEqual(listTypes);
  });

  test('documents with a NUMBER are identifiers, less translated twins', () => {
    const docs = entries.flatMap((e) =>
      [...e.body.matchAll(/<INDIVIDUAL_DOCUMENT>([\s\S]*?)<\/INDIVIDUAL_DOCUMENT>/g)].map((m) => ({
        ref: e.ref,
        number: (/<NUMBER>([^<]*)<\/NUMBER>/.exec(m[1])?.[1] ?? '').replace(/\s+/g, ' ').trim(),
        translated: /<TYPE_OF_DOCUMENT>\s*(Numéro de passeport|Número de pasaporte)\s*</.test(m[1]),
      })),
    );
    const withNumber = docs.filter((d) => d.number);
    const twins = withNumber.filter((d) => d.translated && withNumber.some((o) => o !== d && !o.translated && o.ref === d.ref && o.number === d.number));
    expect([docs.length, withNumber.length, twins.length]).toEqual([468, 454, 6]);
    expect(r.identifiers.length).toBe(withNumber.length - twins.length);
    expect(r.warnings.find((w) => /documents have no NUMBER/.test(w))).toMatch(new RegExp(`^${docs.length - withNumber.length} documents`));
  });

  test('aliases: every non-empty ALIAS_NAME and original-script name, split and kept once', () => {
    let elements = 0;
    for (const e of entries) {
      const own = nameKey(['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map(e.text).filter(Boolean).join(' '));
      const expected: string[] = [];
      const seen = new Set([`a.k.a.|${own}`]);
      const add = (name: string, type: string, quality: string | null) => {
        const key = `${type}|${nameKey(name)}`;
        if (!seen.has(key)) expected.push(`${key}|${quality}`);
        seen.add(key);
      };
      if (e.text('NAME_ORIGINAL_SCRIPT')) add(e.text('NAME_ORIGINAL_SCRIPT'), 'a.k.a.', 'strong');
      for (const m of e.body.matchAll(/<(?:INDIVIDUAL|ENTITY)_ALIAS>([\s\S]*?)<\/(?:INDIVIDUAL|ENTITY)_ALIAS>/g)) {
        const name = /<ALIAS_NAME>([^<]*)<\/ALIAS_NAME>/.exec(m[1])?.[1]?.trim();
        if (!name) continue;
        elements++;
        const q = /<QUALITY>([^<]*)<\/QUALITY>/.exec(m[1])?.[1]?.trim();
        for (const n of splitAliasNames(name)) add(n, q === 'f.k.a.' ? 'f.k.a.' : 'a.k.a.', q === 'Good' ? 'strong' : q === 'Low' ? 'weak' : null);
      }
      const got = party(r, `un-${e.ref}`).aliases.map((a) => `${a.type}|${nameKey(a.name)}|${a.quality}`);
      expect({ ref: e.ref, aliases: got }).toEqual({ ref: e.ref, aliases: expected });
    }
    expect(elements).toBe(2753);
    expect(r.parties.reduce((n, p) => n + p.aliases.length, 0)).toBeGreaterThan(elements);
  });

  test('addresses: every address block with content', () => {
    const blocks = [...raw.matchAll(/<(INDIVIDUAL|ENTITY)_ADDRESS>([\s\S]*?)<\/\1_ADDRESS>/g)];
    const withContent = blocks.filter((m) => /<(STREET|CITY|STATE_PROVINCE|ZIP_CODE|COUNTRY|NOTE)>\s*[^<\s]/.test(m[2]));
    expect(r.addresses.length).toBe(withContent.length);
    // ZIP_CODE joins the city, as in OFAC's "City/State/Province/Postal Code" column.
    expect(r.addresses.map((a) => a.address.full)).toContain('Bunatwiete 23, Hamburg 21073, Germany');
  });

  test('links: every other reference number named in COMMENTS1 or DESIGNATION', () => {
    const expected = new Set<string>();
    for (const e of entries) {
      const texts = [/<COMMENTS1>([\s\S]*?)<\/COMMENTS1>/.exec(e.body)?.[1] ?? '', ...[...e.body.matchAll(/<DESIGNATION>([\s\S]*?)<\/DESIGNATION>/g)].map((m) => m[1])];
      for (const t of texts) for (const m of t.matchAll(/\b([A-Z]{2}[ie])\.?(\d{3})\b/g)) if (`${m[1]}.${m[2]}` !== e.ref) expected.add(`un-${e.ref}>un-${m[1]}.${m[2]}`);
    }
    expect(new Set(r.links.map((l) => `${l.from}>${l.to.id}`))).toEqual(expected);
    // Targets not in the list: kept as links, and exactly these are reported.
    const ids = new Set(r.parties.map((p) => p.id));
    const outside = [...new Set(r.links.filter((l) => !ids.has(l.to.id!)).map((l) => l.to.id!.slice(3)))].sort();
    expect(outside).toEqual(['QDe.072', 'QDe.073', 'QDi.317', 'TAi.048', 'TAi.152']);
    for (const ref of outside) expect(r.warnings[0]).toContain(ref);
    expect(r.links.filter((l) => l.type === 'ASSOCIATE').every((l) => /associat/i.test(l.label))).toBe(true);
  });

  test('nothing unknown: no unmapped elements, document types, qualities or odd dates', () => {
    expect(r.warnings.length).toBe(2);
    expect(r.warnings[0]).toMatch(/^COMMENTS1 and DESIGNATION name 5 reference numbers/);
    expect(r.warnings[1]).toMatch(/^14 documents have no NUMBER/);
    for (const p of r.parties) {
      expect(p.listedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const d of p.birthDates) expect(d).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
    }
  });
});
