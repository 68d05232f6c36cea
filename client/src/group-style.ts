/**
 * How groups (grouping.ts) are drawn: a collapsed group is a rounded box sized by how many it stands for;
 * an open group a dashed frame around its members, its label on top; a re-routed edge is as thick as the
 * number of relationships it stands for, and says the number. style.ts adds these rules to the sheet.
 */
import type { StylesheetJson } from 'cytoscape';

/** The drawn size of a collapsed group of `count` nodes (the stylesheet's mapData below, as a function). */
export function groupNodeSize(count: number): number {
  const c = Math.min(100, Math.max(2, count));
  return 34 + ((c - 2) / 98) * 36;
}

export function groupStyles(c: { text: string; edge: string; selected: string; background: string }): StylesheetJson {
  return [
    {
      selector: 'node.group[!open]',
      style: {
        shape: 'round-rectangle',
        width: 'mapData(count, 2, 100, 34, 70)',
        height: 'mapData(count, 2, 100, 34, 70)',
        'background-color': '#56b4e9',
        'border-width': 3,
        'border-style': 'double',
        'border-color': c.text,
        'font-weight': 'bold',
      },
    },
    {
      selector: 'node.group[?open]',
      style: {
        shape: 'round-rectangle',
        'background-color': '#56b4e9',
        'background-opacity': 0.08,
        'border-width': 2,
        'border-style': 'dashed',
        'border-color': c.edge,
        'text-valign': 'top',
        'text-margin-y': -4,
        padding: '16px',
        'font-weight': 'bold',
      },
    },
    { selector: 'node.group:selected', style: { 'border-color': c.selected, 'border-width': 4 } },
    { selector: 'edge.group-edge', style: { width: 'mapData(count, 1, 50, 1.5, 7)' } },
    { selector: 'edge.group-edge[count > 1]', style: { label: 'data(label)' } },
  ];
}
