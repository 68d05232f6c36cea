/**
 * The Chinyong network as the explorer receives it from the API (GraphQL `Node` / `Edge` shapes), for the
 * client unit tests. Party data is from the 2024-05-03 OFAC sdn.csv (test/fixtures/ofac-sdn-2024-05-03-
 * excerpt.csv): 48260 and 48261 are "Linked To" 43379, 48262 is "Linked To" 48261, all four are under
 * DPRK2 (109 relationships in that release). Identifier ids are made by the ingest's own normaliser, so
 * they look exactly like the ids the URL has to carry. Edge ids are Neo4j element ids.
 */
import { identifierRecord } from '../../server/core/text/normalize';
import type { GraphEdge, GraphNode } from '../../client/src/api';

export function node(id: string, kind: GraphNode['kind'], label: string, degree: number, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, kind, label, degree, placeholder: false, delistedOn: null, listedOn: null, programs: [], datasets: [], ...extra };
}

let seq = 0;
/** A relationship with a Neo4j element id, as the API returns it. */
export function edge(source: string, target: string, type: GraphEdge['type'], label: string | null = null): GraphEdge {
  seq++;
  return {
    id: `5:4c1d0e5e-8f0b-4f7a-9d2a-2b6f1c3e7a90:${1000 + seq}`,
    source,
    target,
    type,
    label,
    dataset: 'ofac-sdn',
    release: '2024-05-03',
    record: `sdn.csv:${14000 + seq} (ent_num ${source.replace(/^ofac-/, '')})`,
    percentage: null,
  };
}

export const CHINYONG = 'ofac-43379';
export const ALIS = 'ofac-48260';
export const PIONEER = 'ofac-48261';
export const JON = 'ofac-48262';
export const DPRK2 = 'DPRK2';
export const TAX_ID = identifierRecord('taxId', '2543103179', 'Russia').key;
export const REG_NO = identifierRecord('registrationNumber', '1162536087230', 'Russia').key;
export const PASSPORT = identifierRecord('passport', '927233154', 'Korea, North').key;

export const N = {
  chinyong: node(CHINYONG, 'Organization', 'CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY', 3, { programs: ['DPRK2'], datasets: ['ofac-sdn'] }),
  alis: node(ALIS, 'Organization', 'LIMITED LIABILITY COMPANY ALIS', 4, { programs: ['DPRK2'], datasets: ['ofac-sdn'] }),
  pioneer: node(PIONEER, 'Organization', 'PIONEER BENCONT STAR REAL ESTATE', 3, { programs: ['DPRK2'], datasets: ['ofac-sdn'] }),
  jon: node(JON, 'Person', 'JON, Yun Gun', 3, { programs: ['DPRK2'], datasets: ['ofac-sdn'] }),
  dprk2: node(DPRK2, 'Program', 'DPRK2', 109),
  taxId: node(TAX_ID, 'Identifier', '2543103179', 1),
  regNo: node(REG_NO, 'Identifier', '1162536087230', 1),
  passport: node(PASSPORT, 'Identifier', '927233154', 1),
};

export const E = {
  alisChinyong: edge(ALIS, CHINYONG, 'UNKNOWN_LINK', 'Linked To'),
  pioneerChinyong: edge(PIONEER, CHINYONG, 'UNKNOWN_LINK', 'Linked To'),
  jonPioneer: edge(JON, PIONEER, 'UNKNOWN_LINK', 'Linked To'),
  chinyongDprk2: edge(CHINYONG, DPRK2, 'SANCTION'),
  alisDprk2: edge(ALIS, DPRK2, 'SANCTION'),
  pioneerDprk2: edge(PIONEER, DPRK2, 'SANCTION'),
  jonDprk2: edge(JON, DPRK2, 'SANCTION'),
  alisTaxId: edge(ALIS, TAX_ID, 'HAS_IDENTIFIER', 'Tax ID No.'),
  alisRegNo: edge(ALIS, REG_NO, 'HAS_IDENTIFIER', 'Registration Number'),
  jonPassport: edge(JON, PASSPORT, 'HAS_IDENTIFIER', 'Passport'),
};

/** What a search for "chinyong" then "expand" (UNKNOWN_LINK) brings: 43379 and the two linked to it. */
export const CHINYONG_1HOP = {
  nodes: [N.chinyong, N.alis, N.pioneer],
  edges: [E.alisChinyong, E.pioneerChinyong],
};
