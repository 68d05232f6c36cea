/**
 * Expanding with programs as badges (program-badges.ts): an expansion follows every relationship type
 * shown but program membership (App passes useInvestigation `expansionTypes`), so a program's node comes
 * only when asked: "Show co-listed parties" (a program in a party's details, or a program's node) puts it
 * on the canvas with its members, bounded as any hub's expansion (EXPAND_CAP, then its "+N more" handle
 * pages on). With "Programs as hubs" on, everything expands as before.
 */
import { useRef } from 'react';
import * as gs from '../graph-state';
import { EXPAND_CAP, useInvestigation } from './useInvestigation';
import { PROGRAM_REL } from '../program-badges';

type Investigation = ReturnType<typeof useInvestigation>;

export function useProgramHubs(inv: Investigation, hubs: boolean) {
  const stateRef = useRef(inv.state);
  stateRef.current = inv.state;
  const isProgram = (id: string) => stateRef.current.nodes[id]?.kind === 'Program';

  /** The program's node (added when not on the canvas) and its members not on the canvas yet, the most relevant first. */
  const showColisted = async (program: string) => {
    if (!stateRef.current.nodes[program] && !(await inv.addIds([program]))) return; // the status bar says why
    await inv.expand(program, EXPAND_CAP, PROGRAM_REL);
    // Counted as the program's expansion (an expansion by one type is not, useInvestigation), in the same
    // undo step, so that its "+N more" handle pages on through the members.
    inv.setHistory((h) => (h.present.nodes[program] ? { ...h, present: gs.markExpanded(h.present, program) } : h));
  };

  /** Expands a node: a program's node by its members when programs are badges (its only relationships). */
  const expand = (id: string) => (!hubs && isProgram(id) ? showColisted(id) : inv.expand(id));

  /** Expands several nodes (a selection): programs' nodes by their members when programs are badges. */
  const expandAll = async (ids: string[]) => {
    const programs = hubs ? [] : ids.filter(isProgram);
    const rest = ids.filter((id) => !programs.includes(id));
    if (rest.length) await inv.expandAll(rest);
    for (const p of programs) await showColisted(p);
  };

  return { showColisted, expand, expandAll };
}
