/**
 * The case report of a saved investigation: GET /api/investigations/:id/report.html (and .pdf). What it
 * says is read here, in a bounded number of reads whatever the canvas (at most INVESTIGATION_LIMITS.nodes
 * nodes): the canvas with every relationship among its nodes (graph.ts subgraph), the evidence of each
 * party and relationship (export-evidence.ts), the changes since it was saved (investigations.ts), and
 * the ownership arithmetic of at most REPORT_LIMITS.ownership companies (ownership.ts). The paths between
 * the canvas's listed parties are found on the canvas itself, in memory: the relationships drawn are the
 * evidence, so no path search runs in the database. It is written by server/core/report/html.ts and, for
 * the PDF, printed by Chromium (server/core/report/pdf.ts).
 *
 * The route is read like /api/export (app.ts): the same key check, rate limit, admission and deadline.
 */
import type { NextFunction, Request, Response } from 'express';
import { AppError, ServiceUnavailableError, TimeoutError } from '../core/errors';
import { getInvestigation, investigationChanges, type StoredInvestigation } from '../core/investigations';
import { DEFAULT_PATH_REL_TYPES, isFactKind, isPartyKind } from '../core/model';
import { Database, withDeadline } from '../core/neo4j/database';
import { hopsOf } from '../core/paths/evidence';
import { reportHtml, type ReportData, type ReportLink, type ReportOwnership, type ReportParty, type ReportPath } from '../core/report/html';
import { htmlToPdf, NoPdfError, chromiumPath, pdfAvailable } from '../core/report/pdf';
import { readEvidence, type ExportEdge, type ExportGraph } from './export-evidence';
import { OWNED_KINDS } from './export-ownership';
import { subgraph, type GraphNode } from './graph';
import { ownership } from './ownership';

export const REPORT_LIMITS = {
  /** Companies whose ownership is computed (each a read of its ownership tree); the others are named. */
  ownership: 25,
  /** Paths listed between listed parties (one per pair, shortest first). */
  paths: 50,
  /** Longest path looked for on the canvas, in relationships. */
  pathLength: 4,
} as const;

/** No saved investigation has the id: 404 with the code NOT_FOUND. */
export class InvestigationNotFoundError extends AppError {
  override readonly code = 'NOT_FOUND';
  override readonly status = 404;
}

const PATH_TYPES = new Set<string>(DEFAULT_PATH_REL_TYPES);

/** A party that a dataset lists now: not only referenced, not delisted. */
const listed = (n: GraphNode, g: ExportGraph) => isPartyKind(n.kind) && !n.placeholder && !n.delistedOn && (g.parties.get(n.id)?.datasets.length ?? 0) > 0;

/**
 * The shortest path on the canvas between each pair of listed parties (one breadth-first search per
 * party over at most INVESTIGATION_LIMITS.nodes nodes), through party links and shared addresses and
 * identifiers (not programs: sharing a program says nothing of a tie), at most REPORT_LIMITS.paths.
 */
export function canvasPaths(g: ExportGraph): { paths: ReportPath[]; pairs: number } {
  const adj = new Map<string, { to: string; edge: ExportEdge }[]>();
  for (const e of g.edges) {
    if (!PATH_TYPES.has(e.type)) continue;
    (adj.get(e.source) ?? adj.set(e.source, []).get(e.source)!).push({ to: e.target, edge: e });
    (adj.get(e.target) ?? adj.set(e.target, []).get(e.target)!).push({ to: e.source, edge: e });
  }
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const ends = g.nodes.filter((n) => listed(n, g));
  const paths: ReportPath[] = [];
  let pairs = 0;
  ends.forEach((from, i) => {
    const back = new Map<string, { prev: string; edge: ExportEdge } | null>([[from.id, null]]);
    let frontier = [from.id];
    for (let d = 0; d < REPORT_LIMITS.pathLength && frontier.length; d++) {
      const next: string[] = [];
      for (const at of frontier) {
        for (const { to, edge } of adj.get(at) ?? []) {
          if (back.has(to)) continue;
          back.set(to, { prev: at, edge });
          // A path goes on through facts and parties alike, but a fact is never an end.
          next.push(to);
        }
      }
      frontier = next;
    }
    for (const to of ends.slice(i + 1)) {
      if (!back.has(to.id)) continue;
      pairs++;
      if (paths.length >= REPORT_LIMITS.paths) continue;
      const nodes: GraphNode[] = [to];
      const edges: ExportEdge[] = [];
      for (let step = back.get(to.id); step; step = back.get(step.prev)) {
        edges.unshift(step.edge);
        nodes.unshift(byId.get(step.prev)!);
      }
      paths.push({ from: from.id, to: to.id, fromName: from.label, toName: to.label, hops: hopsOf(nodes, edges).map((h) => ({ text: h.text, citation: h.citation })) });
    }
  });
  paths.sort((a, b) => a.hops.length - b.hops.length);
  return { paths, pairs };
}

