/**
 * What a dataset holds, as stored in the database: the shape printed by `ingest --json` and
 * `ingest --status --json`, the same for every source format.
 */
import type { Rejection } from '../server/core/model';
import { Database } from '../server/core/neo4j/database';

export interface DatasetSummary {
  dataset: string;
  release: string;
  releases: string[];
  loadedAt: string;
  entities: { total: number; byKind: Record<string, number> };
  aliases: number;
  addresses: number;
  identifiers: { total: number; byType: Record<string, number> };
  links: number;
  placeholders: number;
  delisted: number;
  rejected: Rejection[];
  warnings: string[];
}

interface Row {
  dataset: string;
  release: string;
  releases: string[];
  loadedAt: string;
  total: number;
  byKind: { kind: string; n: number }[];
  aliases: number;
  addresses: number;
  identifiers: number;
  identifiersByType: { type: string; n: number }[];
  links: number;
  placeholders: number;
  delisted: number;
  rejected: string | null;
  warnings: string[] | null;
}

function toRecord(items: { key: string; n: number }[]): Record<string, number> {
  return Object.fromEntries(items.filter((i) => i.key !== null).sort((a, b) => a.key.localeCompare(b.key)).map((i) => [i.key, i.n]));
}

export async function datasetSummary(db: Database, dataset: string): Promise<DatasetSummary | null> {
  const [r] = await db.read<Row>('dataset-summary', { dataset }, 120_000);
  if (!r) return null;
  return {
    dataset: r.dataset,
    release: r.release,
    releases: r.releases ?? [],
    loadedAt: r.loadedAt,
    entities: { total: r.total, byKind: toRecord(r.byKind.map((k) => ({ key: k.kind, n: k.n }))) },
    aliases: r.aliases,
    addresses: r.addresses,
    identifiers: { total: r.identifiers, byType: toRecord(r.identifiersByType.map((k) => ({ key: k.type, n: k.n }))) },
    links: r.links,
    placeholders: r.placeholders,
    delisted: r.delisted,
    rejected: r.rejected ? (JSON.parse(r.rejected) as Rejection[]) : [],
    warnings: r.warnings ?? [],
  };
}

export async function allSummaries(db: Database): Promise<DatasetSummary[]> {
  const names = await db.read<{ name: string }>('datasets-list');
  const out: DatasetSummary[] = [];
  for (const { name } of names) {
    const s = await datasetSummary(db, name);
    if (s) out.push(s);
  }
  return out;
}

/** A few human lines for the terminal. */
export function formatSummary(s: DatasetSummary): string {
  const kinds = Object.entries(s.entities.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  const ids = Object.entries(s.identifiers.byType).map(([k, n]) => `${n} ${k}`).join(', ');
  const lines = [
    `${s.dataset} release ${s.release} (loaded ${s.loadedAt}; releases: ${s.releases.join(', ')})`,
    `  entities     ${s.entities.total} (${kinds})`,
    `  aliases      ${s.aliases}`,
    `  addresses    ${s.addresses}`,
    `  identifiers  ${s.identifiers.total}${ids ? ` (${ids})` : ''}`,
    `  links        ${s.links} (${s.placeholders} to placeholders: parties referenced but not loaded)`,
  ];
  if (s.delisted) lines.push(`  delisted     ${s.delisted} (no longer in the latest release; kept as evidence)`);
  if (s.rejected.length) {
    lines.push(`  rejected     ${s.rejected.length} rows, e.g.:`);
    for (const r of s.rejected.slice(0, 5)) lines.push(`    ${r.file}:${r.line}: ${r.reason}`);
  }
  for (const w of s.warnings) lines.push(`  warning      ${w}`);
  return lines.join('\n');
}
