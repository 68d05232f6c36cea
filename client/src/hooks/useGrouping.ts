/**
 * The canvas's groups (grouping.ts) and what the explorer does with them: G groups the selection, a
 * details panel's "Group the parties linked to it" groups an address's, identifier's or program's
 * parties, Shift+G ungroups, a double-click on a group opens or collapses it. Groups are a view, like the
 * canvas filter: not part of the investigation's undo history; the link carries them (url-state.ts).
 */
import { useRef, useState } from 'react';
import type { Investigation } from '../graph-state';
import { addGroup, Group, groupDisplay, groupLinked, groupsOf, isGroupId, makeGroup, toggleGroup, ungroup } from '../grouping';
import type { Notice } from './useInvestigation';

export function useGrouping(state: Investigation, notify: (n: Notice | null) => void) {
  const [groups, setGroups] = useState<Group[]>([]);
  const ref = useRef(groups);
  ref.current = groups;

  const done = (g: Group) => {
    setGroups((gs) => addGroup(gs, g));
    const kinds = g.members.map((m) => state.nodes[m]?.kind ?? '');
    notify({ text: `Grouped ${groupDisplay(g, g.members.length, kinds)}: double-click the group to open it, Shift+G to ungroup.`, kind: 'info' });
  };

  return {
    groups,
    setGroups,
    /** Groups the selected nodes (a selected group counts as its members). */
    group(selected: string[]) {
      const ids = selected.flatMap((id) => (isGroupId(id) ? (ref.current.find((g) => g.id === id)?.members ?? []) : [id]));
      const g = makeGroup(state, ids);
      if (g) done(g);
      else notify({ text: 'Select two or more nodes to group them (or an address, identifier or program, then “Group the parties linked to it”).', kind: 'warn' });
    },
    /** Groups the parties linked on the canvas to this address, identifier or program. */
    groupLinked(anchor: string) {
      const g = groupLinked(state, anchor);
      if (g) done(g);
      else notify({ text: `Fewer than two parties on the canvas are linked to ${state.nodes[anchor]?.label ?? anchor}: show everyone who shares it first.`, kind: 'warn' });
    },
    /** Ungroups the selected groups, and the groups of selected members. */
    ungroup(selected: string[]) {
      const gone = groupsOf(ref.current, selected);
      if (!gone.length) {
        notify({ text: 'Nothing selected is in a group: select a group (or one of its members) to ungroup it.', kind: 'warn' });
        return;
      }
      setGroups((gs) => ungroup(gs, selected));
      notify({ text: `Ungrouped ${gone.reduce((a, g) => a + g.members.length, 0)} nodes.`, kind: 'info' });
    },
    toggle(id: string) {
      setGroups((gs) => toggleGroup(gs, id));
    },
  };
}
