/**
 * Makes the bulk screening benchmark's input (bench/screen.ts, part 3): a CSV file of N rows (10,000 by
 * default) in the columns of the bulk contract, from the labelled queries made from the real lists
 * (bench/search-labelled.jsonl and bench/screen-labelled.jsonl, both generated from the OFAC SDN list of
 * 2024-05-03 and the UN list of 2025-11-18). Deterministic: row i depends on i alone.
 *
 *   node --import tsx bench/screen-rows.ts [--rows 10000] [--out .data/bench-screen/rows.csv]
 *
 * Rows, by the prefix of their `ref` (the bench reports the match rate of each):
 *   listed-  a listed party's name misspelt, reordered, with its legal form changed, an alias with a typo,
 *            or in another script (the search set's queries, in turn);            45%
 *   clean-   a made-up name (first name, middle initial, surname from lists of common English and
 *            European names), a third with a birth year and a country;                25%
 *   id-      an email, phone, wallet, website or document number of the lists typed loosely, in the
 *            column of its type (a number typed without a type in `identifiers`);  15%
 *   year-    a misspelt person's name with birth year and country, or a shared name with a birth year; 15%
 *   bad-     every 500th row: no name and no identifier, a birth date that is none ("31/31/1973"), an
 *            unknown kind: each must come back as an error row with its line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../server/core/settings';
import { LABELLED_FILE, type Labelled } from './search-labelled';
import { SCREEN_LABELLED_FILE, type ScreenLabelled } from './screen-labelled';

export const ROW_COLUMNS = ['ref', 'name', 'kind', 'birth_date', 'country', 'email', 'phone', 'wallet', 'website', 'passport', 'identifiers'] as const;
type Row = Partial<Record<(typeof ROW_COLUMNS)[number], string>>;

const FIRST = ['Harriet', 'Oliver', 'Margaret', 'Thomas', 'Eleanor', 'Samuel', 'Beatrice', 'Frederick', 'Agnes', 'Leopold', 'Clara', 'Henrik', 'Ingrid', 'Matthias', 'Sofie', 'Julien', 'Camille', 'Pieter', 'Annelies', 'Rupert', 'Imogen', 'Callum', 'Fiona', 'Lars', 'Greta', 'Tobias', 'Elodie', 'Bastian', 'Marit', 'Anselm'];
const SURNAME = ['Pemberton', 'Ashdown', 'Whitcombe', 'Thornbury', 'Lindqvist', 'Van der Berg', 'Fairweather', 'Holloway', 'Kettering', 'Marchetti', 'Oakhurst', 'Brightwell', 'Sandoval', 'Duchesne', 'Haverford', 'Wexley', 'Cartwright', 'Rosendahl', 'Blackmore', 'Eberhardt', 'Lockwood', 'Penhaligon', 'Stirling', 'Vandersloot', 'Winterbourne', 'Abernethy', 'Castellane', 'Fenwick', 'Granville', 'Moreau'];
const COUNTRIES = ['United Kingdom', 'Germany', 'France', 'Netherlands', 'Sweden', 'Norway', 'Ireland', 'Canada'];

function jsonLines<T>(file: string): T[] {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: see bench/screen-labelled.md for how it is made`);
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

/** A CSV cell: quoted when it holds a comma, quote or line break (RFC 4180). */
const cell = (v: string | undefined) => (v === undefined ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const IDENTIFIER_COLUMN: Record<string, (typeof ROW_COLUMNS)[number]> = { email: 'email', phone: 'phone', wallet: 'wallet', website: 'website', passport: 'passport' };

/** The rows, header first, each line ending in CRLF. */
export function makeScreenRows(n: number): string {
  const names = jsonLines<Labelled>(LABELLED_FILE);
  const screenSet = jsonLines<ScreenLabelled>(SCREEN_LABELLED_FILE);
  const ids = screenSet.filter((l) => l.category.startsWith('id-'));
  const withYear = screenSet.filter((l) => !l.category.startsWith('id-'));
  const lines = [ROW_COLUMNS.join(',')];
  const counter: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    let row: Row;
    const slot = i % 20; // 9 listed, 5 clean, 3 id, 3 year in every 20 rows
    const k = Math.floor(i / 20);
    if (i % 500 === 499) {
      const bad = [{ country: 'Germany' }, { name: 'Harriet Pemberton', birth_date: '31/31/1973' }, { name: 'Oliver Ashdown', kind: 'spaceship' }][k % 3];
      row = { ref: 'bad', ...bad };
    } else if (slot < 9) {
      const l = names[(k * 9 + slot) % names.length];
      row = { ref: 'listed', name: l.query };
    } else if (slot < 14) {
      const j = k * 5 + slot - 9;
      const f = FIRST[j % FIRST.length];
      const s = SURNAME[Math.floor(j / FIRST.length) % SURNAME.length];
      const initial = String.fromCharCode(65 + ((j * 7) % 26));
      row = { ref: 'clean', name: `${f} ${initial}. ${s}`, kind: 'individual' };
      if (j % 3 === 0) Object.assign(row, { birth_date: String(1950 + (j % 50)), country: COUNTRIES[j % COUNTRIES.length] });
    } else if (slot < 17) {
      const l = ids[(k * 3 + slot - 14) % ids.length];
      const x = l.query.identifiers![0];
      const column = x.type ? IDENTIFIER_COLUMN[x.type] : undefined;
      row = { ref: 'id', ...(column ? { [column]: x.value.trim() } : { identifiers: x.value.trim() }), ...(x.country ? { country: x.country } : {}) };
    } else {
      const q = withYear[(k * 3 + slot - 17) % withYear.length].query;
      row = { ref: 'year', name: q.name, kind: q.kind, birth_date: q.birthDate, country: q.country };
    }
    counter[row.ref!] = (counter[row.ref!] ?? 0) + 1;
    row.ref = `${row.ref}-${counter[row.ref!]}`;
    lines.push(ROW_COLUMNS.map((c) => cell(row[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const n = Number(arg('--rows') ?? 10_000);
  const out = path.resolve(arg('--out') ?? path.join(REPO_ROOT, '.data', 'bench-screen', 'rows.csv'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, makeScreenRows(n));
  console.error(`${n} rows -> ${path.relative(REPO_ROOT, out)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
