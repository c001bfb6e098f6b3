/**
 * The unsigned score: how likely a songwriter is to have no publisher yet and to be early enough
 * in their career to sign, 0-10, from everything their credited tracks say (aggregate.ts). Pure:
 * the same aggregate and config give the same breakdown, and every point comes with sentences
 * that name what a scout can check (the track, the publisher, the label, the playlist).
 *
 * Categories and points (issue 15): publishing 4, release pathway 3, early-career playlists 2,
 * metadata sparsity 1, consistent independent catalog 0.5, no external identity record 0.5;
 * the total is capped at 10.
 */
import type { SongwriterAggregate } from './aggregate';
import { explainLabel, isEarlyCareerPlaylist, type LabelClass, type LabelPathway, type ScoreConfig } from './score-config';
import type { PublisherStatus, ScoreBreakdown, ScoreCategory } from './types';

const pathwayPoints: Record<LabelClass, number> = { diy: 3, independent_distributor: 2, independent_label: 1, major: 0, unknown: 0 };
const pathwayNames: Record<LabelClass, string> = {
  diy: 'self-released or through a DIY distributor',
  independent_distributor: 'through an independent distributor',
  independent_label: 'on an independent label',
  major: 'on a major label',
  unknown: 'on no known label',
};
/**
 * Evidence lists stop here ("And 4 more labels."): the breakdown is stored with the songwriter and
 * sent with every score change, and the songwriter's page lists all of their labels and playlists.
 */
const shown = 3;

export function scoreSongwriter(aggregate: SongwriterAggregate, config: ScoreConfig): ScoreBreakdown {
  const releases = classifyReleases(aggregate, config);
  const categories = [
    publishing(aggregate),
    pathway(releases),
    earlyCareer(aggregate, config),
    sparsity(aggregate),
    independentCatalog(releases),
    noIdentity(aggregate),
  ];
  const sum = categories.reduce((total, category) => total + category.points, 0);
  return { total: Math.min(10, round1(sum)), categories, tracks: aggregate.tracks };
}

/** Over their works: `published` if any has a publisher, `unpublished` if some were found and none has, else `unknown`. */
export function publisherStatusOf(aggregate: SongwriterAggregate): PublisherStatus {
  if (aggregate.works.published > 0) return 'published';
  return aggregate.works.unpublished > 0 ? 'unpublished' : 'unknown';
}

function publishing(aggregate: SongwriterAggregate): ScoreCategory {
  const { published, unpublished, unknown } = aggregate.works;
  const category = { key: 'publishing', label: 'Publishing', max: 4 } as const;
  if (published > 0) {
    const evidence = aggregate.publishedWorks.map(
      (work) => `${trackOf(work)} is published by ${work.publishers.length > 0 ? listOf(work.publishers) : 'a publisher'}${work.workCode ? ` (work ${work.workCode})` : ''}.`,
    );
    if (published > aggregate.publishedWorks.length) evidence.push(`${count(published - aggregate.publishedWorks.length, 'more work')} of theirs ${published - aggregate.publishedWorks.length === 1 ? 'has' : 'have'} a publisher.`);
    return { ...category, points: 0, evidence };
  }
  if (unpublished > 0) {
    const evidence = [
      `No publisher holds a share of any of their ${count(unpublished, 'work')} found: ${listOf(aggregate.unpublishedWorks.map(trackOf))}${unpublished > aggregate.unpublishedWorks.length ? ' and more' : ''}.`,
    ];
    if (unknown > 0) evidence.push(`No work was found for ${count(unknown, 'other track')}.`);
    return { ...category, points: 4, evidence };
  }
  return { ...category, points: 0, evidence: [`No work was found for any of their ${count(unknown, 'track')}: whether they have a publisher is unknown.`] };
}

interface ClassifiedLabel extends LabelPathway {
  label: string;
  tracks: number;
  /** One of its tracks' names. */
  example: string;
}

const establishment: Record<LabelClass, number> = { major: 0, independent_label: 1, independent_distributor: 2, diy: 3, unknown: 4 };

/**
 * Their labels with a class each, most established first, then most tracks. A label is one entry
 * per class: it can be the artist's own name on some of its tracks and not on others.
 */
