import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectFtm, classifyFtmFile, parseFtm } from '../../ingest/sources/ftm';
import { countryName } from '../../ingest/sources/ftm-map';
import { splitJsonTexts } from '../../ingest/jsonl';
import { FTM_LINKS, FTM_PARTY_KINDS, ftmIdentifierProps } from '../../ingest/sources/ftm.meta';
import type { ParsedRelease } from '../../server/core/model';
import { SourceFormatError } from '../../server/core/errors';
import { SHARED } from '../helpers';

const FTM = path.join(SHARED, 'opensanctions-ftm');
const ZALA = path.join(FTM, 'zala', 'entities.ftm.json');
const EU_FSF = path.join(FTM, 'eu-fsf-t1', 'entities.ftm.json');
const DELTAS = path.join(FTM, 'deltas-2024-05-27');
const deltaFiles = () => fs.readdirSync(DELTAS).sort().map((f) => path.join(DELTAS, f));
const EXCERPT = path.join(__dirname, '..', 'fixtures', 'ftm', 'zala-excerpt.ftm.json');
const FLAG = { release: '2026-04-30', releaseFrom: 'flag' } as const;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-ftm-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
/** Writes a file into its own temporary folder and returns its path. */
function write(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(tmp, dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

// Independent counting: raw lines and regular expressions, no JSON parsing and none of the parser's code.
const rawLines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
/** The line's entity schema: the first "schema" key (property values are strings, where quotes are escaped). */
const schemaOf = (line: string) => /"schema":\s*"(\w+)"/.exec(line)?.[1] ?? null;
const idOf = (line: string) => /^\{"id":\s*"([^"]+)"/.exec(line)?.[1] ?? null;
/** The ids listed in a property of a raw line: `"owner": ["a", "b"]` -> [a, b]. */
const refs = (line: string, prop: string) => {
  const m = new RegExp(`"${prop}":\\s*\\[([^\\]]*)\\]`).exec(line);
  return m ? [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]) : [];
};
const count = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length;
const byId = (r: ParsedRelease, id: string) => r.parties.find((p) => p.id === id)!;

describe('recognising FtM files', () => {
  test('entities, delta operations and the delta index are recognised from content; other files are not', async () => {
    expect(await classifyFtmFile(ZALA)).toBe('entities');
    expect(await classifyFtmFile(EU_FSF)).toBe('entities');
    expect(await classifyFtmFile(path.join(DELTAS, '20240528074703-npf.entities.delta.json'))).toBe('delta');
    expect(await classifyFtmFile(path.join(DELTAS, 'delta.json'))).toBe('index');
    expect(await detectFtm(path.join(SHARED, 'ofac-sdn-csv-subset-2025-05-16', 'sdn.csv'))).toBe(false);
    expect(await detectFtm(path.join(__dirname, '..', 'fixtures', 'ftm', 'README.md'))).toBe(false);
    expect(await detectFtm(write('detect', 'empty.json', ''))).toBe(false);
    // A version without changes has an empty delta file: its name says what it is.
    expect(await classifyFtmFile(write('detect', '20240529014702-abc.entities.delta.json', ''))).toBe('delta');
    expect(await detectFtm(write('detect', 'other.json', '{"hello": "world"}\n'))).toBe(false);
  });

  test('objects run together on one line are split where they close, not at braces inside strings', () => {
    expect(splitJsonTexts('{"a": "}{"}{"b": [1, {"c": "\\"}"}]}')).toEqual({ texts: ['{"a": "}{"}', '{"b": [1, {"c": "\\"}"}]}'], complete: true });
    expect(splitJsonTexts('{"a": 1} {"b": ')).toEqual({ texts: ['{"a": 1}', '{"b": '], complete: false });
    expect(splitJsonTexts('1,"x",3').texts).toEqual(['1,"x",3']);
  });

  test('FtM country codes become the names the model stores', () => {
    expect(countryName('ru')).toBe('Russia');
    expect(countryName('by')).toBe('Belarus');
    expect(countryName('ua-cri')).toBe('Crimea (Occupied Ukraine)');
    expect(countryName('suhh')).toBe('Soviet Union');
    const unknown = new Set<string>();
    expect(countryName('xx-yy', unknown)).toBe('xx-yy');
    expect([...unknown]).toEqual(['xx-yy']);
  });
});

