/**
 * API benchmarks over a database holding the real 2024-05-03 SDN list, each a ratio against a baseline
 * measured in the same run:
 *  - API tax: neighbourhood through GraphQL over HTTP vs the same query function called directly (p50);
 *  - throughput: GraphQL endpoint vs a plain Express JSON endpoint running the same query (req/s);
 *  - hubs: neighbourhood seeded at the most connected parties vs median ones (p50);
 *  - paths: shortest path between linked parties vs a 1-hop expansion of the same seed (p50);
 *  - search: our search vs a brute-force string-distance scan of every name and alias, at the recall
 *    each reaches on misspelt names (p50 and recall@10).
 */
import http from 'node:http';
import express from 'express';
import { Database } from '../server/core/neo4j/database';
import { createApp } from '../server/api/app';
import { createGraphQLServer } from '../server/api/graphql';
import { neighborhood } from '../server/api/graph';
import { paths } from '../server/api/paths';
import { search } from '../server/api/search';
import { nameSimilarity } from '../server/core/text/names';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(0); // warm-up: plan caches, JIT
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

/** Requests per second with `concurrency` clients for `seconds` (bounded, loopback only). */
async function throughput(url: string, body: () => string, seconds: number, concurrency: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
        await res.arrayBuffer();
        done++;
      }
    }),
  );
  return done / seconds;
}

/** Deterministic misspelling: swap two inner letters of the longest word. */
export function misspell(name: string): string {
  const words = name.split(' ');
  const i = words.reduce((best, w, j) => (w.length > words[best].length ? j : best), 0);
  const w = words[i];
  if (w.length < 5) return name;
  const k = Math.floor(w.length / 2);
  words[i] = w.slice(0, k - 1) + w[k] + w[k - 1] + w.slice(k + 1);
  return words.join(' ');
}

export async function apiBench(db: Database, runs: number): Promise<Record<string, unknown>> {
  const graphql = createGraphQLServer();
  await graphql.start();
  const app = createApp({ notReady: null, db, neo4j: { uri: 'bench', embedded: true, version: null } }, graphql);
  // The baseline: the same query function behind a plain JSON endpoint.
  const plain = express();
  plain.post('/neighborhood', express.json(), async (req, res) => res.json(await neighborhood(db, req.body)));
  const servers = [http.createServer(app), http.createServer(plain)];
  for (const s of servers) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s: http.Server) => (s.address() as { port: number }).port;
  const gqlUrl = `http://127.0.0.1:${port(servers[0])}/graphql`;
  const plainUrl = `http://127.0.0.1:${port(servers[1])}/neighborhood`;

  try {
    const parties = await db.runWrite<{ id: string; degree: number; name: string; linked: string | null }>(
      `MATCH (p:Party) WHERE NOT p:Placeholder
       RETURN p.id AS id, COUNT { (p)--() } AS degree, p.name AS name,
              head(COLLECT { MATCH (p)-[:UNKNOWN_LINK]->(q:Party) WHERE NOT q:Placeholder RETURN q.id }) AS linked
       ORDER BY degree DESC, id`,
    );
    const hubs = parties.slice(0, 20).map((p) => p.id);
    const mid = Math.floor(parties.length / 2);
    const medians = parties.slice(mid - 10, mid + 10).map((p) => p.id);
    const linkedPairs = parties.filter((p) => p.linked).slice(0, 200).filter((_, i) => i % 10 === 0).map((p) => [p.id, p.linked!] as const);
    const seeds = linkedPairs.map(([a]) => a);
    const q = `query($ids: [ID!]!) { neighborhood(ids: $ids, depth: 2, limit: 200) { truncated nodes { id kind label degree } edges { id source target type label } } }`;

    const direct = await timed(runs, (i) => neighborhood(db, { ids: [seeds[i % seeds.length]], depth: 2, limit: 200 }));
    const overGraphql = await timed(runs, async (i) => {
      const res = await fetch(gqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q, variables: { ids: [seeds[i % seeds.length]] } }) });
      return res.json();
    });
    let k = 0;
    const gqlRps = await throughput(gqlUrl, () => JSON.stringify({ query: q, variables: { ids: [seeds[k++ % seeds.length]] } }), 5, 4);
    const plainRps = await throughput(plainUrl, () => JSON.stringify({ ids: [seeds[k++ % seeds.length]], depth: 2, limit: 200 }), 5, 4);

    const hub = await timed(runs, (i) => neighborhood(db, { ids: [hubs[i % hubs.length]], depth: 2, limit: 200 }));
    const median = await timed(runs, (i) => neighborhood(db, { ids: [medians[i % medians.length]], depth: 2, limit: 200 }));

    const oneHop = await timed(runs, (i) => neighborhood(db, { ids: [linkedPairs[i % linkedPairs.length][0]], depth: 1, limit: 200 }));
    const shortest = await timed(runs, (i) => {
      const [a, b] = linkedPairs[i % linkedPairs.length];
      return paths(db, { from: a, to: b, mode: 'SHORTEST', maxHops: 4 });
    });

    // Search: misspelt names of 40 entries spread over the list; a hit is the entry in the top 10.
    const targets = parties.filter((_, i) => i % Math.floor(parties.length / 40) === 0).slice(0, 40).filter((p) => misspell(p.name) !== p.name);
    const allNames = await db.runWrite<{ id: string; names: string[] }>('MATCH (p:Party) WHERE NOT p:Placeholder RETURN p.id AS id, [p.name] + coalesce(p.aliasNames, []) AS names');
    const ourFound = new Set<string>();
    const bruteFound = new Set<string>();
    const ours = await timed(targets.length, async (i) => {
      const t = targets[i % targets.length];
      const r = await search(db, { query: misspell(t.name), first: 10 });
      if (r.hits.some((h) => h.id === t.id)) ourFound.add(t.id);
    });
    const brute = await timed(targets.length, async (i) => {
      const t = targets[i % targets.length];
      const query = misspell(t.name);
      const top = allNames
        .map((p) => ({ id: p.id, s: Math.max(...p.names.map((n) => nameSimilarity(query, n))) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 10);
      if (top.some((h) => h.id === t.id)) bruteFound.add(t.id);
    });
    return {
      apiTax: { directMs: direct, graphqlMs: overGraphql, ratioP50: overGraphql.p50 / direct.p50 },
      throughput: { graphqlRps: gqlRps, plainExpressRps: plainRps, ratio: plainRps / gqlRps },
      hubs: { hubMs: hub, medianMs: median, ratioP50: hub.p50 / median.p50 },
      paths: { shortestMs: shortest, oneHopMs: oneHop, ratioP50: shortest.p50 / oneHop.p50 },
      search: {
        oursMs: ours,
        bruteForceMs: brute,
        ratioP50: brute.p50 / ours.p50,
        recallAt10: { ours: ourFound.size / targets.length, bruteForce: bruteFound.size / targets.length },
        queries: targets.length,
        namesScanned: allNames.reduce((n, p) => n + p.names.length, 0),
      },
    };
  } finally {
    for (const s of servers) await new Promise((r) => s.close(r));
    await graphql.stop();
  }
}
