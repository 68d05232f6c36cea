/**
 * The Cytoscape stylesheet and legend (client/src/style.ts) follow the model (server/core/model.ts): every
 * node kind and relationship type is styled as the legend says, in both themes. The stylesheet is also
 * handed to a headless Cytoscape, which warns about any property or value it does not accept, and the
 * computed style of real elements is checked.
 */
import cytoscape from 'cytoscape';
import type { StylesheetJson } from 'cytoscape';
import { NODE_KINDS, PARTY_KINDS, PARTY_KIND_NAMES, REL_TYPES, REL_TYPE_NAMES } from '../../server/core/model';
import { THEME_COLORS, Theme, isPartyKind, legendEntries, stylesheet } from '../../client/src/style';
import { desiredElements, NO_FILTER } from '../../client/src/elements';
import * as gs from '../../client/src/graph-state';
import { CHINYONG, E, N } from './client-fixtures';

const THEMES: Theme[] = ['light', 'dark'];
const ALL_KINDS = [...PARTY_KIND_NAMES, 'Address', 'Identifier', 'Program'] as const;

type Rule = { selector: string; style: Record<string, unknown> };
const rules = (theme: Theme) => stylesheet(theme) as unknown as Rule[];
const ruleFor = (theme: Theme, selector: string) => rules(theme).find((r) => r.selector === selector);