function partyOf(p: NonNullable<ReturnType<ExportGraph['parties']['get']>>): ReportParty {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    placeholder: p.placeholder,
    datasets: p.datasets,
    programs: p.programs,
    aliases: p.aliases.map((a) => `${a.name} (${a.type}${a.quality ? `, ${a.quality}` : ''})`),
    identifiers: p.identifiers,
    addresses: p.addresses,
    birthDates: p.birthDates,
    nationalities: [...new Set([...p.nationalities, ...p.citizenships])],
    listedOn: p.listedOn,
    firstSeen: p.firstSeen,
    delistedOn: p.delistedOn,
    source: p.source,
  };
}

async function ownershipOf(db: Database, companies: GraphNode[]): Promise<ReportOwnership[]> {
  const out: ReportOwnership[] = [];
  for (const c of companies.slice(0, REPORT_LIMITS.ownership)) {
    try {
      const o = await ownership(db, { id: c.id });
      out.push({
        id: c.id,
        name: c.label,
        verdict: o.verdict,
        total: o.total,
        totalHigh: o.totalHigh,
        arithmetic: o.arithmetic,
        truncated: o.truncated,
        chains: o.chains.map((ch) => ({ arithmetic: ch.arithmetic, why: hopsOf(ch.path.nodes, ch.path.edges).map((h) => `${h.text} (${h.citation})`).join('; ') })),
      });
    } catch (err) {
      // A client fault about this one company (e.g. gone between the reads) is said in its place; a
      // deadline or a database fault ends the report.
      if (err instanceof AppError && err.status < 500) out.push({ id: c.id, name: c.label, error: err.message });
      else throw err;
    }
  }
  return out;
}

