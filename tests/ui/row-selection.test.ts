/** Selecting rows in the explorer: click toggles one, shift-click a range, the header all or none. */
import { expect, test } from 'vitest';
import { emptySelection, toggleAll, toggleRow } from '~/components/explorer/row-selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const sorted = (ids: ReadonlySet<string>) => [...ids].sort();

test('a click toggles one row; a shift-click selects the range from the last clicked row, either way', () => {
  let selection = toggleRow(emptySelection, order, 'b', false);
  expect(sorted(selection.ids)).toEqual(['b']);
  selection = toggleRow(selection, order, 'd', true);
  expect(sorted(selection.ids)).toEqual(['b', 'c', 'd']);
  selection = toggleRow(selection, order, 'a', true);
  expect(sorted(selection.ids)).toEqual(['a', 'b', 'c', 'd']);
});

test('a shift-click on a selected row clears the range', () => {
  let selection = toggleRow(emptySelection, order, 'a', false);
  selection = toggleRow(selection, order, 'e', true);
  expect(selection.ids.size).toBe(5);
  selection = toggleRow(selection, order, 'c', false);
  selection = toggleRow(selection, order, 'e', true);
  expect(sorted(selection.ids)).toEqual(['a', 'b']);
});

test('shift without an anchor (or an anchor no longer shown) toggles just the row', () => {
  expect(sorted(toggleRow(emptySelection, order, 'c', true).ids)).toEqual(['c']);
  expect(sorted(toggleRow({ ids: new Set(['z']), anchor: 'z' }, order, 'c', true).ids)).toEqual(['c', 'z']);
});

test('the header checkbox selects every shown row, or clears them when all are selected', () => {
  const all = toggleAll(emptySelection, order);
  expect(all.ids.size).toBe(5);
  expect(toggleAll(all, order).ids.size).toBe(0);
});
