/**
 * Dates in FollowTheMoney's form (export-ftm.ts ftmDates): every date of birth the real OFAC SDN list of
 * 2024-05-03 states ("DOB ..." in its remarks) becomes ISO 8601 values whose years are the ones the
 * source wrote, or stays in words (null) only when its meaning is not plain.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readEvidence, type PartyRow } from '../../server/api/export-evidence';
import { ftmCountry, ftmDates, ftmLines, isProgramCode } from '../../server/api/export-ftm';
import type { GraphEdge } from '../../server/api/graph';
import type { ParsedRelease } from '../../server/core/model';
import { REPO_ROOT } from '../../server/core/settings';
import { edge, fakeDb, partyRow, placeholderRow, sdn, subgraphOf } from './export-fake';

const SDN = path.join(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'ofac-sdn-csv-2024-05-03', 'sdn.csv');

test('every date of birth of the SDN list converts to ISO dates of the years it names', () => {
  const text = fs.readFileSync(SDN, 'latin1');
  // "DOB 22 Apr 1973; ", "DOB circa 1951.", "DOB 01 Jan 1960 to 31 Dec 1962; alt. DOB ..."
  const dobs = [...new Set([...text.matchAll(/\bDOB ([^;".]+)/g)].map((m) => m[1].trim()))];
  expect(dobs.length).toBeGreaterThan(1000);
  const unconverted: string[] = [];
  for (const dob of dobs) {
    const iso = ftmDates(dob);
    if (iso === null) {
      unconverted.push(dob);
      continue;
    }
    for (const d of iso) {
      expect([dob, d]).toEqual([dob, expect.stringMatching(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/)]);
      expect([dob, dob.includes(d.slice(0, 4))]).toEqual([dob, true]);
    }
    // A day and month the source names are the ones written.
    const day = /^(\d{2}) ([A-Z][a-z]{2}) \d{4}$/.exec(dob);
    if (day) expect([dob, new Date(`${iso[0]}T00:00:00Z`).toUTCString().slice(5, 11)]).toEqual([dob, `${day[1]} ${day[2]}`]);
  }
  // Every form the list uses has a plain meaning.
  expect(unconverted).toEqual([]);
});

test('text that is no date stays null', () => {
  for (const s of ['', 'unknown', '1973 or 1974', '31 Foo 1973', '1960 to 1961 to 1962']) expect([s, ftmDates(s)]).toEqual([s, null]);
});

// ---------------------------------------------------------------------------------------------------
// The FtM lines of an export read (readEvidence) through a stand-in for the database that answers with
// rows made from the real SDN list (export-fake.ts).

describe('FtM lines of the real SDN list', () => {
  let r: ParsedRelease;
  beforeAll(async () => {
    r = await sdn();
  }, 60_000);

  type Entity = { id: string; schema: string; target?: boolean; properties: Record<string, string[]> };
  const entities = (text: string): Entity[] => text.trim().split('\n').map((l) => JSON.parse(l) as Entity);
  const LEGAL = ['LegalEntity', 'Person', 'Organization', 'Company'];

  async function ftmOf(rows: PartyRow[], edges: GraphEdge[] = []): Promise<{ lines: Entity[]; text: string }> {
    const g = await readEvidence(fakeDb(rows), subgraphOf(rows, edges));
    const text = ftmLines(g);
    return { lines: entities(text), text };
  }

  test('a party under no program (the all-null row of an OPTIONAL MATCH) is not listed: no topics, no Sanction, no programs', async () => {
    const aircraft = partyRow(r, 'ofac-27197');
    // What api-export-parties returned for a party without SANCTION relationships before the fix; as a
    // placeholder and as the same party loaded (e.g. an FtM import of an unsanctioned related company).
    const nulls = [{ program: null, dataset: null, release: null, record: null }] as unknown as PartyRow['programs'];
    const placeholder = placeholderRow('ofac-placeholder-beratex', 'BERATEX GROUP LIMITED', nulls);
    const loaded = { ...placeholderRow('ofac-beratex-loaded', 'BERATEX GROUP LIMITED', nulls), placeholder: false };
    const rows = [aircraft, placeholder, loaded];
    const g = await readEvidence(fakeDb(rows), subgraphOf(rows, [edge('e1', 'UNKNOWN_LINK', aircraft.party.id as string, placeholder.party.id as string, 'Linked To', 'sdn.csv:6832 (ent_num 27197)')]));
    expect(g.parties.get('ofac-placeholder-beratex')!.programs).toEqual([]);
    expect(g.parties.get('ofac-beratex-loaded')!.programs).toEqual([]);
    const lines = entities(ftmLines(g));
    for (const id of ['ofac-placeholder-beratex', 'ofac-beratex-loaded']) {
      const e = lines.find((x) => x.id === id)!;
      expect([id, e.target, e.properties.topics, e.properties.program]).toEqual([id, false, undefined, undefined]);
      expect(lines.filter((x) => x.schema === 'Sanction' && x.properties.entity.includes(id))).toEqual([]);
    }
    // The listed aircraft keeps its three programs in one Sanction.
    const sanctions = lines.filter((x) => x.schema === 'Sanction' && x.properties.entity.includes('ofac-27197'));
    expect(sanctions.map((s) => [...s.properties.program].sort())).toEqual([[...aircraft.programs.map((p) => p.program)].sort()]);
  });

  test("no document has a holder that is not a LegalEntity: every vessel's and aircraft's identifier is a property of its schema or in its notes", async () => {
    const rows = r.parties.filter((p) => p.kind === 'Vessel' || p.kind === 'Aircraft').map((p) => partyRow(r, p.id));
    expect(rows.length).toBeGreaterThan(1000);
    const { lines } = await ftmOf(rows);
    const byId = new Map(lines.map((e) => [e.id, e]));
    for (const e of lines.filter((x) => x.properties.holder)) {
      for (const h of e.properties.holder) expect([e.id, e.schema, h, LEGAL.includes(byId.get(h)?.schema ?? '')]).toEqual([e.id, e.schema, h, true]);
    }
    // Every identifier is still in the file: in a property or, in words, in the notes.
    let identifiers = 0;
    for (const row of rows) {
      const e = byId.get(row.party.id as string)!;
      const values = Object.entries(e.properties).flatMap(([prop, vs]) => (prop === 'notes' ? [vs.join(' ')] : vs));
      for (const i of row.identifiers) {
        identifiers++;
        expect([e.id, i.value, values.some((v) => v === i.value || v.includes(`${i.label ?? i.type}: ${i.value}`))]).toEqual([e.id, i.value, true]);
      }
    }
    expect(identifiers).toBeGreaterThan(1000);
    // The aircraft's Mode S transponder code (type other, which FtM's Airplane has no property for) is in
    // its notes; its serial number in serialNumber.
    const aircraft = byId.get('ofac-27197')!;
    expect(aircraft.schema).toBe('Airplane');
    expect(aircraft.properties.notes.join('\n')).toContain('Aircraft Mode S Transponder Code: 140AE7');
    expect(aircraft.properties.serialNumber).toEqual(['258512']);
    // A vessel's IMO number registered in Russia: imoNumber, the country in words.
    const vessel = byId.get('ofac-34942')!;
    expect(vessel.properties.imoNumber).toEqual(['9256860']);
    expect(vessel.properties.notes.join('\n')).toContain('9256860 country: Russia');
  });

  /** Real people and a placeholder for the links the list does not state (the SDN CSV's links are all "Linked To"). */
  function people(n: number): PartyRow[] {
    return r.parties.filter((p) => p.kind === 'Person').slice(0, n).map((p) => partyRow(r, p.id));
  }

  test("Employment's employer is an Organization: a LegalEntity employer is written as one, a person employer makes an UnknownLink", async () => {
    const [a, b] = people(2);
    const employer = placeholderRow('ofac-employer', 'EMPLOYER LLC', []);
    const [ida, idb] = [a.party.id as string, b.party.id as string];
    // The FtM import reads an Employment as ASSOCIATE labelled "Employment: <role>".
    const { lines } = await ftmOf([a, b, employer], [edge('e1', 'ASSOCIATE', ida, 'ofac-employer', 'Employment: driver', 'x:1'), edge('e2', 'ASSOCIATE', ida, idb, 'Employment: driver', 'x:2')]);
    const byId = new Map(lines.map((e) => [e.id, e]));
    const employments = lines.filter((e) => e.schema === 'Employment');
    expect(employments.map((e) => [e.properties.employee, e.properties.employer, e.properties.role])).toEqual([[[ida], ['ofac-employer'], ['driver']]]);
    expect(byId.get('ofac-employer')!.schema).toBe('Organization');
    const unknown = lines.filter((e) => e.schema === 'UnknownLink');
    expect(unknown.map((e) => [e.properties.subject, e.properties.object])).toEqual([[[ida], [idb]]]);
  });

  test('the file does not depend on the order the relationships come in: each schema is decided from all the links', async () => {
    const [person, owner] = people(2);
    const [p, o] = [person.party.id as string, owner.party.id as string];
    const x = placeholderRow('ofac-x', 'X HOLDING', []);
    // X is an asset (Ownership: a Company) and a relative (Family: a Person).
    const edges = [edge('e1', 'OWNERSHIP', o, 'ofac-x', 'Owned or Controlled By', 'x:1'), edge('e2', 'FAMILY', p, 'ofac-x', 'Relative', 'x:2'), edge('e3', 'FAMILY', o, 'ofac-x', 'Relative', 'x:3')];
    const rows = [person, owner, x];
    const one = await ftmOf(rows, edges);
    const other = await ftmOf(rows, [...edges].reverse());
    expect(other.text).toBe(one.text);
    // Two Family links against one Ownership: X is a Person, the Ownership an UnknownLink.
    expect(one.lines.find((e) => e.id === 'ofac-x')!.schema).toBe('Person');
    expect(one.lines.filter((e) => e.schema === 'Family')).toHaveLength(2);
    expect(one.lines.filter((e) => e.schema === 'UnknownLink').map((e) => e.properties.summary)).toEqual([['OWNERSHIP (FtM Ownership cannot join a Person and a Person)']]);
    // The other formats keep one order too.
    const g1 = await readEvidence(fakeDb(rows), subgraphOf(rows, edges));
    const g2 = await readEvidence(fakeDb(rows), subgraphOf(rows, [...edges].reverse()));
    expect(g2.edges).toEqual(g1.edges);
  });

  test('an identifier two datasets state, and two links told apart only by their record, are each one FtM id', async () => {
    const row = partyRow(r, 'ofac-11951');
    const [other] = people(1);
    expect(row.identifiers.length).toBeGreaterThan(0);
    // The same identifiers restated by a second dataset (as OpenSanctions' consolidated list restates OFAC's).
    const restated = { ...row, identifiers: [...row.identifiers, ...row.identifiers.map((i) => ({ ...i, dataset: 'us_ofac_sdn', record: 'entities.ftm.json:7' }))] };
    const id = row.party.id as string;
    const { lines } = await ftmOf(
      [restated, other],
      [edge('e1', 'UNKNOWN_LINK', id, other.party.id as string, 'Linked To', 'sdn.csv:1'), edge('e2', 'UNKNOWN_LINK', id, other.party.id as string, 'Linked To', 'sdn.csv:2')],
    );
    const ids = lines.map((e) => e.id);
    expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
    const documents = lines.filter((e) => e.properties.holder?.includes(id));
    expect(documents.length).toBeGreaterThan(0);
    for (const d of documents) expect([d.id, [...d.properties.recordId].sort()]).toEqual([d.id, [row.identifiers[0].record, 'entities.ftm.json:7'].sort()]);
    expect(lines.filter((e) => e.schema === 'UnknownLink').map((e) => e.properties.recordId)).toEqual([['sdn.csv:1'], ['sdn.csv:2']]);
  });

  test('Sanction: programId only for codes, listingDate without a repeated startDate', async () => {
    const row = partyRow(r, 'ofac-27197');
    // A program the source names in words (OpenSanctions' FtM data writes some so), and a designation date.
    const words = 'Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209 (secondary sanctions risk)';
    const listed = { ...row, party: { ...row.party, listedOn: '2014-12-19' }, programs: [...row.programs, { ...row.programs[0], program: words }] };
    const { lines } = await ftmOf([listed]);
    const [sanction] = lines.filter((e) => e.schema === 'Sanction');
    expect(sanction.properties.program).toContain(words);
    expect(sanction.properties.programId).toEqual(row.programs.map((p) => p.program));
    expect(sanction.properties.listingDate).toEqual(['2014-12-19']);
    expect(sanction.properties.startDate).toBeUndefined();
    expect(lines.find((e) => e.id === 'ofac-27197')!.properties.programId).toEqual(row.programs.map((p) => p.program));
  });
});

