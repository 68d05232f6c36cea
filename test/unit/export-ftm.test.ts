/**
 * Dates in FollowTheMoney's form (export-ftm.ts ftmDates): every date of birth the real OFAC SDN list of
 * 2024-05-03 states ("DOB ..." in its remarks) becomes ISO 8601 values whose years are the ones the
 * source wrote, or stays in words (null) only when its meaning is not plain.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ftmDates } from '../../server/api/export-ftm';
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
