/**
 * The Cytoscape stylesheet and the legend, derived from the model (server/core/model.ts NODE_KINDS, REL_TYPES):
 * shapes and colours per node kind, colour and line style per relationship type. Selectors and mappers
 * only, no style functions, so Cytoscape can cache them.
 */
import type { StylesheetJson } from 'cytoscape';
import { groupStyles } from './group-style';
import { FACT_KIND_NAMES, FACT_REL_TYPES, isPartyKind as isModelPartyKind, NODE_KINDS, PARTY_KIND_NAMES, REL_TYPES } from '../../server/core/model';

export type Theme = 'light' | 'dark';

export const THEME_COLORS: Record<Theme, { text: string; textOutline: string; edge: string; selected: string; path: string; background: string }> = {
  light: { text: '#1d2430', textOutline: '#ffffff', edge: '#9aa3ad', selected: '#cc0000', path: '#7b2cbf', background: '#f7f8fa' },
  dark: { text: '#e8ecf1', textOutline: '#11151b', edge: '#5e6875', selected: '#ff5c5c', path: '#c77dff', background: '#11151b' },
};

export const PARTY_KIND_LIST: string[] = PARTY_KIND_NAMES;

export function isPartyKind(kind: string): boolean {
  return isModelPartyKind(kind);
}

/** Drawn size of a fact node (address, identifier, program): smaller than any party. */
export const FACT_NODE_SIZE = 18;

/** Legend rows: one per node kind and one per relationship type, from the model. */
export function legendEntries(): { nodes: { kind: string; shape: string; color: string; description: string }[]; edges: { type: string; color: string; line: string; name: string; description: string }[] } {
  return {
    nodes: Object.entries(NODE_KINDS).map(([kind, v]) => ({ kind, shape: v.shape, color: v.color, description: v.description })),
    edges: Object.entries(REL_TYPES).map(([type, v]) => ({ type, color: v.color, line: v.line, name: v.name, description: v.description })),
  };
}

/** Node size grows with degree (how connected a node is in the whole graph). */
const SIZE = 'mapData(degree, 1, 60, 22, 54)';

export function stylesheet(theme: Theme): StylesheetJson {
  const c = THEME_COLORS[theme];
  const rules: StylesheetJson = [
    {
      selector: 'node',
      style: {
        label: 'data(display)',
        'font-size': 10,
        'font-family': 'system-ui, sans-serif',
        color: c.text,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': '140px',
        'text-outline-color': c.textOutline,
        'text-outline-width': 2,
        'min-zoomed-font-size': 7,
        width: SIZE,
        height: SIZE,
        'border-width': 1.5,
        'border-color': c.textOutline,
        'background-color': '#7f7f7f',
      },
    },
  ];
  for (const [kind, v] of Object.entries(NODE_KINDS)) {
    rules.push({ selector: `node[kind = "${kind}"]`, style: { shape: v.shape as never, 'background-color': v.color } });
  }
  rules.push(
    // Facts (addresses, identifiers, programs) are smaller than parties.
    { selector: FACT_KIND_NAMES.map((k) => `node[kind = "${k}"]`).join(', '), style: { width: FACT_NODE_SIZE, height: FACT_NODE_SIZE, 'font-size': 8 } },
    // Referenced-only parties (not listed themselves): hollow with a dashed outline, so the difference
    // does not depend on colour.
    {
      selector: 'node[?placeholder]',
      style: { 'background-opacity': 0.25, 'border-style': 'dashed', 'border-width': 2, 'border-color': c.text, 'font-style': 'italic' },
    },
    { selector: 'node[?delisted]', style: { 'border-style': 'double', 'border-width': 4, 'border-color': c.edge, opacity: 0.75 } },
    { selector: 'node.pinned', style: { 'border-color': c.path, 'border-width': 3 } },
    { selector: 'node.more', style: { shape: 'round-rectangle', width: 70, height: 16, padding: '4px', 'background-color': c.background, 'border-color': c.edge, 'border-style': 'dashed', 'text-valign': 'center', 'text-margin-y': 0, 'font-size': 9, label: 'data(display)' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'curve-style': 'bezier',
        'line-color': c.edge,
        'target-arrow-color': c.edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'font-size': 8,
        color: c.text,
        'text-outline-color': c.textOutline,
        'text-outline-width': 2,
        'text-rotation': 'autorotate',
        'min-zoomed-font-size': 9,
      },
    },
  );
  for (const [type, v] of Object.entries(REL_TYPES)) {
    rules.push({ selector: `edge[type = "${type}"]`, style: { 'line-color': v.color, 'target-arrow-color': v.color, 'line-style': v.line } });
  }
  rules.push(
    { selector: 'edge[label]', style: { label: 'data(label)' } },
    { selector: FACT_REL_TYPES.map((t) => `edge[type = "${t}"]`).join(', '), style: { label: '', 'target-arrow-shape': 'none', width: 1 } },
    { selector: 'edge.more', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none', 'line-color': c.edge, width: 1 } },
    // What changed since a saved investigation was saved (investigation-marks.ts): border style and colour
    // both (Okabe-Ito colours), so colour is never the only signal.
    { selector: 'node.inv-added', style: { 'border-color': '#009e73', 'border-width': 5, 'border-style': 'solid' } },
    { selector: 'node.inv-removed', style: { 'border-color': '#d55e00', 'border-width': 5, 'border-style': 'dashed' } },
    { selector: 'node.inv-modified', style: { 'border-color': '#e69f00', 'border-width': 5, 'border-style': 'dotted' } },
    { selector: 'edge.inv-added', style: { 'line-color': '#009e73', 'target-arrow-color': '#009e73', width: 4 } },
    { selector: ':selected', style: { 'border-color': c.selected, 'border-width': 3, 'line-color': c.selected, 'target-arrow-color': c.selected, 'z-index': 10 } },
    { selector: 'node.path', style: { 'border-color': c.path, 'border-width': 5, 'z-index': 20, opacity: 1 } },
    { selector: 'edge.path', style: { 'line-color': c.path, 'target-arrow-color': c.path, width: 4, 'z-index': 20, opacity: 1 } },
    { selector: '.faded', style: { opacity: 0.15 } },
    { selector: '.unplaced', style: { display: 'none' } },
    { selector: '.timeline-hit', style: { 'border-color': c.path, 'border-width': 4 } },
    // Groups of nodes drawn as one (grouping.ts): before `cramped`, so a count too long for its edge goes too.
    ...groupStyles(c),
    // An edge label longer than the edge between its two nodes is left out (GraphCanvas marks those
    // edges `cramped` whenever nodes move): it would cover the nodes and the other labels.
    { selector: 'edge.cramped', style: { label: '' } },
    // Labels too small to read at this zoom are not drawn (min-zoomed-font-size above); the node under
    // the pointer shows its label and its relationships' wording, at a readable size whatever the zoom
    // (hoverFont, set by GraphCanvas from the zoom).
    { selector: 'node.hover', style: { 'min-zoomed-font-size': 0, 'font-size': 'data(hoverFont)', 'z-index': 30, 'text-background-color': c.background, 'text-background-opacity': 0.85, 'text-background-padding': '2px' } },
    { selector: 'edge.hover[label]', style: { label: 'data(label)', 'min-zoomed-font-size': 0, 'font-size': 'data(hoverFont)', 'z-index': 30 } },
  );
  return rules;
}