function classifyReleases(aggregate: SongwriterAggregate, config: ScoreConfig): ClassifiedLabel[] {
  const labels: ClassifiedLabel[] = [];
  const byLabel = new Map<string, ClassifiedLabel[]>();
  for (const release of aggregate.releases) {
    const pathway = explainLabel(release.label, release.artist, config);
    if (pathway.labelClass === 'unknown') continue; // punctuation only: no label
    const same = byLabel.get(release.label);
    const entry = same?.find((other) => other.labelClass === pathway.labelClass);
    if (entry) {
      entry.tracks += release.tracks;
      continue;
    }
    const added: ClassifiedLabel = { labelClass: pathway.labelClass, because: pathway.because, label: release.label, tracks: release.tracks, example: release.example };
    labels.push(added);
    if (same) same.push(added);
    else byLabel.set(release.label, [added]);
  }
  return labels.sort(
    (a, b) => establishment[a.labelClass] - establishment[b.labelClass] || b.tracks - a.tracks || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
}

function pathway(labels: ClassifiedLabel[]): ScoreCategory {
  const category = { key: 'pathway', label: 'Release pathway', max: 3 } as const;
  if (labels.length === 0) return { ...category, points: 0, evidence: ['No label is known for any of their tracks.'] };
  // Sorted most established first: the first label's class is theirs.
  const theirs = labels[0]!.labelClass;
  const points = pathwayPoints[theirs];
  const evidence = [`Their most established releases are ${pathwayNames[theirs]}: ${count(points, 'point')}.`];
  for (const label of labels.slice(0, shown)) evidence.push(labelSentence(label));
  if (labels.length > shown) evidence.push(`And ${count(labels.length - shown, 'more label')}.`);
  return { ...category, points, evidence };
}

function labelSentence(label: ClassifiedLabel): string {
  const on = `“${label.label}” (${count(label.tracks, 'track')}, ${exampleOf(label)})`;
  const because = label.because;
  if (because?.kind === 'artist') return `${on} is the artist's own name: self-released.`;
  if (because?.kind === 'selfReleased') return `${on} means self-released.`;
  const is = {
    diy: 'is a DIY distributor',
    independent_distributor: 'is an independent distributor',
    major: 'is a major label',
    independent_label: 'is an independent label (not in the label list)',
    unknown: 'is no label',
  }[label.labelClass];
  return `${on} ${is}${because?.kind === 'group' && because.name.toLowerCase() !== label.label.toLowerCase() ? ` (it names ${because.name})` : ''}.`;
}

function earlyCareer(aggregate: SongwriterAggregate, config: ScoreConfig): ScoreCategory {
  const category = { key: 'earlyCareer', label: 'Early-career playlists', max: 2 } as const;
  const early = aggregate.playlists.filter((playlist) => isEarlyCareerPlaylist(playlist.name, config));
  if (early.length === 0) {
    const names = config.earlyCareerPlaylists.slice(0, 4).map((name) => `“${name}”`);
    const more = config.earlyCareerPlaylists.length > names.length ? ', …' : '';
    return { ...category, points: 0, evidence: [`None of their tracks is on an early-career playlist (a name containing ${names.join(', ')}${more}).`] };
  }
  const evidence = early.slice(0, shown).map((playlist) => `“${playlist.example}” is on ${playlist.name}.`);
  if (early.length > shown) evidence.push(`Their tracks are on ${count(early.length - shown, 'more early-career playlist')}.`);
  return { ...category, points: 2, evidence };
}

function sparsity(aggregate: SongwriterAggregate): ScoreCategory {
  const { tracks, missing } = aggregate;
  const noIpi = aggregate.ipis.length === 0 ? 1 : 0;
  // Five facts per track and one about the person: the share missing is the points.
  const facts = tracks * 5 + 1;
  const absent = missing.isrc + missing.label + missing.releaseDate + missing.iswc + missing.streams + noIpi;
  const parts = (
    [
      ['ISRC', missing.isrc],
      ['label', missing.label],
      ['release date', missing.releaseDate],
      ['ISWC', missing.iswc],
      ['stream count', missing.streams],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([fact, n]) => `no ${fact} on ${n} of ${count(tracks, 'track')}`);
  if (noIpi) parts.push('no IPI');
  const evidence =
    absent === 0
      ? [`Every fact is known: ISRC, label, release date, ISWC and streams on ${tracks === 1 ? 'their one track' : `all ${tracks} tracks`}, and an IPI.`]
      : [`${absent} of ${facts} facts are missing: ${parts.join(', ')}.`];
  return { key: 'sparsity', label: 'Metadata sparsity', max: 1, points: round1(absent / facts), evidence };
}

function independentCatalog(labels: ClassifiedLabel[]): ScoreCategory {
  const category = { key: 'independentCatalog', label: 'Consistent independent catalog', max: 0.5 } as const;
  const major = labels.find((label) => label.labelClass === 'major');
  if (major) return { ...category, points: 0, evidence: [`“${major.label}” is a major label (${exampleOf(major)}).`] };
  const labelled = labels.reduce((total, label) => total + label.tracks, 0);
  if (labelled < 2) return { ...category, points: 0, evidence: [`${labelled === 0 ? 'No' : 'Only one'} track of theirs has a label: two are needed.`] };
  return { ...category, points: 0.5, evidence: [`${count(labelled, 'labelled track')}, none on a major label.`] };
}

function noIdentity(aggregate: SongwriterAggregate): ScoreCategory {
  const category = { key: 'noIdentity', label: 'No external identity record', max: 0.5 } as const;
  if (aggregate.ipis.length === 0) return { ...category, points: 0.5, evidence: ['No IPI name number is on record for them.'] };
  return { ...category, points: 0, evidence: [`IPI ${listOf(aggregate.ipis)} on record.`] };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : noun.endsWith('s') ? noun : `${noun}s`}`;
}

function trackOf(work: { track: string; artist: string }): string {
  return `“${work.track}” by ${work.artist}`;
}

function exampleOf(label: ClassifiedLabel): string {
  return `${label.tracks > 1 ? 'e.g. ' : ''}“${label.example}”`;
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