describe('snapshot: the real zala export (91 entities)', () => {
  let r: ParsedRelease;
  const lines = rawLines(ZALA);
  beforeAll(async () => {
    r = await parseFtm([ZALA], FLAG);
  });

  test('counts match counts taken from the raw lines', () => {
    // Lines per schema, by regex on "schema": "X"; every line is one entity (ids are distinct).
    const schemas = lines.map(schemaOf);
    expect(lines.length).toBe(91);
    expect(new Set(lines.map(idOf)).size).toBe(91);
    expect(Object.fromEntries([...new Set(schemas)].sort().map((s) => [s, count(schemas, (x) => x === s)]))).toEqual({
      Address: 11, Company: 11, Directorship: 3, Family: 4, Ownership: 14, Passport: 1, Person: 6, Sanction: 41,
    });
    // Parties: lines of the Thing schemata that are parties (FTM_PARTY_KINDS), per kind.
    const partyLines = lines.filter((l) => Object.hasOwn(FTM_PARTY_KINDS, schemaOf(l)!));
    expect(r.parties.length).toBe(partyLines.length);
    expect(count(r.parties, (p) => p.kind === 'Person')).toBe(count(schemas, (s) => s === 'Person'));
    expect(count(r.parties, (p) => p.kind === 'Company')).toBe(count(schemas, (s) => s === 'Company'));
    expect(new Set(r.parties.map((p) => p.id))).toEqual(new Set(partyLines.map(idOf)));
    // Links: per relationship line, (ids in its source property) x (ids in its target property).
    for (const [schema, spec] of Object.entries(FTM_LINKS)) {
      const expected = lines.filter((l) => schemaOf(l) === schema).reduce((n, l) => n + refs(l, spec.from).length * refs(l, spec.to).length, 0);
      expect([schema, count(r.links, (k) => k.sourceId !== null && lines.some((l) => idOf(l) === k.sourceId && schemaOf(l) === schema))]).toEqual([schema, expected]);
    }
    expect(r.links.length).toBe(14 + 4 + 3);
    expect(new Set(r.links.map((l) => l.sourceId))).toEqual(new Set(lines.filter((l) => Object.hasOwn(FTM_LINKS, schemaOf(l)!)).map(idOf)));
    // Parties with programs: the targets of Sanction lines ("entity": [...]) and party lines carrying programId.
    const sanctioned = new Set([
      ...lines.filter((l) => schemaOf(l) === 'Sanction').flatMap((l) => refs(l, 'entity')),
      ...partyLines.filter((l) => /"programId":/.test(l)).map(idOf),
    ]);
    expect(new Set(r.parties.filter((p) => p.programs.length).map((p) => p.id))).toEqual(sanctioned);
    // Address facts from Address entities: (party, Address id) pairs of addressEntity lists whose Address is a line here.
    const addressIds = new Set(lines.filter((l) => schemaOf(l) === 'Address').map(idOf));
    const pairs = partyLines.flatMap((l) => refs(l, 'addressEntity').filter((a) => addressIds.has(a)));
    expect(count(r.addresses, (a) => addressIds.has(/\(([^)]+)\)$/.exec(a.provenance.record)![1]))).toBe(pairs.length);
    expect(pairs.length).toBe(11);
    // Rejected: identity documents without a number (Passport lines without "number"/"passportNumber").
    const numberless = lines.filter((l) => ['Passport', 'Identification'].includes(schemaOf(l)!) && !/"(number|passportNumber)":/.test(l));
    expect(r.rejected.map((x) => x.line)).toEqual(numberless.map((l) => lines.indexOf(l) + 1));
  });

  test('dataset named by majority, with a warning; every party and fact carries file:line (id)', () => {
    // The zala export holds entities of 27 OpenSanctions datasets; ext_ru_egrul is on the most (31).
    expect(r.dataset).toBe('opensanctions-ext_ru_egrul');
    expect(r.warnings.some((w) => /27 OpenSanctions datasets \(ext_ru_egrul 31, /.test(w))).toBe(true);
    expect(r.mode).toBe('snapshot');
    expect(r.release).toBe('2026-04-30');
    for (const x of [...r.parties, ...r.addresses, ...r.identifiers, ...r.links]) {
      const m = /^entities\.ftm\.json:(\d+) \((.+)\)$/.exec(x.provenance.record)!;
      expect(idOf(lines[Number(m[1]) - 1])).toBe(m[2]);
      expect(x.provenance).toMatchObject({ dataset: r.dataset, release: '2026-04-30' });
    }
  });

  test('several Ownerships of one pair stay separate links, each with its own share and dates', () => {
    const owns = r.links.filter((l) => l.from === 'NK-aU5ybkbRFJucf8YMwsJvDw' && l.to.id === 'NK-abdzbEBkqyT29GyREbiURZ' && l.type === 'OWNERSHIP');
    expect(owns.map((l) => [l.percentage, l.startDate, l.endDate]).sort()).toEqual([
      ['48', '2015-11-25', '2023-12-21'],
      ['50', '2015-11-25', '2023-03-02'],
      ['51', '2015-11-25', null],
    ]);
  });
});

