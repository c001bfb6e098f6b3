/** The follower chart's drawing: time on x, followers on y, a flat or single reading in the middle. */
import { expect, test } from 'vitest';
import { chartPoints } from '~/components/playlists/follower-chart';

test('the first reading is on the left, the last on the right; more followers is higher', () => {
  const points = chartPoints([
    { at: '2026-11-01T00:00:00.000Z', followers: 100 },
    { at: '2026-11-02T00:00:00.000Z', followers: 300 },
    { at: '2026-11-03T00:00:00.000Z', followers: 200 },
  ]);
  expect(points[0]!.x).toBeLessThan(points[1]!.x);
  expect(points[1]!.x).toBeLessThan(points[2]!.x);
  // SVG y grows downwards: the highest count has the smallest y.
  expect(points[1]!.y).toBeLessThan(points[2]!.y);
  expect(points[2]!.y).toBeLessThan(points[0]!.y);
});

test('one reading, or the same count throughout, sits in the middle instead of dividing by zero', () => {
  const [single] = chartPoints([{ at: '2026-11-01T00:00:00.000Z', followers: 5 }]);
  expect(Number.isFinite(single!.x) && Number.isFinite(single!.y)).toBe(true);
  const flat = chartPoints([
    { at: '2026-11-01T00:00:00.000Z', followers: 7 },
    { at: '2026-11-02T00:00:00.000Z', followers: 7 },
  ]);
  expect(flat[0]!.y).toBe(flat[1]!.y);
  expect(chartPoints([])).toEqual([]);
});
