/**
 * OpenSanctions FollowTheMoney exports made larger from the real ones, for the FtM parse's memory test
 * and bench (ingest/sources/ftm-join.ts): the entities of the real exports in
 * ../shared/data/sanctions/opensanctions-ftm (zala and EU FSF, 98 entities) copied N times. Copy 0 is
 * the real lines byte for byte; copy k gives every entity the id `<id>.c<k>` and points every reference
 * to an entity of the real files (a Sanction's party, an Ownership's ends, a party's Address entities)
 * at the same copy's entity; references to ids the real files do not hold stay as they are, shared by
 * all copies, as in the real export. Deterministic: the same arguments give the same bytes.
 *
 * `scramble` (for small outputs only: it holds the lines) puts the lines in a seeded random order, so
 * that references come before and after what they name, and cuts each party with four or more
 * properties into two fragments of the same id (the first under its parent schema LegalEntity where
 * FtM allows it), placed apart: the parser must merge them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../server/core/settings';
import { OutFile } from './writer';
import { Rng } from './random';

const FTM = path.join(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'opensanctions-ftm');
export const FTM_SOURCES = [path.join(FTM, 'zala', 'entities.ftm.json'), path.join(FTM, 'eu-fsf-t1', 'entities.ftm.json')];

export interface FtmCopiesOptions {
  copies: number;
  /** The file to write. */
  out: string;
  sources?: string[];
  /** Seed of the line order and fragments (see above); unset: copies one after the other, lines in their order. */
  scramble?: string;
}

export interface FtmCopies {
  file: string;
  /** Entities written (a fragmented entity counts once). */
  entities: number;
  lines: number;
  bytes: number;
}

interface Entity {
  id: string;
  schema: string;
  properties: Record<string, unknown[]>;
  [k: string]: unknown;
}

/** Schemata whose fragments may say LegalEntity (FtM merges the two into the more specific). */
const LEGAL_ENTITIES = new Set(['Person', 'Company', 'Organization', 'LegalEntity']);

export async function writeFtmCopies(o: FtmCopiesOptions): Promise<FtmCopies> {
  const sources = o.sources ?? FTM_SOURCES;
  const real = sources.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== ''));
  const entities = real.map((l) => JSON.parse(l) as Entity);
  const ids = new Set(entities.map((e) => e.id));
  const copyOf = (e: Entity, k: number): string => {
    const id = (v: unknown) => (typeof v === 'string' && ids.has(v) ? `${v}.c${k}` : v);
    const properties = Object.fromEntries(Object.entries(e.properties).map(([p, vs]) => [p, vs.map(id)]));
    return JSON.stringify({ ...e, id: id(e.id), properties });
  };
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  const out = new OutFile(o.out);
  let lines = 0;
  if (!o.scramble) {
    for (let k = 0; k < o.copies; k++) {
      for (let i = 0; i < real.length; i++) {
        await out.write(`${k === 0 ? real[i] : copyOf(entities[i], k)}\n`);
        lines++;
      }
    }
  } else {
    const r = new Rng(o.scramble);
    const all: string[] = [];
    for (let k = 0; k < o.copies; k++) {
      for (let i = 0; i < real.length; i++) {
        const line = k === 0 ? real[i] : copyOf(entities[i], k);
        const e = JSON.parse(line) as Entity;
        const props = Object.keys(e.properties);
        if (props.length < 4 || !LEGAL_ENTITIES.has(e.schema)) {
          all.push(line);
          continue;
        }
        const cut = r.int(1, props.length - 1);
        const part = (ps: string[], schema: string) => JSON.stringify({ ...e, schema, properties: Object.fromEntries(ps.map((p) => [p, e.properties[p]])) });
        all.push(part(props.slice(0, cut), r.chance(0.5) ? 'LegalEntity' : e.schema), part(props.slice(cut), e.schema));
      }
    }
    // Fisher-Yates, seeded.
    for (let i = all.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [all[i], all[j]] = [all[j], all[i]];
    }
    for (const l of all) await out.write(`${l}\n`);
    lines = all.length;
  }
  const bytes = await out.close();
  return { file: o.out, entities: real.length * o.copies, lines, bytes };
}
