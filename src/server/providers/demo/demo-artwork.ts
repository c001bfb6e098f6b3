/**
 * Cover art for the demo catalog: a small SVG gradient as a data URL, its colours drawn from the
 * id. The demo runs offline, so a URL on a real image host would fail to load in every browser
 * (a console error per image); a data URL always renders and still tells covers apart.
 */
import { seededRandom } from './seeded-random';

export function demoArtworkUrl(id: string): string {
  const r = seededRandom(`artwork:${id}`);
  const hue = r.int(0, 359);
  const other = (hue + r.int(40, 140)) % 360;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="hsl(${hue} 70% 55%)"/><stop offset="1" stop-color="hsl(${other} 65% 35%)"/></linearGradient></defs>` +
    `<rect width="64" height="64" fill="url(#g)"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