describe('mapping, on the real excerpt', () => {
  let r: ParsedRelease;
  beforeAll(async () => {
    r = await parseFtm([EXCERPT], { release: '2026-04-30', releaseFrom: 'path' });
  });

  test('a person: name, aliases, dates, countries as names, gender, identifiers, programs', () => {
    const maria = byId(r, 'NK-2Tbri3s6GgNtAwsSXh4qpL');
    expect(maria).toMatchObject({
      kind: 'Person',
      name: 'Maria Aleksandrovna Osetrova',
      birthDates: ['1988-01-07'],
      birthPlaces: ['Russia', 'Izhevsk'],
      nationalities: ['Russia'],
      citizenships: ['Russia'],
      gender: 'Female',
      programs: ['UA-SA1644', 'US-RUSHAR', 'GB-RUS'],
      provenance: { dataset: 'opensanctions-us_ofac_sdn', release: '2026-04-30', record: 'zala-excerpt.ftm.json:1 (NK-2Tbri3s6GgNtAwsSXh4qpL)' },
    });
    expect(maria.aliases).toContainEqual({ name: 'Maria Aleksandrovna Zakharova', type: 'f.k.a.', quality: 'strong' });
    expect(maria.aliases).toContainEqual({ name: 'Zakharova Mariia Oleksandrivna', type: 'a.k.a.', quality: 'strong' });
    // Spellings that differ only in case are one name.
    expect(maria.aliases.map((a) => a.name)).not.toContain('Maria Aleksandrovna OSETROVA');
    expect(maria.remarks).toContain('The Director Disqualification Sanction was imposed on 09/04/2025.');
    expect(maria.remarks).toContain('Topics: debarment, corp.disqual, sanction');
    // The INN (Russian by definition) carries its country; taxNumber repeats it and is not a second fact.
    const ids = r.identifiers.filter((i) => i.partyId === maria.id);
    expect(ids.filter((i) => i.identifier.value === '183116181362').map((i) => [i.identifier.key, i.label])).toEqual([
      ['taxId:RUSSIA:183116181362', 'innCode'],
      ['nationalId:*:183116181362', 'idNumber'],
    ]);
  });

  test('a company: programs and listing date from its Sanction entities, addresses, contacts', () => {
    const cst = byId(r, 'NK-abdzbEBkqyT29GyREbiURZ');
    expect(cst.kind).toBe('Company');
    expect(cst.name).toBe('LLC CST');
    expect(cst.programs).toEqual(expect.arrayContaining(['AU-RUSSIA', 'US-RUSHAR']));
    expect(cst.listedOn).toBe('2023-02-24'); // au-dfat Sanction startDate; the OFAC one has no date
    expect(cst.nationalities).toEqual(['Russia']); // jurisdiction "ru"
    const addrs = r.addresses.filter((a) => a.partyId === cst.id);
    // From the Address entity (its own line), not also from the identical address text of the company.
    const perunovsky = addrs.filter((a) => /3\/2 Perunovsky Lane, Floor 3, Room 21, Moscow, 127055, Russia/.test(a.address.full));
    expect(perunovsky.map((a) => a.provenance.record)).toEqual(['zala-excerpt.ftm.json:5 (addr-1792725a5f4435b80bd24a4421634aeeb3c513f8)']);
    const pobox = addrs.find((a) => a.provenance.record.endsWith('(NK-oPoYieLmcZgkCCnJGPRhBN)'))!;
    expect(pobox.address).toMatchObject({ full: 'P.O. Box 9050, Izhevsk, Russian Federation, 426011', country: 'Russia' });
    expect(new Set(addrs.map((a) => a.address.key)).size).toBe(addrs.length);
    // One phone value holds three numbers separated by ";"; each is keyed in E.164 (normalize.ts: Russian numbers written without the +).
    const phones = r.identifiers.filter((i) => i.partyId === cst.id && i.identifier.type === 'phone').map((i) => i.identifier.key);
    expect(phones).toEqual(['phone:+73412430505', 'phone:+79512108128', 'phone:+79127693311']);
    expect(r.identifiers.some((i) => i.partyId === cst.id && i.identifier.key === 'registrationNumber:RUSSIA:1101841007938' && i.label === 'ogrnCode')).toBe(true);
  });

  test('relationship entities become links with their wording, share, dates and source id', () => {
    expect(r.links.find((l) => l.sourceId === 'ofac-d8ecdd62dca8ba39b832a77c170926630683ea05')).toMatchObject({
      type: 'DIRECTORSHIP', from: 'NK-aU5ybkbRFJucf8YMwsJvDw', to: { id: 'NK-abdzbEBkqyT29GyREbiURZ' }, label: 'Leader or official of',
    });
    expect(r.links.find((l) => l.sourceId === 'ofac-ca72a3fb3628c63a6357bbbb2664e3f326f51c48')).toMatchObject({
      type: 'FAMILY', from: 'NK-2Tbri3s6GgNtAwsSXh4qpL', to: { id: 'NK-aU5ybkbRFJucf8YMwsJvDw' }, label: 'Family member of',
    });
    expect(r.links.find((l) => l.sourceId === 'ru-770bdf5f22537fa2a94176f53fa87fe28ecf94fa')).toMatchObject({
      type: 'OWNERSHIP', label: 'Ownership', percentage: '50', startDate: '2015-11-25', endDate: '2023-03-02',
      provenance: { record: 'zala-excerpt.ftm.json:14 (ru-770bdf5f22537fa2a94176f53fa87fe28ecf94fa)' },
    });
  });

  test('a relationship to an id not in the file is kept (the loader makes a placeholder)', () => {
    expect(r.links.find((l) => l.sourceId === 'ru-4f1dde663bc2ea2f208283e5253fb5079df93190')).toMatchObject({
      from: 'NK-aU5ybkbRFJucf8YMwsJvDw', to: { id: 'ru-inn-5920040846' }, percentage: '100',
    });
    // And one from a party not in the file (Kalashnikov Concern owns 49% of LLC CST).
    expect(r.links.find((l) => l.sourceId === 'ru-29477727b21c0f44d9c8b2e0c3697b8e028f8f5f')).toMatchObject({ from: 'NK-nR5AXM9AVPq4pQaSPSaVam' });
    expect(r.warnings).toContain('1 links point to a party that is not in these files: it becomes a placeholder until loaded');
    expect(r.warnings).toContain('1 links start at a party that is not in these files: they load only if that party is already in the graph');
  });

  test('a Passport entity without a number is rejected with its line', () => {
    expect(r.rejected).toEqual([
      { file: 'zala-excerpt.ftm.json', line: 7, reason: 'Passport gb-fcdo-217caa5aa607244044b49706d04d8d6c5ec992bd of NK-aU5ybkbRFJucf8YMwsJvDw has no number; nothing to record' },
    ]);
  });
});

