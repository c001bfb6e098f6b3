/**
 * Which rows are selected, with shift-click ranges: a plain click toggles one row and becomes the
 * anchor; a shift-click sets every row between the anchor and the clicked one to the clicked
 * row's new state (as file managers and mail clients do).
 */
export interface Selection {
  ids: ReadonlySet<string>;
  anchor: string | null;
}

export const emptySelection: Selection = { ids: new Set(), anchor: null };

export function toggleRow(selection: Selection, order: readonly string[], id: string, shift: boolean): Selection {
  const ids = new Set(selection.ids);
  const select = !ids.has(id);
  const from = selection.anchor ? order.indexOf(selection.anchor) : -1;
  const to = order.indexOf(id);
  if (shift && from >= 0 && to >= 0) {
    const [start, end] = from < to ? [from, to] : [to, from];
    for (const one of order.slice(start, end + 1)) {
      if (select) ids.add(one);
      else ids.delete(one);
    }
  } else if (select) ids.add(id);
  else ids.delete(id);
  return { ids, anchor: id };
}

/** All of `order` selected, or none when all already were. */
export function toggleAll(selection: Selection, order: readonly string[]): Selection {
  const all = order.length > 0 && order.every((id) => selection.ids.has(id));
  return { ids: all ? new Set() : new Set(order), anchor: null };
}