/** Everything the report says, read from the database. */
export async function reportData(db: Database, inv: StoredInvestigation): Promise<ReportData> {
  const sub = await subgraph(db, { ids: inv.nodeIds });
  const g = await readEvidence(db, sub);
  const changes = await investigationChanges(db, inv);
  const name = new Map(g.nodes.map((n) => [n.id, n.label]));
  for (const b of inv.baseline.nodes) if (!name.has(b.id)) name.set(b.id, b.name);
  const nameOf = (id: string) => name.get(id) ?? id;
  const pos = new Map(inv.positions.map((p) => [p.id, p]));

  const links: ReportLink[] = g.edges.map((e) => {
    const [hop] = hopsOf([g.nodes.find((n) => n.id === e.source) ?? { id: e.source, label: nameOf(e.source) }, g.nodes.find((n) => n.id === e.target) ?? { id: e.target, label: nameOf(e.target) }], [e]);
    return {
      source: e.source,
      target: e.target,
      sourceName: nameOf(e.source),
      targetName: nameOf(e.target),
      type: e.type,
      label: e.label ?? null,
      percentage: e.percentage ?? null,
      startDate: e.startDate,
      endDate: e.endDate,
      dataset: e.dataset ?? null,
      release: e.release ?? null,
      record: e.record ?? null,
      why: `${hop.text} (${hop.citation})`,
    };
  });
  const { paths, pairs } = canvasPaths(g);
  const listedCount = g.nodes.filter((n) => listed(n, g)).length;
  const companies = g.nodes.filter((n) => OWNED_KINDS.has(n.kind));
  const on = new Map(g.nodes.map((n) => [n.id, n]));
  const noteOn = (n: { node: string | null; edge: string | null }): string => {
    if (n.node !== null) return `${nameOf(n.node)} (${n.node})`;
    const [source, type, target, label] = (n.edge ?? '').split('|');
    return `${nameOf(source)} — ${type.toLowerCase().replace(/_/g, ' ')}${label ? ` “${label}”` : ''} — ${nameOf(target)}`;
  };

  return {
    id: inv.id,
    name: inv.name,
    owner: inv.owner,
    createdAt: inv.createdAt,
    updatedAt: inv.updatedAt,
    madeAt: new Date().toISOString(),
    releasesUsed: inv.releases,
    releasesNow: changes.now,
    nodes: g.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label, x: pos.get(n.id)?.x ?? null, y: pos.get(n.id)?.y ?? null, delisted: Boolean(n.delistedOn) })),
    edges: g.edges.map((e) => ({ source: e.source, target: e.target, type: e.type })),
    parties: g.nodes.flatMap((n) => (g.parties.has(n.id) ? [partyOf(g.parties.get(n.id)!)] : [])),
    facts: g.nodes.filter((n) => isFactKind(n.kind)).map((n) => ({ id: n.id, kind: n.kind, label: n.label })),
    links,
    paths,
    pathsNote:
      `The shortest path through the canvas (its relationships, shared addresses and identifiers; not programs; up to ${REPORT_LIMITS.pathLength} relationships) between each pair of the ` +
      `${listedCount} parties listed now: ${pairs} pairs connected` +
      (pairs > paths.length ? `, the ${paths.length} shortest shown.` : '.') +
      ' Each step cites the dataset, release and record that state it.',
    ownership: await ownershipOf(db, companies),
    ownershipNote:
      companies.length > REPORT_LIMITS.ownership
        ? `Computed for the first ${REPORT_LIMITS.ownership} of ${companies.length} organisations on the canvas (OFAC's rule, as of today); not for: ${companies
            .slice(REPORT_LIMITS.ownership)
            .map((c) => c.label)
            .join(', ')}.`
        : companies.length
          ? "OFAC's 50 percent rule, as of today."
          : null,
    notes: inv.notes.map((n) => ({ on: noteOn(n), text: n.text })),
    changes: changes.summary,
    missing: inv.nodeIds.filter((id) => !on.has(id)),
  };
}

/** The case report of one investigation as HTML, or null when no investigation has the id. */
export async function caseReportHtml(db: Database, id: string): Promise<string | null> {
  const inv = await getInvestigation(db, id);
  return inv ? reportHtml(await reportData(db, inv)) : null;
}

const fileStem = (id: string) => `case-report-${id.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_').slice(0, 80)}`;

/**
 * The route's handler for one format. `state` is the app's (its database may be starting); `timeoutMs`
 * the request's time limit (REQUEST_TIMEOUT), shared by its reads and, for the PDF, the printing.
 */
export function caseReport(state: { db: Database | null; notReady: string | null }, format: 'html' | 'pdf', timeoutMs: () => number) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (format === 'pdf' && !pdfAvailable()) {
        throw new NoPdfError(`No Chromium at ${chromiumPath()} on this server, so no PDF: open the report as HTML (report.html) and print it from the browser, or install Chromium (CHROMIUM_PATH)`);
      }
      if (!state.db || state.notReady) throw new ServiceUnavailableError('The database is starting or unreachable; retry shortly');
      const id = String(req.params.id);
      const ms = timeoutMs();
      const db = withDeadline(state.db, Date.now() + ms, () => new TimeoutError(`The report took longer than its time limit (REQUEST_TIMEOUT, ${ms / 1000} s) and was stopped`));
      const html = id.length <= 200 ? await caseReportHtml(db, id) : null;
      if (html === null) throw new InvestigationNotFoundError(`No saved investigation has the id ${JSON.stringify(id.slice(0, 80))}`);
      if (format === 'html') {
        // The file's own policy, served as a header too: nothing of it may load or run anything.
        res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
        res.setHeader('content-disposition', `inline; filename="${fileStem(id)}.html"`);
        res.type('text/html; charset=utf-8').send(html);
        return;
      }
      const pdf = await htmlToPdf(html, { timeoutMs: ms });
      res.setHeader('content-disposition', `inline; filename="${fileStem(id)}.pdf"`);
      res.type('application/pdf').send(pdf);
    } catch (err) {
      next(err);
    }
  };
}
