/**
 * How a party is stored (server/core/party-node.ts): fromNode(toNode(x)) gives x back for every party
 * every parser reads from the real sample lists, and the node holds only what Neo4j can store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FORMATS } from '../../ingest/formats';
import { fromNode, toNode } from '../../server/core/party-node';
import type { PartyRecord } from '../../server/core/model';
import { SHARED } from '../helpers';

const SAMPLES: [string, string, { release?: string; dataset?: string }][] = [
  ['ofac-csv', 'ofac-sdn-csv-2024-05-03', { release: '2024-05-03' }],
  ['ofac-csv', 'ofac-cons-csv-2025-12-19', { release: '2025-12-19' }],
  ['ofac-enhanced-xml', 'ofac-cons-enhanced-xml-2025-01-10', {}],
  ['ofac-advanced-xml', 'ofac-cons-advanced-xml-2020-03-17', {}],
  ['ofac-classic-xml', 'ofac-cons-classic-xml-2018-04-06', {}],
  ['un-xml', 'un-consolidated-xml-2025-11-18', {}],
  ['ftm', 'opensanctions-ftm/zala', { release: '2024-05-27' }],
];

/** The stored form of "the source does not say when it was listed" is null. */
const canonical = (p: PartyRecord): PartyRecord => ({ ...p, listedOn: p.listedOn ?? null });

describe('fromNode(toNode(party)) is the party, for every parser', () => {
  test.each(SAMPLES)('%s: %s', async (format, folder, opts) => {
    const dir = path.join(SHARED, folder);
    const files = fs.readdirSync(dir).filter((f) => !/\.(md|xsd)$/.test(f)).map((f) => path.join(dir, f));
    const parsed = await FORMATS.find((f) => f.name === format)!.parse(files, { ...opts, releaseFrom: opts.release ? 'flag' : undefined });
    expect(parsed.parties.length).toBeGreaterThan(0);
    for (const p of parsed.parties) expect(fromNode({ ...toNode(p) })).toEqual(canonical(p));
    // Neo4j stores no maps, no nulls inside lists and no undefined.
    for (const p of parsed.parties.slice(0, 500)) {
      for (const [k, v] of Object.entries(toNode(p))) {
        expect([k, v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v))]).toEqual([k, false]);
        if (Array.isArray(v)) expect(v.every((x) => typeof x === 'string')).toBe(true);
      }
    }
  });

  test('vessel details, alias types and qualities survive; a placeholder reads as a bare LegalEntity', () => {
    const vessel: PartyRecord = {
      id: 'v1', kind: 'Vessel', name: 'SEA STAR', aliases: [{ name: 'STAR', type: 'f.k.a.', quality: 'weak' }, { name: 'S', type: 'a.k.a.', quality: null }],
      programs: ['X'], birthDates: [], birthPlaces: [], nationalities: [], citizenships: [], gender: null, titles: [], remarks: null, listedOn: '2020-01-01',
      vessel: { callSign: 'HMXY', type: null, tonnage: null, grossTonnage: '2500', flag: 'North Korea', owner: null },
      provenance: { dataset: 'd', release: '2024-01-01', record: 'f:1' },
    };
    expect(fromNode({ ...toNode(vessel) })).toEqual(vessel);
    expect(fromNode({ id: 'x', kind: 'LegalEntity', name: 'X', aliasNames: [], dataset: 'd', release: 'r', record: 'f:2' })).toMatchObject({
      id: 'x', kind: 'LegalEntity', name: 'X', aliases: [], programs: [], vessel: null, listedOn: null,
    });
  });
});
