/**
 * Shapes shared by the songwriter, score and contact code, the API and the UI (issue 15).
 * Stored shapes (ScoreBreakdown, ContactHandles) are JSON columns; the DTOs are what procedures return.
 */
import type { ContactStage, SongwriterAliasKind } from '~/server/db/schema';

export type PublisherStatus = 'published' | 'unpublished' | 'unknown';

export const scoreCategoryKeys = ['publishing', 'pathway', 'earlyCareer', 'sparsity', 'independentCatalog', 'noIdentity'] as const;
export type ScoreCategoryKey = (typeof scoreCategoryKeys)[number];

/** One line of the score: what it is worth at most, what it got, and why (sentences a scout can check). */
export interface ScoreCategory {
  key: ScoreCategoryKey;
  label: string;
  points: number;
  max: number;
  evidence: string[];
}

export interface ScoreBreakdown {
  /** The score: the categories' points summed, capped at 10, one decimal. */
  total: number;
  categories: ScoreCategory[];
  /** How many credited tracks it was computed from. */
  tracks: number;
}

export const handleKinds = ['email', 'instagram', 'tiktok', 'x', 'website'] as const;
export type HandleKind = (typeof handleKinds)[number];
export type ContactHandles = Partial<Record<HandleKind, string>>;

export interface ContactSummary {
  stage: ContactStage;
  ownerId: string | null;
  ownerName: string | null;
  handles: ContactHandles;
  position: number;
  notes: number;
  updatedAt: string;
}

/** A row of songwriters.list and a card's songwriter. */
export interface SongwriterSummary {
  id: string;
  name: string;
  /** The IPI name numbers on record for them (aliases of kind ipi). */
  ipis: string[];
  /** Other names they are credited as (display forms). */
  aliases: string[];
  score: number;
  publisherStatus: PublisherStatus;
  trackCount: number;
  totalStreams: number;
  /** Up to three labels, most tracks first. */
  labels: string[];
  firstSeenAt: string;
  contact: ContactSummary | null;
}

export interface ContactNote {
  id: string;
  body: string;
  by: string | null;
  byName: string | null;
  at: string;
}

export interface IdentityOperation {
  id: string;
  kind: 'merge' | 'split';
  /** A sentence: "Merged J. Smith into John Smith." */
  summary: string;
  by: string | null;
  byName: string | null;
  at: string;
  undoneAt: string | null;
  /** False when a later operation on these records has to be undone first, or it is undone. */
  undoable: boolean;
}

export interface SongwriterDetail extends SongwriterSummary {
  breakdown: ScoreBreakdown | null;
  scoredAt: string | null;
  aliasRecords: Array<{ kind: SongwriterAliasKind; key: string; display: string; tracks: number }>;
  tracks: Array<{
    id: string;
    name: string;
    artist: string;
    label: string | null;
    isrc: string | null;
    streams: number | null;
    publisherStatus: PublisherStatus;
    creditedAs: string;
    playlists: Array<{ id: string; name: string }>;
  }>;
  playlists: Array<{ id: string; name: string; tracks: number }>;
  labelsDetail: Array<{ label: string; tracks: number; pathway: 'diy' | 'independent_distributor' | 'independent_label' | 'major' | 'unknown' }>;
  publishers: Array<{ name: string; ipi: string | null; works: number }>;
  operations: IdentityOperation[];
  notes: ContactNote[];
}

/** songwriters.get of a record merged into another: where it went. */
export interface MergedSongwriter {
  id: string;
  mergedInto: string;
}