describe('snapshot: the real EU FSF subset (7 entities)', () => {
  test('parties, dataset and an address entity no party uses', async () => {
    const lines = rawLines(EU_FSF);
    const r = await parseFtm([EU_FSF], { release: '2024-06-01', releaseFrom: 'flag' });
    expect(r.dataset).toBe('opensanctions-eu_fsf');
    expect(r.parties.length).toBe(count(lines, (l) => Object.hasOwn(FTM_PARTY_KINDS, schemaOf(l)!)));
    expect(r.parties.length).toBe(6);
    expect(byId(r, 'NK-2GdmHtZTeNXjNVrBGEXZNj')).toMatchObject({ kind: 'Organization', nationalities: ['Belarus'] });
    expect(byId(r, 'NK-2Myxbs6wX9xFKGoQn3sLaY')).toMatchObject({ titles: ['Colonel'], birthPlaces: ['BELARUS, Komsomolskaya'] });
    expect(byId(r, 'NK-2Myxbs6wX9xFKGoQn3sLaY').remarks).toContain('Position: Deputy Commander for Armaments');
    expect(r.warnings).toContain(
      '1 Address entities are not the address of any party in these files and were not loaded: entities.ftm.json:4 (NK-2MQE6AmhAk4tqhENJAMUG9)',
    );
  });
});

