/**
 * Credits become songwriter records. Each time a track's enrichment completes, its credits are
 * rebuilt (delete + insert) from what the providers stored: `tracks.songwriters` (MusicBrainz
 * names) and `tracks.writers` (The MLC: names with IPIs; MLC wins when both name the same person).
 * Producers are not songwriters.
 *
 * Who a credited writer is (name key from normalize-name.ts, IPI when known):
 * 1. an IPI already on record: that songwriter (and their name, if nobody has it, becomes theirs);
 * 2. a new IPI whose name is on record for a songwriter with no IPI yet: that songwriter gets it
 *    (MusicBrainz said "Ava Hart", The MLC says "HART, AVA" with an IPI: one record). One who has
 *    another IPI is a namesake: a new record gets the IPI, the name stays where it is;
 * 3. a name on record: its songwriter;
 * 4. otherwise a new songwriter with the name (and the IPI).
 * A name already owned by another record is left there: records are only merged by a person.
 *
 * Set-based: a batch of hundreds of tracks is a handful of statements (INSERT ... SELECT FROM
 * unnest). Two jobs meeting the same new writer both try to create them: aliases are claimed with
 * INSERT ... ON CONFLICT DO NOTHING and read back, so the second uses the first's record (it
 * waits for the first to commit) and drops the record it made in its own transaction.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';
import { songwriterAliases, songwriterCredits, songwriters, tracks, type CreditSource, type SongwriterAliasKind } from '~/server/db/schema';
import type { Tx } from '~/server/events/event-log';
import type { Runtime } from '~/server/runtime';
import type { TrackRow } from '~/server/tracks/track-transitions';
import { lockIdentitiesShared } from './identity-lock';
import { normalizeIpi, normalizeName, splitCreditNames } from './normalize-name';
import { rescoreSongwriters } from './rescore';

export interface TrackCredit {
  nameKey: string;
  /** The name as credited, written as a name (normalize-name.ts's display). */
  display: string;
  ipi: string | null;
  source: CreditSource;
}

/** How many tracks (or songwriters) one transaction of syncWorkspaceCredits takes. */
const WORKSPACE_CHUNK = 500;

/**
 * Rebuilds the credits of these tracks (their rows as just written) in the caller's transaction.
 * Returns the songwriters to rescore: those the tracks credited before and those they credit now.
 */
export async function syncTrackCredits(tx: Tx, workspaceId: string, trackRows: readonly TrackRow[]): Promise<string[]> {
  if (trackRows.length === 0) return [];
  await lockIdentitiesShared(tx.db, workspaceId);
  const previous = await rows<{ songwriter_id: string }>(
    tx.db,
    sql`DELETE FROM ${songwriterCredits} WHERE ${songwriterCredits.workspaceId} = ${workspaceId}
        AND ${songwriterCredits.trackId} = ANY(${sql.param(trackRows.map((track) => track.id))}::text[]) RETURNING songwriter_id`,
  );
  const credits = trackRows.flatMap((track) => creditsOf(track).map((credit) => ({ trackId: track.id, ...credit })));
  const owners = await resolveWriters(tx.db, workspaceId, credits);
  const ownerOf = (credit: TrackCredit) => (credit.ipi ? owners.get(aliasId('ipi', credit.ipi)) : owners.get(aliasId('name', credit.nameKey)))!;
  await insertCredits(tx.db, workspaceId, credits.map((credit) => ({ ...credit, songwriterId: ownerOf(credit) })));
  return [...new Set([...previous.map((row) => row.songwriter_id), ...credits.map(ownerOf)])].sort();
}

/**
 * The credits of one track: The MLC's writers first (they carry IPIs), then MusicBrainz names
 * for people The MLC did not name. A credit string naming several people is several credits; an
 * IPI only goes with a writer entry that names one person.
 */
export function creditsOf(track: Pick<TrackRow, 'songwriters' | 'writers'>): TrackCredit[] {
  const byKey = new Map<string, TrackCredit>();
  const add = (raw: string, ipi: string | null, source: CreditSource) => {
    const names = splitCreditNames(raw);
    for (const name of names) {
      const normalized = normalizeName(name)!;
      const credit = { nameKey: normalized.key, display: normalized.display, ipi: names.length === 1 ? ipi : null, source };
      const known = byKey.get(credit.nameKey);
      if (!known || (known.source === source && !known.ipi && credit.ipi)) byKey.set(credit.nameKey, credit);
    }
  };
  for (const writer of track.writers ?? []) add(writer.name, normalizeIpi(writer.ipi), 'mlc');
  for (const name of track.songwriters ?? []) add(name, null, 'musicbrainz');
  return [...byKey.values()];
}

