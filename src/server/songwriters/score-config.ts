/**
 * What the unsigned score knows about the music business: which labels are DIY distributors,
 * independent distributors or majors, and which playlists are early-career ones. It lives in an
 * editable data file (config/label-classes.json, or the file LABEL_CLASSES_PATH names), read once
 * per process; a file that does not parse stops the process with the problem named, rather than
 * scoring every songwriter against half a list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** A release's pathway, from the artist's own (diy) to a major's; `unknown` is a track with no label. */
export type LabelClass = 'diy' | 'independent_distributor' | 'independent_label' | 'major' | 'unknown';

export const defaultLabelClassesPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../config/label-classes.json');

const names = z.array(z.string().trim().min(1, 'a name may not be empty'));
const fileSchema = z
  .object({
    _comment: z.union([z.string(), z.array(z.string())]).optional(),
    diy: names.min(1),
    independent_distributor: names.min(1),
    major: names.min(1),
    selfReleased: names.default([]),
    earlyCareerPlaylists: names.min(1),
  })
  .strict();

type GroupClass = 'diy' | 'independent_distributor' | 'major';

export interface ScoreConfig {
  /** The file it was read from. */
  source: string;
  /** Every group name, in word form (see wordsOf) and as the file writes it, longest first: the first a label contains decides. */
  groupNames: Array<{ words: string; name: string; labelClass: GroupClass }>;
  selfReleased: Set<string>;
  /** The early-career names as the file writes them, and lower-cased for matching. */
  earlyCareerPlaylists: string[];
  earlyCareerPatterns: string[];
  /** Labels already looked up, as written (a workspace has a few thousand, each on many tracks). */
  looked: Map<string, { words: string; pathway: LabelPathway }>;
}

/** A label's class and why: the group name it contains, the artist's own name, or a self-released label. */
export interface LabelPathway {
  labelClass: LabelClass;
  because: { kind: 'group'; name: string } | { kind: 'artist' } | { kind: 'selfReleased' } | null;
}

export class ScoreConfigError extends Error {
  readonly code = 'SCORE_CONFIG_INVALID';
}

/** Reads and checks a label-classes file. */
export function readScoreConfig(file: string): ScoreConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScoreConfigError(`The label classes file ${file} could not be read: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
    throw new ScoreConfigError(`The label classes file ${file} is not valid: ${problems}`);
  }
  const data = parsed.data;
  const groupNames = (['diy', 'independent_distributor', 'major'] as const)
    .flatMap((labelClass) => data[labelClass].map((name) => ({ words: wordsOf(name), name, labelClass })))
    .filter((entry) => entry.words !== '')
    .sort((a, b) => b.words.length - a.words.length);
  return {
    source: file,
    groupNames,
    selfReleased: new Set(data.selfReleased.map(wordsOf)),
    earlyCareerPlaylists: data.earlyCareerPlaylists,
    earlyCareerPatterns: data.earlyCareerPlaylists.map((name) => name.toLowerCase()),
    looked: new Map(),
  };
}

// On globalThis, like the rate limiters: a second copy of this module (Next's bundle of a route)
// uses the config the server checked at startup.
const configKey = Symbol.for('linernotes.scoreConfig');
const holder = globalThis as { [configKey]?: ScoreConfig };

/** The process's config: read on first use from LABEL_CLASSES_PATH, or config/label-classes.json. */
export function scoreConfig(): ScoreConfig {
  return (holder[configKey] ??= readScoreConfig(process.env.LABEL_CLASSES_PATH || defaultLabelClassesPath));
}

/** Reads the file again (or another file) and makes it the process's config: at startup, and in tests. */
export function reloadScoreConfig(file: string = process.env.LABEL_CLASSES_PATH || defaultLabelClassesPath): ScoreConfig {
  holder[configKey] = readScoreConfig(file);
  return holder[configKey];
}

/**
 * A release's pathway from its label (and the track's artist):
 * - no label (null, empty) is `unknown`;
 * - a label that is the artist's own name, or one of `selfReleased` as a whole ("Independent",
 *   "Self-released"), is `diy`: the artist put it out themselves, through some DIY distributor;
 * - a label containing a group's name as whole words is of that group ("Atlantic Records UK" is
 *   major), the longest matching name deciding between groups;
 * - any other label is an `independent_label`.
 */
export function explainLabel(label: string | null | undefined, artist?: string | null, config: ScoreConfig = scoreConfig()): LabelPathway {
  const { words, pathway } = lookUp(label ?? '', config);
  if (artist && pathway.because?.kind !== 'selfReleased' && words !== '' && artistNames(artist).includes(words)) return artistsOwn;
  return pathway;
}

const artistsOwn: LabelPathway = { labelClass: 'diy', because: { kind: 'artist' } };

/** Past this many labels the lookups start over: a bound on what a long-lived process keeps. */
const maxLooked = 50_000;

/** A label's words and its pathway apart from any artist, worked out once per label and config. */
function lookUp(label: string, config: ScoreConfig): { words: string; pathway: LabelPathway } {
  let found = config.looked.get(label);
  if (!found) {
    const words = wordsOf(label);
    const padded = ` ${words} `;
    const match = words === '' ? undefined : config.groupNames.find((entry) => padded.includes(` ${entry.words} `));
    const pathway: LabelPathway =
      words === ''
        ? { labelClass: 'unknown', because: null }
        : config.selfReleased.has(words)
          ? { labelClass: 'diy', because: { kind: 'selfReleased' } }
          : match
            ? { labelClass: match.labelClass, because: { kind: 'group', name: match.name } }
            : { labelClass: 'independent_label', because: null };
    found = { words, pathway };
    if (config.looked.size >= maxLooked) config.looked.clear();
    config.looked.set(label, found);
  }
  return found;
}

export function classifyLabel(label: string | null | undefined, artist?: string | null, config: ScoreConfig = scoreConfig()): LabelClass {
  return explainLabel(label, artist, config).labelClass;
}

/** True when a playlist's name contains one of the early-career names, ignoring case. */
export function isEarlyCareerPlaylist(name: string, config: ScoreConfig = scoreConfig()): boolean {
  const lower = name.toLowerCase();
  return config.earlyCareerPatterns.some((pattern) => lower.includes(pattern));
}

/** "Spinnin' Records, Ltd." -> "spinnin records ltd": lower case, no accents, words apart by single spaces. */
function wordsOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The artists a track's artist field names ("A, B & C feat. D"), each in word form. */
function artistNames(artist: string): string[] {
  const whole = wordsOf(artist);
  const parts = artist.split(/\s*(?:,|&|\bfeat\.?|\bft\.?|\bfeaturing\b|\bx\b|\bwith\b)\s*/i).map(wordsOf);
  return [whole, ...parts].filter((name) => name !== '');
}