describe('release date', () => {
  test('a snapshot carries no export date: without --release or a path date it is refused, with a hint', async () => {
    const err = await parseFtm([ZALA], {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceFormatError);
    expect((err as SourceFormatError).message).toMatch(/^entities\.ftm\.json: carries no export date .*newest last_seen here is 2026-04-29T12:53:04.*--release YYYY-MM-DD/);
  });
  test('a date in the path applies to a snapshot', async () => {
    expect((await parseFtm([EU_FSF], { release: '2024-06-01', releaseFrom: 'path' })).release).toBe('2024-06-01');
  });
});

describe('deltas: the real delta set of 2024-05-27/28 (6 operations in 4 files, and the index)', () => {
  let r: ParsedRelease;
  beforeAll(async () => {
    r = await parseFtm(deltaFiles(), { release: '2024-05-27', releaseFrom: 'path' });
  });

  test('operations applied in version order; counts match a replay of the raw lines', () => {
    // Independent replay: ops by regex on each raw line ({"op":"X","entity":{"id":"Y"...), files by name.
    const ops = deltaFiles()
      .filter((f) => f.endsWith('.entities.delta.json'))
      .flatMap((f) => rawLines(f).flatMap((l) => [...l.matchAll(/\{"op":\s*"(ADD|MOD|DEL)",\s*"entity":\s*\{"id":\s*"([^"]+)"/g)].map((m) => [m[1], m[2]])));
    expect(ops.map((o) => o[0]).sort()).toEqual(['ADD', 'ADD', 'ADD', 'ADD', 'DEL', 'MOD']);
    const state = new Map<string, boolean>();
    for (const [op, id] of ops) state.set(id, op !== 'DEL');
    expect(r.mode).toBe('delta');
    expect(r.parties.map((p) => p.id).sort()).toEqual([...state].filter(([, live]) => live).map(([id]) => id).sort());
    expect(r.removedIds).toEqual([...state].filter(([, live]) => !live).map(([id]) => id));
    expect(r.removedIds).toEqual(['NK-500Poltergeist']);
    expect(r.warnings).toContain('delta operations applied in version order: 4 ADD, 1 MOD, 1 DEL');
  });

  test('MOD replaces the entity an earlier ADD of the set gave', () => {
    const p = byId(r, 'NK-2T3S8Hu29ktYnKSTgQp2wL');
    expect(p.name).toBe('Foobar Foobargroup');
    expect(p.aliases.map((a) => a.name)).toEqual(['IRGC', 'Iranian Revolutionary Guard Corps']);
    expect(p.provenance.record).toBe('20240528014702-pfh.entities.delta.json:2 (NK-2T3S8Hu29ktYnKSTgQp2wL)');
  });

  test('release is the newest version in the file names; the index names a version whose file is missing', () => {
    expect(r.release).toBe('2024-05-28');
    expect(r.warnings).toContain('release 2024-05-28 is the date of the newest delta version (20240528134729-3iv); the path says 2024-05-27');
    expect(r.warnings.some((w) => w.startsWith('delta.json lists 1 version(s) whose delta file is not among these files (20240527134702-zbn)'))).toBe(true);
    expect(r.dataset).toBe('opensanctions-eu_fsf');
    expect(r.files).toEqual(['delta.json', ...deltaFiles().map((f) => path.basename(f)).filter((f) => f !== 'delta.json')]);
  });

  test('--release wins over the date in the file names', async () => {
    expect((await parseFtm(deltaFiles(), { release: '2024-06-01', releaseFrom: 'flag' })).release).toBe('2024-06-01');
  });

  test('a snapshot and delta files together are refused', async () => {
    await expect(parseFtm([EU_FSF, ...deltaFiles()], FLAG)).rejects.toThrow(/entities\.ftm\.json:1: is a snapshot \(entities\) but other files are delta operations/);
  });
});

describe('bad input', () => {
  const excerpt = fs.readFileSync(EXCERPT, 'utf8').split('\n').filter(Boolean);

  test('a cut last line is a cut download: refused with file and line', async () => {
    const last = excerpt.at(-1)!;
    const f = write('cut-last', 'entities.ftm.json', [...excerpt.slice(0, -1), last.slice(0, last.length / 2)].join('\n'));
    const err = (await parseFtm([f], FLAG).catch((e: unknown) => e)) as SourceFormatError;
    expect(err).toBeInstanceOf(SourceFormatError);
    expect([err.file, err.line]).toEqual(['entities.ftm.json', 14]);
    expect(err.reason).toMatch(/last line is cut short .*download is incomplete/);
  });

  test('a cut line inside the file is refused too (its entity would be delisted unseen)', async () => {
    const lines = [...excerpt];
    lines[2] = lines[2].slice(0, 500);
    const f = write('cut-mid', 'entities.ftm.json', lines.join('\n') + '\n');
    await expect(parseFtm([f], FLAG)).rejects.toThrow(/^entities\.ftm\.json:3: is cut short \(its JSON object never closes\): the file is damaged$/);
  });

  test('Latin-1 bytes are refused with the line', async () => {
    // Line 5 of the EU FSF file has "PACHODAVOVÁ"; its Á (UTF-8 C3 81) written as Latin-1 (C1).
    const lines = fs.readFileSync(EU_FSF);
    const at = lines.indexOf(Buffer.from('PACHODAVOVÁ'));
    expect(at).toBeGreaterThan(0);
    const bytes = Buffer.concat([lines.subarray(0, at + 10), Buffer.from([0xc1]), lines.subarray(at + 12)]);
    const f = write('latin1', 'entities.ftm.json', bytes);
    await expect(parseFtm([f], FLAG)).rejects.toThrow(/^entities\.ftm\.json:5: is not valid UTF-8 text/);
  });

  test('an entity without id or schema is rejected with its line; the rest loads', async () => {
    const lines = excerpt.map((l) => JSON.parse(l) as Record<string, unknown>);
    delete lines[0].id;
    delete lines[1].schema;
    const f = write('missing', 'entities.ftm.json', lines.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const r = await parseFtm([f], FLAG);
    expect(r.rejected.slice(0, 2)).toEqual([
      { file: 'entities.ftm.json', line: 1, reason: 'entity without an id (FtM requires one)' },
      { file: 'entities.ftm.json', line: 2, reason: 'entity NK-aU5ybkbRFJucf8YMwsJvDw has no schema (FtM requires one)' },
    ]);
    expect(r.parties.map((p) => p.id)).toEqual(['NK-abdzbEBkqyT29GyREbiURZ']);
    // Links to and from the rejected person stay (they point at an id, as to any party not loaded) ...
    expect(r.links.length).toBe(5);
    // ... but what only attaches to a party (a program, a passport) has nowhere to go.
    expect(r.rejected.map((x) => x.line)).toEqual([1, 2, 7, 9]);
    expect(r.rejected[3].reason).toMatch(/^orphan: Sanction ofac-927f.* is on NK-aU5ybkbRFJucf8YMwsJvDw, which is not in these files; its program is not recorded$/);
  });

  test('fragments of one id are merged (FtM); a fragment of a conflicting schema is rejected', async () => {
    const maria = JSON.parse(excerpt[0]) as { properties: Record<string, string[]>; schema: string };
    const keys = Object.keys(maria.properties);
    const half = (ks: string[], schema: string) => JSON.stringify({ ...maria, schema, properties: Object.fromEntries(ks.map((k) => [k, maria.properties[k]])) });
    const f = write('fragments', 'entities.ftm.json', [
      half(keys.slice(0, 10), 'LegalEntity'), // FtM: LegalEntity and Person merge into Person
      half(keys.slice(10), 'Person'),
      half(['name'], 'Company'),
    ].join('\n'));
    const r = await parseFtm([f], FLAG);
    expect(r.parties.length).toBe(1);
    const p = r.parties[0];
    expect(p).toMatchObject({ kind: 'Person', birthDates: ['1988-01-07'], gender: 'Female', provenance: { record: 'entities.ftm.json:1 (NK-2Tbri3s6GgNtAwsSXh4qpL)' } });
    expect(p.aliases.some((a) => a.type === 'f.k.a.')).toBe(true); // previousName came with the second fragment
    expect(r.rejected).toEqual([
      { file: 'entities.ftm.json', line: 3, reason: 'entity NK-2Tbri3s6GgNtAwsSXh4qpL: schema Company conflicts with Person of the same id at entities.ftm.json:1; this fragment is ignored' },
    ]);
    expect(r.warnings).toContain('1 lines were further fragments of an entity already read and were merged into it (FtM semantics)');
  });

  test('two JSON objects on one line (a missing line break) are both read, with a warning naming file and line', async () => {
    // The shared README says one delta file has two objects on a line; none of the shared files does
    // (each of their lines parses as one object), so this joins the two real lines of the pfh file.
    const real = path.join(DELTAS, '20240528014702-pfh.entities.delta.json');
    const two = rawLines(real);
    expect(two.length).toBe(2);
    two.forEach((l) => expect(() => JSON.parse(l)).not.toThrow());
    const joined = write('one-line', path.basename(real), two.join(''));
    const others = deltaFiles().filter((f) => f !== real);
    const r = await parseFtm([...others, joined], { release: '2024-05-27', releaseFrom: 'path' });
    expect(r.warnings).toContain(
      '20240528014702-pfh.entities.delta.json:1 holds 2 JSON objects on one line (a missing line break); each was read as a line of its own',
    );
    const ref = await parseFtm(deltaFiles(), { release: '2024-05-27', releaseFrom: 'path' });
    expect(r.parties.map((p) => [p.id, p.name])).toEqual(ref.parties.map((p) => [p.id, p.name]));
    expect(r.removedIds).toEqual(ref.removedIds);
  });

  test('an unknown schema or delta operation is rejected with its line', async () => {
    const f = write('unknown', '20240601000000-xyz.entities.delta.json', [
      JSON.stringify({ op: 'ADD', entity: { ...JSON.parse(excerpt[0]), schema: 'Persn' } }),
      JSON.stringify({ op: 'PATCH', entity: { id: 'NK-2Tbri3s6GgNtAwsSXh4qpL' } }),
      JSON.stringify({ op: 'ADD', entity: JSON.parse(excerpt[1]) }),
    ].join('\n'));
    const r = await parseFtm([f], FLAG);
    expect(r.rejected).toEqual([
      { file: path.basename(f), line: 1, reason: 'ADD: entity NK-2Tbri3s6GgNtAwsSXh4qpL: "Persn" is not a FollowTheMoney schema' },
      { file: path.basename(f), line: 2, reason: 'unknown delta operation "PATCH" (expected ADD, MOD or DEL); ignored' },
    ]);
    expect(r.parties.map((p) => p.id)).toEqual(['NK-aU5ybkbRFJucf8YMwsJvDw']);
  });
});

describe('vessels and aircraft', () => {
  test('kinds, vessel details and identifiers (entities written for this test: the shared FtM data has none)', async () => {
    const f = write('vehicles', 'entities.ftm.json', [
      JSON.stringify({ id: 'v1', caption: 'SEA STAR', schema: 'Vessel', properties: { name: ['SEA STAR'], imoNumber: ['9123456'], flag: ['kp'], callSign: ['HMXY'], grossRegisteredTonnage: ['2500'], type: ['Oil Tanker'] }, datasets: ['x'] }),
      JSON.stringify({ id: 'a1', caption: 'EP-ABC', schema: 'Airplane', properties: { registrationNumber: ['EP-ABC'], serialNumber: ['1234'] }, datasets: ['x'] }),
    ].join('\n'));
    const r = await parseFtm([f], FLAG);
    expect(byId(r, 'v1')).toMatchObject({ kind: 'Vessel', vessel: { flag: 'North Korea', callSign: 'HMXY', grossTonnage: '2500', type: 'Oil Tanker', tonnage: null, owner: null } });
    expect(byId(r, 'a1')).toMatchObject({ kind: 'Aircraft', name: 'EP-ABC', vessel: null });
    expect(r.identifiers.map((i) => [i.partyId, i.identifier.key, i.label]).sort()).toEqual([
      ['a1', 'aircraftSerial:1234', 'serialNumber'],
      ['a1', 'aircraftTailNumber:EPABC', 'registrationNumber'],
      ['v1', 'callSign:HMXY', 'callSign'],
      ['v1', 'imoNumber:9123456', 'imoNumber'],
    ]);
  });
});

describe("what this project's FtM export writes reads back", () => {
  test('identifier properties by kind, as the model declares them', () => {
    expect(ftmIdentifierProps('Person').idNumber).toEqual({ type: 'nationalId' });
    expect(ftmIdentifierProps('Company').idNumber).toEqual({ type: 'other' });
    expect(ftmIdentifierProps('Aircraft').registrationNumber).toEqual({ type: 'aircraftTailNumber' });
    expect(ftmIdentifierProps('Company').email).toEqual({ type: 'email', split: true });
    expect(ftmIdentifierProps('Company').innCode).toEqual({ type: 'taxId', country: 'ru' });
  });
  test("an Identification's type, its idNumber copy, and Thing.program", async () => {
    const f = write('export', 'entities.ftm.json', [
      JSON.stringify({ id: 'c1', schema: 'Company', properties: { name: ['ACME LLC'], idNumber: ['2543103179', '77'], taxNumber: ['55'], program: ['DPRK2'] } }),
      JSON.stringify({ id: 'identification-1', schema: 'Identification', properties: { holder: ['c1'], number: ['2543103179'], country: ['ru'], type: ['taxId'] } }),
    ].join('\n'));
    const r = await parseFtm([f], FLAG);
    expect(byId(r, 'c1').programs).toEqual(['DPRK2']);
    expect(r.identifiers.map((i) => [i.identifier.key, i.label]).sort()).toEqual([
      ['other:*:77', 'idNumber'],
      ['taxId:*:55', 'taxNumber'],
      ['taxId:RUSSIA:2543103179', 'Identification'],
    ]);
  });
});