/**
 * Rebuilds the credits of every completed track of the workspace, then rescores the songwriters
 * involved: for tracks enriched before credits were kept, and for the benchmark. Each chunk of
 * tracks is its own transaction, read FOR SHARE so a job finishing one of them meanwhile is
 * waited for (its data, not an older copy, is what ends up credited).
 */
export async function syncWorkspaceCredits(runtime: Runtime, workspaceId: string): Promise<{ tracks: number; songwriters: number }> {
  const affected = new Set<string>();
  let synced = 0;
  let after = '';
  for (;;) {
    const chunk = await runtime.log.transaction(async (tx) => {
      const found = await tx.db
        .select()
        .from(tracks)
        .where(and(eq(tracks.workspaceId, workspaceId), eq(tracks.enrichmentStatus, 'completed'), gt(tracks.id, after)))
        .orderBy(asc(tracks.id))
        .limit(WORKSPACE_CHUNK)
        .for('share');
      for (const id of await syncTrackCredits(tx, workspaceId, found)) affected.add(id);
      return found;
    });
    synced += chunk.length;
    if (chunk.length < WORKSPACE_CHUNK) break;
    after = chunk.at(-1)!.id;
  }
  const ids = [...affected];
  for (let i = 0; i < ids.length; i += WORKSPACE_CHUNK) {
    await runtime.log.transaction((tx) => rescoreSongwriters(tx, workspaceId, ids.slice(i, i + WORKSPACE_CHUNK)));
  }
  return { tracks: synced, songwriters: ids.length };
}

interface Writer {
  nameKey: string;
  display: string;
  ipi: string | null;
}

/** "ipi:00123456789" / "name:john smith": an alias as one string, to key maps by. */
const aliasId = (kind: SongwriterAliasKind, key: string) => `${kind}:${key}`;

/**
 * The songwriter of every IPI and name key among the writers (rules 1-4 of the file's comment),
 * creating records and aliases as needed. IPIs first: a name new to the workspace then goes to
 * the record its IPI found.
 */
async function resolveWriters(db: Executor, workspaceId: string, writers: readonly Writer[]): Promise<Map<string, string>> {
  if (writers.length === 0) return new Map();
  // Sorted, so concurrent syncs claim keys in one order (no deadlock) and a batch resolves the same way every time.
  const creditedWithIpi = writers.filter((w) => w.ipi).sort((a, b) => byText(a.ipi!, b.ipi!));
  const withIpi = [...firstBy(creditedWithIpi, (w) => w.ipi!).values()];
  const byName = [...firstBy(writers, (w) => w.nameKey).values()].sort((a, b) => byText(a.nameKey, b.nameKey));
  const lookup = { ipis: withIpi.map((w) => w.ipi!), names: byName.map((w) => w.nameKey) };

  let owners = await readOwners(db, workspaceId, lookup);
  const newIpis = withIpi.filter((w) => !owners.has(aliasId('ipi', w.ipi!)));
  if (newIpis.length > 0) {
    await claimAliases(db, workspaceId, 'ipi', await ipiTargets(db, workspaceId, newIpis, owners));
    owners = await readOwners(db, workspaceId, lookup);
  }
  const newNames = byName.filter((w) => !owners.has(aliasId('name', w.nameKey)));
  if (newNames.length > 0) {
    // A new name goes to the record of an IPI it was credited with, when there is one.
    const ipiOwnerOf = new Map<string, string>();
    for (const w of creditedWithIpi) if (!ipiOwnerOf.has(w.nameKey)) ipiOwnerOf.set(w.nameKey, owners.get(aliasId('ipi', w.ipi!))!);
    await claimAliases(
      db,
      workspaceId,
      'name',
      newNames.map((w) => ({ key: w.nameKey, display: w.display, songwriterId: ipiOwnerOf.get(w.nameKey) ?? null })),
    );
    owners = await readOwners(db, workspaceId, lookup);
  }
  return owners;
}

interface Claim {
  key: string;
  display: string;
  /** The record that gets the alias; null for a new record named `display`. */
  songwriterId: string | null;
}

/**
 * Where each new IPI goes: the record of its name when that record has no IPI yet (the first
 * such IPI of the batch only), else a new record.
 */
