/**
 * The case report of a saved investigation as one self-contained HTML file: inline CSS, the canvas as an
 * inline SVG (svg.ts), no script, no link, no image or font fetched, so that it opens offline in any
 * browser and prints as it shows (pdf.ts prints it with Chromium). Every text that comes from the data
 * or from a user (names, notes, the investigation's name) passes through esc(): a party named
 * "<script>…" is shown as text, never run.
 *
 * What goes in is plain data (ReportData), gathered by server/api/report.ts; this file only writes it.
 */
import { canvasSvg, type SvgEdge, type SvgNode } from './svg';

export interface ReleaseOf {
  dataset: string;
  release: string;
}

export interface Cited {
  dataset: string | null;
  release: string | null;
  record: string | null;
}

export interface ReportParty {
  id: string;
  name: string;
  kind: string;
  placeholder: boolean;
  /** Datasets listing it now. */
  datasets: string[];
  programs: (Cited & { program: string })[];
  aliases: string[];
  identifiers: (Cited & { type: string; value: string; country: string | null; label: string | null })[];
  addresses: (Cited & { full: string })[];
  birthDates: string[];
  nationalities: string[];
  listedOn: string | null;
  firstSeen: string | null;
  delistedOn: string | null;
  source: Cited;
}

export interface ReportLink extends Cited {
  source: string;
  target: string;
  sourceName: string;
  targetName: string;
  type: string;
  label: string | null;
  percentage: string | null;
  startDate: string | null;
  endDate: string | null;
  /** The link in words with its citation (paths/evidence.ts hopsOf). */
  why: string;
}

export interface ReportPath {
  from: string;
  to: string;
  fromName: string;
  toName: string;
  hops: { text: string; citation: string }[];
}

export interface ReportOwnership {
  id: string;
  name: string;
  /** Absent when it could not be computed (then `error` says why). */
  verdict?: string;
  total?: number;
  totalHigh?: number;
  arithmetic?: string[];
  chains?: { arithmetic: string; why: string }[];
  truncated?: boolean;
  error?: string;
}

export interface ReportData {
  id: string;
  name: string;
  owner: string;
  createdAt: string;
  updatedAt: string;
  /** When this report was made (ISO 8601). */
  madeAt: string;
  releasesUsed: ReleaseOf[];
  releasesNow: ReleaseOf[];
  nodes: SvgNode[];
  edges: SvgEdge[];
  parties: ReportParty[];
  /** Canvas nodes that are facts (addresses, identifiers, programs), in words. */
  facts: { id: string; kind: string; label: string }[];
  links: ReportLink[];
  paths: ReportPath[];
  /** Why the paths are what they are (the bound, what was searched). */
  pathsNote: string;
  ownership: ReportOwnership[];
  ownershipNote: string | null;
  notes: { on: string; text: string }[];
  changes: string[];
  /** Canvas ids no longer in the data. */
  missing: string[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: the five characters that can open markup, escaped. */
export function esc(s: string | number | null | undefined): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const cite = (c: Cited): string => {
  const where = [c.dataset, c.release].filter(Boolean).join(' ');
  return where ? `${where}${c.record ? `, record ${c.record}` : ''}` : 'source not recorded';
};

const list = (xs: string[], empty = '—'): string => (xs.length ? `<ul>${xs.map((x) => `<li>${x}</li>`).join('')}</ul>` : `<span class="none">${empty}</span>`);

const releases = (rs: ReleaseOf[]): string => list(rs.map((r) => `${esc(r.dataset)} <b>${esc(r.release)}</b>`), 'none');

function party(p: ReportParty): string {
  const rows: [string, string][] = [
    ['Kind', esc(p.kind) + (p.placeholder ? ' (only referenced by another entry, not listed itself)' : '')],
    ['Lists', p.datasets.length ? esc(p.datasets.join(', ')) : '<span class="none">not listed now</span>'],
    ['Programs', list(p.programs.map((x) => `${esc(x.program)} <span class="cite">(${esc(cite(x))})</span>`))],
    ['Aliases', list(p.aliases.map(esc))],
    ['Identifiers', list(p.identifiers.map((i) => `${esc(i.label ?? i.type)}: <b>${esc(i.value)}</b>${i.country ? ` (${esc(i.country)})` : ''} <span class="cite">(${esc(cite(i))})</span>`))],
    ['Addresses', list(p.addresses.map((a) => `${esc(a.full)} <span class="cite">(${esc(cite(a))})</span>`))],
    ['Birth dates', list(p.birthDates.map(esc))],
    ['Nationalities', list(p.nationalities.map(esc))],
    ['Listed on', esc(p.listedOn ?? (p.firstSeen ? `first seen in ${p.firstSeen}` : '—'))],
    ['Delisted', p.delistedOn ? `<b class="delisted">${esc(p.delistedOn)}</b>` : '—'],
    ['Record', esc(cite(p.source))],
  ];
  return `<section class="party" id="party-${esc(p.id)}"><h3>${esc(p.name)} <span class="id">${esc(p.id)}</span></h3><table>${rows
    .map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`)
    .join('')}</table></section>`;
}

function link(l: ReportLink): string {
  const dates = [l.startDate && `from ${l.startDate}`, l.endDate && `until ${l.endDate}`].filter(Boolean).join(', ');
  return `<tr><td>${esc(l.sourceName)}<br><span class="id">${esc(l.source)}</span></td><td>${esc(l.type)}${l.label ? `<br><i>${esc(l.label)}</i>` : ''}${
    l.percentage ? `<br>${esc(l.percentage)}` : ''
  }${dates ? `<br>${esc(dates)}` : ''}</td><td>${esc(l.targetName)}<br><span class="id">${esc(l.target)}</span></td><td>${esc(l.why)}</td><td class="cite">${esc(l.dataset ?? '—')}</td><td class="cite">${esc(
    l.release ?? '—',
  )}</td><td class="cite">${esc(l.record ?? '—')}</td></tr>`;
}

function ownership(o: ReportOwnership): string {
  const head = `<h3>${esc(o.name)} <span class="id">${esc(o.id)}</span></h3>`;
  if (o.error) return `<section class="ownership">${head}<p class="none">${esc(o.error)}</p></section>`;
  const total = o.totalHigh !== undefined && o.totalHigh !== o.total ? `${esc(o.total)}–${esc(o.totalHigh)}%` : `${esc(o.total)}%`;
  return `<section class="ownership">${head}<p>Verdict: <b>${esc(o.verdict)}</b>; held by sanctioned parties: <b>${total}</b>${o.truncated ? ' (the tree was cut at its bounds)' : ''}</p>${list((o.arithmetic ?? []).map(esc))}${o.chains?.length ? list(o.chains.map((c) => `${esc(c.why)}<br><code>${esc(c.arithmetic)}</code>`)) : ''}</section>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:2em auto;max-width:1100px;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;margin-top:1.8em;padding-bottom:.2em}
