/**
 * Followers over time as a small line chart (inline SVG: one polyline, no chart library). The
 * figures are in the accessible name and in a table for screen readers, not in the drawing alone.
 */
import { formatCount } from '../ui/number-format';

export interface FollowerPoint {
  at: string;
  followers: number;
}

const WIDTH = 640;
const HEIGHT = 120;
const PAD = { top: 8, right: 8, bottom: 8, left: 8 };

/** Points scaled into the drawing: time on x, followers on y (a flat series sits in the middle). */
export function chartPoints(points: readonly FollowerPoint[]): { x: number; y: number }[] {
  if (points.length === 0) return [];
  const times = points.map((point) => Date.parse(point.at));
  const values = points.map((point) => point.followers);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.min(...values), Math.max(...values)];
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  return points.map((point, index) => ({
    x: PAD.left + (t1 === t0 ? innerW / 2 : ((times[index]! - t0) / (t1 - t0)) * innerW),
    y: PAD.top + (v1 === v0 ? innerH / 2 : (1 - (point.followers - v0) / (v1 - v0)) * innerH),
  }));
}

export function FollowerChart({ points }: { points: readonly FollowerPoint[] }) {
  if (points.length === 0) return <p className="text-sm text-zinc-500">No follower counts recorded yet.</p>;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const scaled = chartPoints(points);
  const min = Math.min(...points.map((point) => point.followers));
  const max = Math.max(...points.map((point) => point.followers));
  const change = last.followers - first.followers;
  const summary = `Followers from ${formatCount(first.followers)} to ${formatCount(last.followers)} (${change >= 0 ? '+' : ''}${formatCount(change)}) over ${points.length} readings; lowest ${formatCount(min)}, highest ${formatCount(max)}.`;
  return (
    <figure data-testid="follower-chart" data-points={points.length}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="h-28 w-full" preserveAspectRatio="none">
        <polyline
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          vectorEffect="non-scaling-stroke"
          className="text-indigo-600"
          points={scaled.map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ')}
        />
        {scaled.length === 1 ? <circle cx={scaled[0]!.x} cy={scaled[0]!.y} r={3} className="fill-indigo-600" /> : null}
      </svg>
      <figcaption className="mt-1 flex justify-between text-xs text-zinc-500 tabular-nums">
        <span>{formatCount(min)} – {formatCount(max)} followers</span>
        <span>
          now {formatCount(last.followers)} ({change >= 0 ? '+' : ''}
          {formatCount(change)})
        </span>
      </figcaption>
    </figure>
  );
}
