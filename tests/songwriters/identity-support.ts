/**
 * What the identity tests share: completed tracks with credits written straight to the database
 * and turned into songwriter records by the real sync (as the enrichment worker's last batch
 * does), and a snapshot of every identity table of a workspace, to compare before and after.
 */
import { asc, eq } from 'drizzle-orm';
import { contactNotes, contacts, songwriterAliases, songwriterCredits, songwriters, tracks, type RightsWriter } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import { rescoreSongwriters } from '~/server/songwriters/rescore';
import { syncTrackCredits } from '~/server/songwriters/sync-credits';
import type { TrackRow } from '~/server/tracks/track-transitions';

export interface CreditedTrack {
  name?: string;
  /** MusicBrainz credit names. */
  songwriters?: string[];
  /** The MLC's writers: "NAME" or ["NAME", ipi]. */
  writers?: Array<string | [string, string | null]>;
  producers?: string[];
  label?: string | null;
  streams?: number | null;
}

let seeded = 0;

/** Completed tracks carrying these credits (not yet synced); returns their rows. */
export async function seedCreditedTracks(runtime: Runtime, workspaceId: string, specs: readonly CreditedTrack[]): Promise<TrackRow[]> {
  const batch = ++seeded;
  return runtime.db
    .insert(tracks)
    .values(
      specs.map((spec, i) => ({
        workspaceId,
        spotifyId: `identity${batch}x${i}`,
        name: spec.name ?? `Song ${batch}.${i}`,
        artist: 'Some Artist',
        enrichmentStatus: 'completed' as const,
        label: spec.label ?? null,
        streams: spec.streams ?? null,
        songwriters: spec.songwriters ?? null,
        producers: spec.producers ?? null,
        writers: spec.writers?.map((w): RightsWriter => (typeof w === 'string' ? { name: w, ipi: null, role: 'CA' } : { name: w[0], ipi: w[1], role: 'CA' })) ?? null,
      })),
    )
    .returning();
}

/** Syncs the tracks' credits and rescores, in one transaction, as the worker's last batch does; returns the affected songwriter ids. */
export function syncCredits(runtime: Runtime, workspaceId: string, rows: readonly TrackRow[]): Promise<string[]> {
  return runtime.log.transaction(async (tx) => {
    const affected = await syncTrackCredits(tx, workspaceId, rows);
    await rescoreSongwriters(tx, workspaceId, affected);
    return affected;
  });
}

/** Seeds the tracks and syncs them; returns their rows. */
export async function credited(runtime: Runtime, workspaceId: string, specs: readonly CreditedTrack[]): Promise<TrackRow[]> {
  const rows = await seedCreditedTracks(runtime, workspaceId, specs);
  await syncCredits(runtime, workspaceId, rows);
  return rows;
}

/** The record a name key or IPI belongs to now (undefined: nobody's). */
export async function ownerOf(runtime: Runtime, workspaceId: string, kind: 'name' | 'ipi', key: string): Promise<string | undefined> {
  const found = await runtime.db.select().from(songwriterAliases).where(eq(songwriterAliases.workspaceId, workspaceId));
  return found.find((alias) => alias.kind === kind && alias.key === key)?.songwriterId;
}

/** Every identity row of the workspace, in a stable order. */
export async function identityState(runtime: Runtime, workspaceId: string) {
  const db = runtime.db;
  return {
    songwriters: await db
      .select({ id: songwriters.id, name: songwriters.name, mergedIntoId: songwriters.mergedIntoId, trackCount: songwriters.trackCount })
      .from(songwriters)
      .where(eq(songwriters.workspaceId, workspaceId))
      .orderBy(asc(songwriters.id)),
    aliases: await db
      .select({ kind: songwriterAliases.kind, key: songwriterAliases.key, display: songwriterAliases.display, songwriterId: songwriterAliases.songwriterId })
      .from(songwriterAliases)
      .where(eq(songwriterAliases.workspaceId, workspaceId))
      .orderBy(asc(songwriterAliases.kind), asc(songwriterAliases.key)),
    credits: await db
      .select({
        trackId: songwriterCredits.trackId,
        nameKey: songwriterCredits.nameKey,
        songwriterId: songwriterCredits.songwriterId,
        creditedName: songwriterCredits.creditedName,
        ipi: songwriterCredits.ipi,
        source: songwriterCredits.source,
      })
      .from(songwriterCredits)
      .where(eq(songwriterCredits.workspaceId, workspaceId))
      .orderBy(asc(songwriterCredits.trackId), asc(songwriterCredits.nameKey)),
    contacts: await db
      .select({ songwriterId: contacts.songwriterId, stage: contacts.stage, ownerId: contacts.ownerId, handles: contacts.handles, position: contacts.position })
      .from(contacts)
      .where(eq(contacts.workspaceId, workspaceId))
      .orderBy(asc(contacts.songwriterId)),
    notes: await db
      .select({ id: contactNotes.id, songwriterId: contactNotes.songwriterId, body: contactNotes.body })
      .from(contactNotes)
      .where(eq(contactNotes.workspaceId, workspaceId))
      .orderBy(asc(contactNotes.id)),
  };
}

/** A contact (and optionally a note) on a songwriter, written straight to the tables. */
export async function makeContact(runtime: Runtime, workspaceId: string, songwriterId: string, opts: { note?: string; email?: string } = {}): Promise<void> {
  await runtime.db.insert(contacts).values({ songwriterId, workspaceId, stage: 'researching', handles: { email: opts.email ?? 'writer@example.com' }, position: 3 });
  if (opts.note) await runtime.db.insert(contactNotes).values({ workspaceId, songwriterId, body: opts.note });
}