h3{margin:.2em 0}.id{color:#777;font-weight:normal;font-size:.85em;font-family:ui-monospace,monospace}
.cite{color:#666;font-size:.85em}.none{color:#999}.delisted{color:#b00020}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #e3e3e3;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f6f6;width:12em}ul{margin:0;padding-left:1.2em}.party,.ownership{margin:1em 0;break-inside:avoid}
pre{white-space:pre-wrap;background:#f8f8f8;padding:.5em;border:1px solid #eee}.meta td,.meta th{border:none}
svg{border:1px solid #ddd;background:#fff;max-width:100%;height:auto}
@media print{body{margin:0}h2{break-after:avoid}}
`;

/** The whole report: one HTML document with nothing outside it. */
export function reportHtml(d: ReportData): string {
  const sections: string[] = [];
  sections.push(`<h1>${esc(d.name)}</h1>
<table class="meta"><tr><th>Investigation</th><td>${esc(d.id)}</td></tr>
<tr><th>Saved by</th><td>${esc(d.owner)}; made ${esc(d.createdAt)}, last saved ${esc(d.updatedAt)}</td></tr>
<tr><th>This report</th><td>made ${esc(d.madeAt)}</td></tr></table>`);
  sections.push(`<section id="releases"><h2>Releases</h2><table><tr><th>Used (when saved)</th><td>${releases(d.releasesUsed)}</td></tr><tr><th>Loaded now</th><td>${releases(d.releasesNow)}</td></tr></table></section>`);
  sections.push(`<section id="picture"><h2>The canvas</h2>${canvasSvg(d.nodes, d.edges)}${
    d.missing.length ? `<p class="none">No longer in the data: ${esc(d.missing.join(', '))}</p>` : ''
  }</section>`);
  sections.push(`<section id="parties"><h2>Parties (${d.parties.length})</h2>${d.parties.map(party).join('')}${
    d.facts.length ? `<h3>Other nodes on the canvas</h3>${list(d.facts.map((f) => `${esc(f.kind)}: ${esc(f.label)} <span class="id">${esc(f.id)}</span>`))}` : ''
  }</section>`);
  sections.push(`<section id="links"><h2>Relationships (${d.links.length})</h2>${
    d.links.length
      ? `<table><tr><th>From</th><th>Relationship</th><th>To</th><th>Why</th><th>Dataset</th><th>Release</th><th>Record</th></tr>${d.links.map(link).join('')}</table>`
      : '<p class="none">No relationships among the nodes of the canvas.</p>'
  }</section>`);
  sections.push(`<section id="paths"><h2>Paths between the listed parties (${d.paths.length})</h2><p class="cite">${esc(d.pathsNote)}</p>${list(
    d.paths.map((p) => `<b>${esc(p.fromName)}</b> → <b>${esc(p.toName)}</b>: ${p.hops.map((h) => `${esc(h.text)} <span class="cite">(${esc(h.citation)})</span>`).join('; ')}`),
    'No path among the listed parties through the canvas.',
  )}</section>`);
  sections.push(`<section id="ownership"><h2>Ownership</h2>${d.ownershipNote ? `<p class="cite">${esc(d.ownershipNote)}</p>` : ''}${
    d.ownership.length ? d.ownership.map(ownership).join('') : '<p class="none">No company on the canvas.</p>'
  }</section>`);
  sections.push(`<section id="notes"><h2>Notes (${d.notes.length})</h2>${list(d.notes.map((n) => `<b>${esc(n.on)}</b>: ${esc(n.text)}`), 'No notes.')}</section>`);
  sections.push(`<section id="changes"><h2>Changes since it was saved</h2>${list(d.changes.map(esc))}</section>`);
  // No script may run in the file even if something slipped through: the page's own policy forbids it.
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.name)} — case report</title><style>${CSS}</style></head>
<body>
${sections.join('\n')}
</body></html>
`;
}
