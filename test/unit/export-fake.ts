/**
 * A stand-in for the database in the unit tests of the export (export-ftm, export-formats): it answers
 * the four reads of readEvidence (cypher/api-export-*.cypher) with rows of the shapes those queries
 * return, made from the real OFAC SDN list of 2024-05-03 as the project's own parser reads it (one party
 * node as the loader writes it, one HAS_IDENTIFIER/HAS_ADDRESS a party, identifier and dataset, as the
 * loader's MERGE makes them). Tests that need a case the list does not hold add it to these rows and say so.
 */
import path from 'node:path';
import type { Database } from '../../server/core/neo4j/database';
import type { ParsedRelease } from '../../server/core/model';
import { toNode } from '../../server/core/party-node';
import type { DatasetInfo, ExportAddress, ExportIdentifier, PartyRow } from '../../server/api/export-evidence';
import type { GraphEdge, GraphNode, Subgraph } from '../../server/api/graph';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { REPO_ROOT } from '../../server/core/settings';

export const SDN = path.join(REPO_ROOT, '..', 'shared', 'data', 'sanctions', 'ofac-sdn-csv-2024-05-03', 'sdn.csv');

let parsed: Promise<ParsedRelease> | null = null;
export function sdn(): Promise<ParsedRelease> {
  return (parsed ??= parseOfacCsv([SDN], { release: '2024-05-03' }));
}

/** The row api-export-parties gives for one party of the parsed list. */
export function partyRow(r: ParsedRelease, id: string): PartyRow {
  const p = r.parties.find((x) => x.id === id);
  if (!p) throw new Error(`${id} is not in ${SDN}`);
  const identifiers = new Map<string, ExportIdentifier>();
  for (const i of r.identifiers.filter((x) => x.partyId === id)) {
    if (identifiers.has(i.identifier.key)) continue;
    const { key, type, value, country } = i.identifier;
    identifiers.set(key, { id: key, type, value, country, label: i.label, issued: i.issued, expires: i.expires, ...i.provenance });
  }
  const addresses: ExportAddress[] = r.addresses
    .filter((a) => a.partyId === id)
    .map((a) => ({ id: a.address.key, full: a.address.full, street: a.address.street, city: a.address.city, country: a.address.country, ...a.provenance }));
  return {
    party: { ...toNode(p), datasets: [r.dataset], firstSeen: r.release },
    placeholder: false,
    addresses,
    identifiers: [...identifiers.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    programs: [...p.programs].sort().map((program) => ({ program, ...p.provenance })),
  };
}

/** A placeholder as the loader makes one for a name a link uses (kind LegalEntity, no programs). */
export function placeholderRow(id: string, name: string, programs: PartyRow['programs']): PartyRow {
  return { party: { id, kind: 'LegalEntity', name, dataset: 'ofac-sdn', release: '2024-05-03', record: null }, placeholder: true, addresses: [], identifiers: [], programs };
}

export function nodeOf(row: PartyRow): GraphNode {
  const programs = row.programs.map((g) => g.program).filter((g): g is string => typeof g === 'string');
  return { id: String(row.party.id), kind: row.party.kind as GraphNode['kind'], label: String(row.party.name), degree: 1, placeholder: row.placeholder, programs, listedOn: null, delistedOn: null, datasets: row.placeholder ? [] : [String(row.party.dataset)] };
}

export function edge(id: string, type: GraphEdge['type'], source: string, target: string, label: string | null, record: string | null, dataset = 'ofac-sdn'): GraphEdge {
  return { id, type, source, target, label, dataset, release: '2024-05-03', record, percentage: null };
}

/**
 * A Database whose reads answer readEvidence from these rows (what api-export-parties, -edges, -facts
 * and -datasets would return for them); any other read is an error of the test.
 */
export function fakeDb(rows: PartyRow[], facts: { kind: string; fact: Record<string, string | null> }[] = []): Database {
  const datasets: DatasetInfo[] = [{ name: 'ofac-sdn', title: 'OFAC Specially Designated Nationals', publisher: 'OFAC', release: '2024-05-03', releases: ['2024-05-03'], loadedAt: null }];
  const answers: Record<string, (params: Record<string, unknown>) => unknown[]> = {
    'api-export-parties': (q) => rows.filter((r) => (q.ids as string[]).includes(String(r.party.id))),
    'api-export-edges': () => [],
    'api-export-facts': (q) => facts.filter((f) => (q.ids as string[]).includes(String(f.fact.id))),
    'api-export-datasets': (q) => datasets.filter((d) => (q.names as string[]).includes(d.name)),
  };
  return {
    read: async (name: string, params: Record<string, unknown>) => {
      const answer = answers[name];
      if (!answer) throw new Error(`the export read ${name}, which the fake does not answer`);
      return answer(params);
    },
  } as unknown as Database;
}

export function subgraphOf(rows: PartyRow[], edges: GraphEdge[], facts: GraphNode[] = []): Subgraph {
  return { nodes: [...rows.map(nodeOf), ...facts], edges, truncated: false };
}
