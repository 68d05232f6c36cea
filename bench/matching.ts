/**
 * Matching benchmark: cross-list candidates (server/core/matching findCandidates) for the parties of the
 * UN list of 2025-11-18, the OFAC SDN list of 2024-05-03 and the OFAC Consolidated list of 2025-01-10
 * (~16,400 parties, as test/unit/matching.test.ts), against a baseline measured in the same run: one
 * pass that normalises every name of every party and groups the parties by it (the least any name
 * matching must do). Reported as a ratio; absolute figures are context. No database.
 */
import path from 'node:path';
import { parseUnXml } from '../ingest/sources/un-xml';
import { parseOfacCsv } from '../ingest/sources/ofac-csv';
import { parseOfacEnhancedXml } from '../ingest/sources/ofac-enhanced-xml';
import { REPO_ROOT } from '../server/core/settings';
import { nameKey } from '../server/core/text/normalize';
import { findCandidates, matchPartyOf, type MatchParty } from '../server/core/matching/match';
import { fromNode, toNode } from '../server/core/party-node';
import type { ParsedRelease } from '../server/core/model';

const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sanctions');
const UN = path.join(SHARED, 'un-consolidated-xml-2025-11-18', 'consolidated.xml');
const SDN = path.join(SHARED, 'ofac-sdn-csv-2024-05-03', 'sdn.csv');
const CONS = path.join(SHARED, 'ofac-cons-enhanced-xml-2025-01-10', 'CONS_ENHANCED.XML');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function seconds(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Every party of a parsed release as matching reads it from the graph (toNode, then fromNode). */
export function matchParties(r: ParsedRelease): MatchParty[] {
  const ids = new Map<string, { type: MatchParty['identifiers'][number]['type']; value: string; country: string | null }[]>();
  for (const f of r.identifiers) {
    const list = ids.get(f.partyId) ?? [];
    list.push({ type: f.identifier.type, value: f.identifier.value, country: f.identifier.country });
    ids.set(f.partyId, list);
  }
  return r.parties.map((p) => matchPartyOf(fromNode(toNode(p)), ids.get(p.id) ?? []));
}

/** The baseline: every name normalised once and the parties grouped by it. */
function groupByName(parties: readonly MatchParty[]): number {
  const groups = new Map<string, string[]>();
  for (const p of parties) {
    for (const n of p.names) {
      const k = nameKey(n);
      const g = groups.get(k);
      if (g) g.push(p.id);
      else groups.set(k, [p.id]);
    }
  }
  return groups.size;
}

export async function matchingBench(runs: number): Promise<Record<string, unknown>> {
  const releases = [await parseUnXml([UN], {}), await parseOfacCsv([SDN], { release: '2024-05-03', releaseFrom: 'path' }), await parseOfacEnhancedXml([CONS], {})];
  const parties = releases.flatMap(matchParties);
  const baseline: number[] = [];
  const ours: number[] = [];
  let candidates = 0;
  for (let i = 0; i < runs; i++) {
    baseline.push(seconds(() => groupByName(parties)));
    ours.push(seconds(() => (candidates = findCandidates(parties).length)));
  }
  const result = { parties: parties.length, candidates, baselineSeconds: median(baseline), oursSeconds: median(ours), ratio: median(ours) / median(baseline) };
  console.error(
    `matching: ${parties.length} parties, ${candidates} candidates in ${result.oursSeconds.toFixed(2)} s; ` +
      `grouping every name takes ${result.baselineSeconds.toFixed(3)} s (matching takes ${result.ratio.toFixed(1)}x)`,
  );
  return { ...result, seconds: { baseline, ours } };
}
