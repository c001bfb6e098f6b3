/**
 * The demo rights registry: the work behind a recording, its writers and publishers, deterministic
 * per ISRC (or, without one, per title and artist). About 55% of recordings lead to a published
 * work, 25% to a work no publisher holds a share of (unpublished), 20% to nothing (unknown). The
 * writers are the songwriters the demo credits provider gives the same ISRC, so the two agree,
 * some of them written as The MLC writes many ("HART, AVA").
 */
import { ProviderError, type RightsHolder, type RightsProvider, type RightsPublisher, type RightsQuery, type RightsWriter, type TrackRights } from '../types';
import { demoCreditsFor } from './demo-track-facts';
import { firstNames, lastNames } from './demo-vocabulary';
import { seededRandom, type SeededRandom } from './seeded-random';
import { simulateCall, simulatedItemFailure, type SimulationOptions } from './simulated-call';

const PUBLISHED_SHARE = 0.55;
const UNPUBLISHED_SHARE = 0.25;
/** Writers the registry has on file as "LAST, FIRST" in capitals. */
const REGISTERED_UPPER_SHARE = 0.4;

const majorPublishers = [
  'Sony Music Publishing (US) LLC',
  'Universal Music Corp.',
  'Warner-Tamerlane Publishing Corp.',
  'BMG Rights Management (US) LLC',
  'Concord Copyrights',
  'Peermusic III Ltd.',
  'Reservoir Media Music',
  'Round Hill Songs',
  'Big Machine Music LLC',
  'Spirit One Music',
] as const;
/** Who administers a writer's own publishing company: collects its share for it. */
const administrators = ['Kobalt Songs Music Publishing', 'Songtrust Ave', 'Sentric Music Publishing', 'Downtown Music Publishing LLC', 'CD Baby Pro', 'Sony Music Publishing (US) LLC'] as const;
const ownCompanySuffixes = ['Songs', 'Music', 'Tunes', 'Publishing', 'Music Co.'] as const;
/** CWR writer designations, as The MLC reports them: composer/author, composer, author. */
const writerRoles = ['CA', 'CA', 'C', 'A'] as const;
const workCodeLetters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const workCodeChars = `${workCodeLetters}0123456789`;

export class DemoRights implements RightsProvider {
  readonly name = 'demo-rights';

  constructor(private readonly opts: SimulationOptions) {}

  async lookupWork(query: RightsQuery, signal?: AbortSignal): Promise<TrackRights | null> {
    await simulateCall('demo rights', this.opts, signal);
    if (simulatedItemFailure(this.opts)) {
      throw new ProviderError(this.name, 'BAD_RESPONSE', `The demo rights registry returned an unreadable work for ${describe(query)} (simulated).`);
    }
    return demoRightsFor(query);
  }
}

/** What the demo registry holds for a recording; null when it knows no work for it. */
export function demoRightsFor(query: Pick<RightsQuery, 'isrc' | 'title' | 'artist'>): TrackRights | null {
  const key = query.isrc ? `isrc:${query.isrc.toUpperCase()}` : `title:${query.title.trim().toLowerCase()}|${query.artist.trim().toLowerCase()}`;
  const r = seededRandom(`rights:${key}`);
  const roll = r.next();
  if (roll >= PUBLISHED_SHARE + UNPUBLISHED_SHARE) return null;
  const published = roll < PUBLISHED_SHARE;

  const names = query.isrc ? demoCreditsFor(query.isrc.toUpperCase()).songwriters : [person(r), person(r)].filter((name, i, all) => all.indexOf(name) === i);
  const writers: RightsWriter[] = names.map((name) => ({ name: registeredName(name), ipi: r.next() < 0.9 ? ipiFor(name) : null, role: r.pick(writerRoles) }));
  return {
    workCode: workCode(r),
    iswc: r.next() < 0.85 ? iswc(r) : null,
    title: query.title,
    writers,
    publishers: published ? publishersFor(r, names) : unpublishedPublishers(r),
  };
}

/** 1-3 publishers; their collection shares add up to 100, or less when part of the work is unclaimed. `writers`: their names as credited. */
function publishersFor(r: SeededRandom, writers: readonly string[]): RightsPublisher[] {
  const count = Math.min(r.int(1, 3), Math.max(1, writers.length + 1));
  const claimed = r.next() < 0.75 ? 100 : r.pick([50, 66.67, 75, 87.5]);
  const weights = Array.from({ length: count }, () => r.int(1, 4));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const shares = weights.map((weight) => Math.round((claimed * weight * 100) / total) / 100);
  return shares.map((share, i) => {
    const writer = writers[i];
    if (writer && r.next() < 0.6) {
      // A writer's own company, administered by a publisher that collects its share.
      const name = `${writer.split(' ').at(-1)} ${r.pick(ownCompanySuffixes)}`;
      const administrator = r.pick(administrators);
      return { name, ipi: ipiFor(name), share, administrators: [{ name: administrator, ipi: ipiFor(administrator), share }] };
    }
    const name = r.pick(majorPublishers);
    return { name, ipi: ipiFor(name), share, administrators: [] };
  });
}

/** An unpublished work: usually no publisher at all, sometimes one listed with no share. */
function unpublishedPublishers(r: SeededRandom): RightsPublisher[] {
  if (r.next() < 0.7) return [];
  const name = r.pick(majorPublishers);
  return [{ name, ipi: ipiFor(name), share: 0, administrators: [] as RightsHolder[] }];
}

/** An IPI name number: 11 digits, the same for a name wherever it appears. */
function ipiFor(name: string): string {
  const r = seededRandom(`ipi:${name}`);
  return String(r.int(10_000_000, 999_999_999) * 100 + r.int(0, 99)).padStart(11, '0');
}

/** An ISWC, T-DDD.DDD.DDD-C, with its check digit (ISO 15707). */
function iswc(r: SeededRandom): string {
  const digits = Array.from({ length: 9 }, () => r.int(0, 9));
  const weighted = digits.reduce((sum, digit, i) => sum + digit * (i + 1), 1);
  const check = (10 - (weighted % 10)) % 10;
  const d = digits.join('');
  return `T-${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${check}`;
}

/** A song code shaped like The MLC's (six letters and digits, starting with a letter). */
function workCode(r: SeededRandom): string {
  let code = r.pick([...workCodeLetters]);
  for (let i = 0; i < 5; i++) code += r.pick([...workCodeChars]);
  return code;
}

/**
 * How the registry has a writer on file: about 40% of writers as The MLC lists many, "LAST, FIRST"
 * in capitals (the same way on every work, like a registration), the rest as credited. Songwriter
 * records then have to recognise "HART, AVA" as the "Ava Hart" MusicBrainz credits.
 */
function registeredName(name: string): string {
  if (seededRandom(`registered-name:${name}`).next() >= REGISTERED_UPPER_SHARE) return name;
  const parts = name.split(' ');
  return `${parts.at(-1)}, ${parts.slice(0, -1).join(' ')}`.toUpperCase();
}

function person(r: SeededRandom): string {
  return `${r.pick(firstNames)} ${r.pick(lastNames)}`;
}

function describe(query: RightsQuery): string {
  return query.isrc ? `ISRC ${query.isrc}` : `"${query.title}" by ${query.artist}`;
}
