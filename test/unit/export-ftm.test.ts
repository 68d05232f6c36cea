/**
 * Dates in FollowTheMoney's form (export-ftm.ts ftmDates): every date of birth the real OFAC SDN list of
 * 2024-05-03 states ("DOB ..." in its remarks) becomes ISO 8601 values whose years are the ones the
 * source wrote, or stays in words (null) only when its meaning is not plain; countries and program codes.
 * Pure functions on plain values; the FtM lines of subgraphs read from the real Neo4j are tested in
 * test/integration/export-ftm.int.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ftmCountry, ftmDates, isProgramCode } from '../../server/api/export-ftm';
import { REPO_ROOT } from '../../server/core/settings';

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
