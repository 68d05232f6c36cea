/**
 * Group buttons for the selection (the mouse's way to G and Shift+G, hooks/useGrouping.ts): "Group" when two
 * or more nodes are selected, "Open" / "Collapse" and "Ungroup" when a group (or one of its members) is.
 */
import { Group, groupsOf } from '../grouping';

interface Props {
  selected: string[];
  groups: Group[];
  onGroup(): void;
  onUngroup(): void;
  onToggle(id: string): void;
}

export function GroupActions({ selected, groups, onGroup, onUngroup, onToggle }: Props) {
  const picked = groupsOf(groups, selected);
  // Two or more things selected (nodes, or a group with something else) make a group.
  const canGroup = selected.length >= 2;
  if (!canGroup && !picked.length) return null;
  const one = picked.length === 1 ? picked[0] : null;
  return (
    <div className="details group-actions" data-testid="group-actions">
      {one && selected.includes(one.id) && (
        <p className="muted">
          A group of {one.members.length} nodes{one.what ? ` ${one.what}` : ''}.
        </p>
      )}
      {canGroup && (
        <button onClick={onGroup} title="Group the selected nodes into one (G)">
          Group
        </button>
      )}
      {one && <button onClick={() => onToggle(one.id)}>{one.collapsed ? 'Open group' : 'Collapse group'}</button>}
      {picked.length > 0 && (
        <button onClick={onUngroup} title="Ungroup (Shift+G): the members come back where they were">
          Ungroup
        </button>
      )}
    </div>
  );
}