test('dates that are no calendar dates stay in words', () => {
  for (const s of ['1973-13-45', '1973-02-30', '1973-00', '31 Feb 1973', '30 Feb 1960 to 31 Dec 1962']) expect([s, ftmDates(s)]).toEqual([s, null]);
  for (const [s, iso] of [['29 Feb 1972', ['1972-02-29']], ['1973-12-31', ['1973-12-31']], ['1973-12', ['1973-12']]] as const) expect([s, ftmDates(s)]).toEqual([s, iso]);
});

test("countries that no longer exist get FtM's codes for them; others their ISO code or null", () => {
  const codes = ['Soviet Union', 'USSR', 'Yugoslavia', 'Czechoslovakia', 'Netherlands Antilles', 'Russia', 'Atlantis'].map(ftmCountry);
  expect(codes).toEqual(['suhh', 'suhh', 'yucs', 'cshh', 'an', 'ru', null]);
});

test('programId takes codes only', () => {
  expect(['SDGT', 'IRAN-EO13902', 'UKRAINE-EO13661', 'US-OFAC-SDN'].map(isProgramCode)).toEqual([true, true, true, true]);
  expect(['Secondary sanctions risk', 'X'.repeat(65), ''].map(isProgramCode)).toEqual([false, false, false]);
});