/** '#d55e00' -> 'rgb(213,94,0)', as Cytoscape reports colours. */
function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255})`;
}

/** A headless Cytoscape with the stylesheet, collecting what it warns about. */
function headless(style: StylesheetJson, elements: cytoscape.ElementDefinition[]) {
  const warnings: string[] = [];
  const spies = [jest.spyOn(console, 'warn'), jest.spyOn(console, 'error')].map((s) =>
    s.mockImplementation((...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
    }),
  );
  const cy = cytoscape({ headless: true, styleEnabled: true, style, elements });
  return {
    cy,
    warnings,
    done() {
      cy.destroy();
      for (const s of spies) s.mockRestore();
    },
  };
}

/** One node of every kind of the model, a placeholder and a delisted party, one edge of every type. */
function everyKindAndType(): cytoscape.ElementDefinition[] {
  const nodes = ALL_KINDS.map((kind) => ({ data: { id: `k-${kind}`, kind, display: kind, degree: 3 } }));
  const extra = [
    { data: { id: 'placeholder', kind: 'Company', display: 'REFERENCED ONLY', degree: 1, placeholder: true } },
    { data: { id: 'listed', kind: 'Company', display: 'LISTED', degree: 1, placeholder: false } },
    { data: { id: 'delisted', kind: 'Person', display: 'DELISTED', degree: 1, delisted: true } },
  ];
  const edges = REL_TYPE_NAMES.map((type) => ({ data: { id: `e-${type}`, source: 'k-Person', target: 'k-Company', type } }));
  return [...nodes, ...extra, ...edges];
}

describe('stylesheet', () => {
  test('the headless check does catch what Cytoscape rejects', () => {
    const h = headless([{ selector: 'node', style: { shape: 'no-such-shape' as never } }], [{ data: { id: CHINYONG } }]);
    h.done();
    expect(h.warnings).toEqual([expect.stringContaining('no-such-shape')]);
  });

  test.each(THEMES)('%s: every node kind of the model has a selector with its shape and colour', (theme) => {
    for (const kind of ALL_KINDS) {
      expect([kind, ruleFor(theme, `node[kind = "${kind}"]`)?.style]).toEqual([kind, { shape: NODE_KINDS[kind].shape, 'background-color': NODE_KINDS[kind].color }]);
    }
  });

  test.each(THEMES)('%s: every relationship type of the model has a selector with its colour and line style', (theme) => {
    for (const type of REL_TYPE_NAMES) {
      const { color, line } = REL_TYPES[type];
      expect([type, ruleFor(theme, `edge[type = "${type}"]`)?.style]).toEqual([type, { 'line-color': color, 'target-arrow-color': color, 'line-style': line }]);
    }
  });

  test('no two relationship types look the same (colour and line style together)', () => {
    const looks = REL_TYPE_NAMES.map((t) => `${REL_TYPES[t].color} ${REL_TYPES[t].line}`);
    expect(new Set(looks).size).toBe(REL_TYPE_NAMES.length);
  });

  test.each(THEMES)('%s: Cytoscape accepts every rule and computes the model shape, colour and line for real elements', (theme) => {
    const h = headless(stylesheet(theme), everyKindAndType());
    try {
      expect(h.warnings).toEqual([]);
      for (const kind of ALL_KINDS) {
        const n = h.cy.getElementById(`k-${kind}`);
        expect([kind, n.style('shape'), n.style('background-color')]).toEqual([kind, NODE_KINDS[kind].shape, rgb(NODE_KINDS[kind].color)]);
      }
      for (const type of REL_TYPE_NAMES) {
        const e = h.cy.getElementById(`e-${type}`);
        expect([type, e.style('line-color'), e.style('line-style')]).toEqual([type, rgb(REL_TYPES[type].color), REL_TYPES[type].line]);
      }
    } finally {
      h.done();
    }
  });

  test.each(THEMES)('%s: a referenced-only (placeholder) party differs from a listed one by its outline, not only by colour', (theme) => {
    const h = headless(stylesheet(theme), everyKindAndType());
    try {
      const placeholder = h.cy.getElementById('placeholder');
      const listed = h.cy.getElementById('listed');
      expect(listed.style('border-style')).toBe('solid');
      expect(placeholder.style('border-style')).toBe('dashed');
      // Same kind, same fill: the outline is what tells them apart.
      expect(placeholder.style('background-color')).toBe(listed.style('background-color'));
      expect(Number(placeholder.style('background-opacity'))).toBeLessThan(Number(listed.style('background-opacity')));
      expect(h.cy.getElementById('delisted').style('border-style')).toBe('double');
    } finally {
      h.done();
    }
  });

  test('both themes have the same selectors, in the same order, and differ in their colours', () => {
    const [light, dark] = THEMES.map((t) => rules(t).map((r) => r.selector));
    expect(dark).toEqual(light);
    expect(new Set(light).size).toBe(light.length);
    expect(ruleFor('dark', 'node')?.style.color).toBe(THEME_COLORS.dark.text);
    expect(ruleFor('light', 'node')?.style.color).toBe(THEME_COLORS.light.text);
    expect(THEME_COLORS.dark.text).not.toBe(THEME_COLORS.light.text);
  });

  test('the canvas elements of a real state get their style: labels with "+N", link labels, quiet fact edges, the "+N more" handle', () => {
    let s = gs.addGraph(gs.EMPTY, { nodes: [N.chinyong, N.alis, N.dprk2, N.taxId], edges: [E.alisChinyong, E.chinyongDprk2, E.alisTaxId] });
    s = gs.markExpanded(s, 'DPRK2');
    // Programs as hubs: CHINYONG's program relationship is one of its "+N".
    const h = headless(stylesheet('light'), desiredElements(s, [], { ...NO_FILTER, programHubs: true }));
    try {
      expect(h.warnings).toEqual([]);
      expect(h.cy.getElementById(CHINYONG).style('label')).toBe('CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY\n(+1)');
      expect(h.cy.getElementById(E.alisChinyong.id).style('label')).toBe('Linked To');
      // Fact edges are unlabelled and have no arrow, even when the source gave a label ("Tax ID No.").
      expect(h.cy.getElementById(E.alisTaxId.id).style('label')).toBe('');
      expect(h.cy.getElementById(E.alisTaxId.id).style('target-arrow-shape')).toBe('none');
      const handle = h.cy.nodes('.more');
      expect(handle.map((n) => n.style('label'))).toEqual(['+108 more']);
      expect(handle.style('shape')).toBe('round-rectangle');
      // Facts are drawn smaller than parties of the same degree.
      const fact = h.cy.add({ data: { id: 'f', kind: 'Identifier', degree: 40 } });
      const party = h.cy.add({ data: { id: 'p', kind: 'Person', degree: 40 } });
      expect(parseFloat(fact.style('width'))).toBeLessThan(parseFloat(party.style('width')));
    } finally {
      h.done();
    }
  });
});

describe('legendEntries', () => {
  test('one row per node kind of the model, with its shape, colour and a description', () => {
    const { nodes } = legendEntries();
    expect(nodes.map((n) => n.kind).sort()).toEqual([...ALL_KINDS].sort());
    for (const n of nodes) {
      const kind = n.kind as (typeof ALL_KINDS)[number];
      expect(n).toMatchObject({ shape: NODE_KINDS[kind].shape, color: NODE_KINDS[kind].color });
      // Parties say what the model says; facts have their own sentence, never just the kind's name.
      const expected = isPartyKind(n.kind) ? PARTY_KINDS[n.kind as keyof typeof PARTY_KINDS].description : expect.stringMatching(/ /);
      expect([n.kind, n.description]).toEqual([n.kind, expected]);
    }
  });

  test('one row per relationship type of the model, with its colour, line, name and the model description', () => {
    const { edges } = legendEntries();
    expect(edges.map((e) => e.type)).toEqual(REL_TYPE_NAMES);
    for (const e of edges) {
      const type = e.type as (typeof REL_TYPE_NAMES)[number];
      const { color, line, name, description } = REL_TYPES[type];
      expect(e).toEqual({ type, color, line, name, description });
    }
  });

  test('isPartyKind: the party kinds of the model, not facts', () => {
    for (const k of PARTY_KIND_NAMES) expect([k, isPartyKind(k)]).toEqual([k, true]);
    for (const k of ['Address', 'Identifier', 'Program', 'Party', 'Dataset', '']) expect([k, isPartyKind(k)]).toEqual([k, false]);
  });
});
