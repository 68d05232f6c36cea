/**
 * What the load bench sends: the honest mix (the explorer's own GraphQL documents and the export
 * endpoint, on names and parties of the bundled SDN file, sampled with a seed) and the abusive shapes of
 * issue 10 (alias amplification, ALL_SHORTEST through program hubs, 3-hop neighbourhoods of hubs,
 * 100-word filtered searches).
 *
 * Which parties are linked and which programs are hubs is asked of the server itself, through the public
 * API, once before the runs (a few dozen requests).
 */
import { FACT_KIND_NAMES, LINK_TYPES as MODEL_LINK_TYPES } from '../server/core/model';
import { DOCUMENTS } from '../client/src/api';
import { misspell } from './api';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { REPO_ROOT } from '../server/core/settings';
import { REL_TYPE_NAMES } from '../server/core/model';

export const SDN_FILE = path.join(REPO_ROOT, 'ingest', 'demo', 'ofac-sdn-2024-05-03', 'sdn.csv');

/** One request as autocannon sends it, with the query type it is counted under. */
export interface LoadRequest {
  type: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** mulberry32: a small seeded PRNG, so that every run sends the same sequence per client. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

function sample<T>(rnd: () => number, xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

// The explorer's own requests, exactly as it sends them (client/src/api.ts); the neighbourhood with a
// depth of the bench's choosing, on the explorer's fragments.
const SEARCH = DOCUMENTS.search;
const ENTITY = DOCUMENTS.entity;
const PATHS = DOCUMENTS.paths;
const NEIGHBORHOOD = `query Expand($ids: [ID!]!, $depth: Int, $limit: Int) {
  neighborhood(ids: $ids, depth: $depth, limit: $limit) { ...SubgraphFields }
}
${DOCUMENTS.subgraphFragments}`;

/** Relationship types between parties (no program membership, addresses, identifiers or candidate matches). */
const LINK_TYPES: string[] = MODEL_LINK_TYPES;
const NON_PARTY_KINDS = new Set<string>(FACT_KIND_NAMES);

function graphql(type: string, query: string, variables: Record<string, unknown>): LoadRequest {
  return { type, method: 'POST', path: '/graphql', body: JSON.stringify({ query, variables }), headers: { 'content-type': 'application/json' } };
}

/** The honest mix: query type and weight (share of requests sent). */
export const HONEST_MIX: readonly [string, number][] = [
  ['search', 30],
  ['entity', 25],
  ['neighborhood1', 20],
  ['neighborhood2', 10],
  ['paths', 10],
  ['export', 5],
];

export const ABUSIVE_CLASSES = ['amplification', 'hubPaths', 'hub3hop', 'hugeSearch'] as const;

/** What the requests are made of: sampled from the SDN file, then completed by asking the server. */
export interface Workload {
  names: string[];
  ids: string[];
  linkedPairs: [string, string][];
  /** Program ids by number of members, most first, with some members of each. */
  hubs: { id: string; degree: number; members: string[] }[];
  /** The most frequent word of the sampled names (for the amplification's first:100 search). */
  commonWord: string;
  words: string[];
}

interface SdnRow {
  id: string;
  name: string;
  remarks: string;
}

function readSdn(): SdnRow[] {
  const rows = parse(fs.readFileSync(SDN_FILE), { relax_column_count: true, relax_quotes: true }) as string[][];
  return rows
    .filter((r) => /^\d+$/.test(r[0] ?? '') && r[1])
    .map((r) => ({ id: `ofac-${r[0]}`, name: r[1].trim(), remarks: (r[11] ?? '').trim() }));
}

type Post = (body: { query: string; variables: Record<string, unknown> }) => Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>;

/** Samples names and parties with `seed` and asks the server for linked pairs and program hubs. */
export async function buildWorkload(seed: number, post: Post): Promise<Workload> {
  const rnd = prng(seed);
  const rows = readSdn();
  const picked = sample(rnd, rows, 500);
  const names = picked.map((r) => r.name);
  const ids = picked.map((r) => r.id);

  // Linked pairs: parties the SDN file links to another ("Linked To:"), paired with a party one or two
  // link hops away (breadth-first over the returned subgraph).
  const linkedSeeds = sample(rnd, rows.filter((r) => r.remarks.includes('Linked To:')), 40);
  const linkedPairs: [string, string][] = [];
  for (const s of linkedSeeds) {
    const r = await post({
      query: `query($ids: [ID!]!, $types: [RelationType!]) { neighborhood(ids: $ids, depth: 2, limit: 100, relationTypes: $types) { nodes { id kind } edges { source target } } }`,
      variables: { ids: [s.id], types: LINK_TYPES },
    });
    const g = r.data?.neighborhood as { nodes: { id: string; kind: string }[]; edges: { source: string; target: string }[] } | undefined;
    if (!g) continue;
    const adj = new Map<string, string[]>();
    for (const e of g.edges) {
      adj.set(e.source, [...(adj.get(e.source) ?? []), e.target]);
      adj.set(e.target, [...(adj.get(e.target) ?? []), e.source]);
    }
    const dist = new Map([[s.id, 0]]);
    const queue = [s.id];
    while (queue.length) {
      const n = queue.shift()!;
      for (const m of adj.get(n) ?? []) {
        if (dist.has(m)) continue;
        dist.set(m, dist.get(n)! + 1);
        queue.push(m);
      }
    }
    const parties = g.nodes.filter((n) => n.id !== s.id && !NON_PARTY_KINDS.has(n.kind) && dist.has(n.id));
    const far = parties.filter((n) => dist.get(n.id) === 2);
    const to = (far.length ? far : parties)[0];
    if (to) linkedPairs.push([s.id, to.id]);
  }

  // Hubs: the programs of 100 sampled parties (the most one neighborhood takes), by number of members.
  const r = await post({
    query: `query($ids: [ID!]!) { neighborhood(ids: $ids, depth: 1, limit: 1000, relationTypes: [SANCTION]) { nodes { id kind degree } edges { source target } } }`,
    variables: { ids: ids.slice(0, 100) },
  });
  const g = r.data?.neighborhood as { nodes: { id: string; kind: string; degree: number }[]; edges: { source: string; target: string }[] } | undefined;
  const programs = (g?.nodes ?? []).filter((n) => n.kind === 'Program').sort((a, b) => b.degree - a.degree || a.id.localeCompare(b.id));
  const hubs = programs.slice(0, 4).map((p) => ({
    id: p.id,
    degree: p.degree,
    members: g!.edges.filter((e) => e.target === p.id).map((e) => e.source).concat(g!.edges.filter((e) => e.source === p.id).map((e) => e.target)),
  }));

  const words = names.flatMap((n) => n.split(/[\s,.;()'"-]+/)).filter((w) => w.length >= 3);
  const freq = new Map<string, number>();
  for (const w of words) freq.set(w.toUpperCase(), (freq.get(w.toUpperCase()) ?? 0) + 1);
  const commonWord = [...freq.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  if (linkedPairs.length === 0) throw new Error('load bench: the server returned no linked parties (is the demo data loaded?)');
  if (hubs.length < 2) throw new Error('load bench: the server returned fewer than two programs');
  return { names, ids, linkedPairs, hubs, commonWord, words };
}


const EXPORT_FORMATS = ['graphml', 'json', 'gexf', 'csv', 'ftm'];

/** The next request of an honest client: a query type drawn by HONEST_MIX's weights. */
export function honestClient(w: Workload, seed: number): () => LoadRequest {
  const rnd = prng(seed);
  const total = HONEST_MIX.reduce((s, [, n]) => s + n, 0);
  return () => {
    let x = rnd() * total;
    const type = HONEST_MIX.find(([, n]) => (x -= n) < 0)![0];
    switch (type) {
      case 'search': {
        // What people type: the listed name, its first two words, or a typo of it.
        const name = pick(rnd, w.names);
        const how = rnd();
        const q = how < 0.4 ? name : how < 0.7 ? name.split(/\s+/).slice(0, 2).join(' ') : misspell(name);
        return graphql(type, SEARCH, { query: q.split(/\s+/).slice(0, 8).join(' '), first: 20 });
      }
      case 'entity':
        return graphql(type, ENTITY, { id: pick(rnd, w.ids) });
      case 'neighborhood1':
        return graphql(type, NEIGHBORHOOD, { ids: [pick(rnd, w.ids)], depth: 1, limit: 50 });
      case 'neighborhood2':
        return graphql(type, NEIGHBORHOOD, { ids: [pick(rnd, w.ids)], depth: 2, limit: 200 });
      case 'paths': {
        // The API's default relationship types (the network, not program membership).
        const [from, to] = pick(rnd, w.linkedPairs);
        return graphql(type, PATHS, { from, to, mode: rnd() < 0.5 ? 'SHORTEST' : 'ALL_SHORTEST', maxHops: 4, limit: 10 });
      }
      default: {
        const q = new URLSearchParams({ ids: pick(rnd, w.ids), depth: '1', limit: '50', format: pick(rnd, EXPORT_FORMATS) });
        return { type, method: 'GET', path: `/api/export?${q}` };
      }
    }
  };
}

/**
 * The next request of an abusive client: the classes of issue 10 in turn, starting at `start`.
 * `aliases`: how many aliased possibleMatches each hit of the amplification asks for.
 */
export function abusiveClient(w: Workload, seed: number, start: number, aliases: number): () => LoadRequest {
  const rnd = prng(seed);
  let i = start;
  const amplification = `query Amp($q: String!) { search(query: $q, first: 100) { hits { entity { id ${Array.from(
    { length: aliases },
    (_, k) => `m${k}: possibleMatches { id score }`,
  ).join(' ')} } } } }`;
  return () => {
    const type = ABUSIVE_CLASSES[i++ % ABUSIVE_CLASSES.length];
    switch (type) {
      case 'amplification':
        return graphql(type, amplification, { q: w.commonWord });
      case 'hubPaths': {
        // Two parties in different big programs, every relationship type named (SANCTION included).
        const [a, b] = sample(rnd, w.hubs, 2);
        return graphql(type, `query($from: ID!, $to: ID!, $types: [RelationType!]) { paths(from: $from, to: $to, mode: ALL_SHORTEST, maxHops: 6, limit: 50, relationTypes: $types) { length nodes { id kind label } edges { id type } } }`, {
          from: pick(rnd, a.members.length ? a.members : [a.id]),
          to: pick(rnd, b.members.length ? b.members : [b.id]),
          types: REL_TYPE_NAMES,
        });
      }
      case 'hub3hop':
        return graphql(type, NEIGHBORHOOD, { ids: [pick(rnd, w.hubs).id], depth: 3, limit: 1000 });
      default: {
        const words = Array.from({ length: 100 }, () => pick(rnd, w.words));
        return graphql(type, SEARCH, {
          query: words.join(' '),
          kinds: ['Person', 'Organization', 'Company', 'LegalEntity'],
          programs: w.hubs.map((h) => h.id),
          countries: ['Iran', 'Russia', 'Korea, North', 'Syria', 'Lebanon', 'China'],
          first: 100,
        });
      }
    }
  };
}
