/**
 * What a reopened investigation marks on the canvas: parties added (newly listed and linked to it),
 * removed (delisted) and modified since it was saved, and the links added around it, as classes
 * (`inv-added`, `inv-removed`, `inv-modified`) that the stylesheet draws (style.ts). Links are matched by
 * their key (ends, type, wording: the server's InvestigationLink.key), since a load rewrites relationships
 * and their element ids. Plain Cytoscape calls only: runs headless (test/unit/client-investigation-marks.test.ts).
 */
import type { Core } from 'cytoscape';
import type { SavedInvestigation } from './api';
import { setClass } from './canvas-diff';

export type ChangeMark = 'added' | 'removed' | 'modified';
export const MARK_CLASSES = ['inv-added', 'inv-removed', 'inv-modified'] as const;

export interface ChangeMarks {
  nodes: Record<string, ChangeMark>;
  /** Link keys of links added around the canvas. */
  edges: string[];
}

export const NO_MARKS: ChangeMarks = { nodes: {}, edges: [] };

/** A link's identity across loads, as the server writes it (server/core/investigations.ts linkKey). */
export function linkKey(e: { source: string; target: string; type?: string | null; label?: string | null }): string {
  return `${e.source}|${e.type ?? ''}|${e.target}|${e.label ?? ''}`;
}

export function marksOf(changes: SavedInvestigation['changes']): ChangeMarks {
  const nodes: Record<string, ChangeMark> = {};
  for (const p of changes.modified) nodes[p.id] = 'modified';
  for (const p of changes.removed) nodes[p.id] = 'removed';
  for (const p of changes.added) nodes[p.id] = 'added';
  return { nodes, edges: changes.linksAdded.map((l) => l.key) };
}

/**
 * Puts the marks on the elements drawn (and takes earlier ones off), in one batch. Only elements whose
 * marks change are touched (setClass): Cytoscape restyles every element a class call names, changed or
 * not, and this runs on every change of the canvas (6,242 elements restyled each time on a 2k canvas).
 */
export function applyChangeMarks(cy: Core, marks: ChangeMarks): void {
  const added = new Set(marks.edges);
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      const mark = marks.nodes[n.id()];
      for (const cls of MARK_CLASSES) setClass(n, cls, mark !== undefined && cls === `inv-${mark}`);
    });
    cy.edges().forEach((e) => {
      const isAdded = added.has(linkKey(e.data() as { source: string; target: string; type?: string; label?: string }));
      for (const cls of MARK_CLASSES) setClass(e, cls, isAdded && cls === 'inv-added');
    });
  });
}