async function ipiTargets(db: Executor, workspaceId: string, newIpis: readonly Writer[], owners: Map<string, string>): Promise<Claim[]> {
  const nameOwners = [...new Set(newIpis.flatMap((w) => owners.get(aliasId('name', w.nameKey)) ?? []))];
  const taken = new Set(
    nameOwners.length === 0
      ? []
      : (
          await rows<{ songwriter_id: string }>(
            db,
            sql`SELECT DISTINCT songwriter_id FROM ${songwriterAliases}
                WHERE ${songwriterAliases.workspaceId} = ${workspaceId} AND ${songwriterAliases.kind} = 'ipi' AND songwriter_id = ANY(${sql.param(nameOwners)}::text[])`,
          )
        ).map((row) => row.songwriter_id),
  );
  return newIpis.map((w) => {
    const nameOwner = owners.get(aliasId('name', w.nameKey));
    if (!nameOwner || taken.has(nameOwner)) return { key: w.ipi!, display: w.display, songwriterId: null };
    taken.add(nameOwner);
    return { key: w.ipi!, display: w.display, songwriterId: nameOwner };
  });
}

/**
 * Inserts the aliases (ON CONFLICT DO NOTHING: a key someone else claimed first stays theirs),
 * creating the new records they point to; a new record that got none of its aliases is deleted
 * again, unseen, in the same transaction.
 */
async function claimAliases(db: Executor, workspaceId: string, kind: SongwriterAliasKind, claims: readonly Claim[]): Promise<void> {
  const targets = claims.map((claim) => claim.songwriterId ?? crypto.randomUUID());
  const created = claims.flatMap((claim, i) => (claim.songwriterId ? [] : [{ id: targets[i]!, name: claim.display }]));
  const text = (values: readonly string[]) => sql`${sql.param(values)}::text[]`;
  if (created.length > 0) {
    await db.execute(sql`INSERT INTO ${songwriters} (id, workspace_id, name)
      SELECT u.id, ${workspaceId}, u.name FROM unnest(${text(created.map((c) => c.id))}, ${text(created.map((c) => c.name))}) AS u(id, name)`);
  }
  await db.execute(sql`INSERT INTO ${songwriterAliases} (workspace_id, kind, key, display, songwriter_id)
    SELECT ${workspaceId}, ${kind}, u.key, u.display, u.songwriter_id
    FROM unnest(${text(claims.map((c) => c.key))}, ${text(claims.map((c) => c.display))}, ${text(targets)}) AS u(key, display, songwriter_id)
    ORDER BY u.key
    ON CONFLICT DO NOTHING`);
  if (created.length > 0) {
    await db.execute(sql`DELETE FROM ${songwriters} s WHERE s.id = ANY(${text(created.map((c) => c.id))})
      AND NOT EXISTS (SELECT 1 FROM ${songwriterAliases} a WHERE a.songwriter_id = s.id)`);
  }
}

/** Who holds each of these IPIs and names now, by aliasId. */
async function readOwners(db: Executor, workspaceId: string, lookup: { ipis: string[]; names: string[] }): Promise<Map<string, string>> {
  const found = await rows<{ kind: SongwriterAliasKind; key: string; songwriter_id: string }>(
    db,
    sql`SELECT kind, key, songwriter_id FROM ${songwriterAliases} WHERE ${songwriterAliases.workspaceId} = ${workspaceId} AND (
          (kind = 'ipi' AND key = ANY(${sql.param(lookup.ipis)}::text[])) OR (kind = 'name' AND key = ANY(${sql.param(lookup.names)}::text[])))`,
  );
  return new Map(found.map((row) => [aliasId(row.kind, row.key), row.songwriter_id]));
}

async function insertCredits(db: Executor, workspaceId: string, credits: ReadonlyArray<TrackCredit & { trackId: string; songwriterId: string }>): Promise<void> {
  if (credits.length === 0) return;
  const column = (pick: (credit: (typeof credits)[number]) => string | null) => sql`${sql.param(credits.map(pick))}::text[]`;
  await db.execute(sql`INSERT INTO ${songwriterCredits} (workspace_id, track_id, name_key, songwriter_id, credited_name, ipi, source)
    SELECT ${workspaceId}, u.track_id, u.name_key, u.songwriter_id, u.credited_name, u.ipi, u.source
    FROM unnest(${column((c) => c.trackId)}, ${column((c) => c.nameKey)}, ${column((c) => c.songwriterId)}, ${column((c) => c.display)}, ${column((c) => c.ipi)}, ${column((c) => c.source)})
      AS u(track_id, name_key, songwriter_id, credited_name, ipi, source)`);
}

function firstBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const first = new Map<string, T>();
  for (const item of items) if (!first.has(key(item))) first.set(key(item), item);
  return first;
}

/** Code-point order: the same on every machine, whatever its locale. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
