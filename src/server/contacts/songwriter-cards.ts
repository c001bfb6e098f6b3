/**
 * Songwriters as list rows and board cards (SongwriterSummary): the record's totals, its IPIs and
 * other credited names, its top labels and its contact, read for a set of ids in a few
 * set-based queries (one per kind of fact, never one per songwriter).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';
import { songwriterAliases, songwriterCredits, songwriters, tracks } from '~/server/db/schema';
import type { PublisherStatus, SongwriterSummary } from '~/server/songwriters/types';
import { contactDto, loadContacts } from './contact-state';

/** Labels a card names, most credited tracks first. */
const TOP_LABELS = 3;

/** The summaries of these songwriters, in the order of `ids` (ids not of this workspace are left out). */
export async function songwriterCards(db: Executor, workspaceId: string, ids: readonly string[]): Promise<SongwriterSummary[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const [records, aliases, labels, contacts] = await Promise.all([
    db.select().from(songwriters).where(and(eq(songwriters.workspaceId, workspaceId), inArray(songwriters.id, unique))),
    db
      .select({ songwriterId: songwriterAliases.songwriterId, kind: songwriterAliases.kind, key: songwriterAliases.key, display: songwriterAliases.display })
      .from(songwriterAliases)
      .where(and(eq(songwriterAliases.workspaceId, workspaceId), inArray(songwriterAliases.songwriterId, unique)))
      .orderBy(songwriterAliases.createdAt, songwriterAliases.key),
    rows<{ songwriter_id: string; label: string }>(
      db,
      sql`SELECT songwriter_id, label FROM (
            SELECT c.songwriter_id, t.label, row_number() OVER (PARTITION BY c.songwriter_id ORDER BY count(*) DESC, lower(t.label)) AS rank
            FROM ${songwriterCredits} c JOIN ${tracks} t ON t.id = c.track_id
            WHERE c.workspace_id = ${workspaceId} AND c.songwriter_id = ANY(${sql.param(unique)}::text[]) AND nullif(t.label, '') IS NOT NULL
            GROUP BY c.songwriter_id, t.label
          ) ranked WHERE rank <= ${TOP_LABELS} ORDER BY songwriter_id, rank`,
    ),
    loadContacts(db, workspaceId, unique),
  ]);
  const byId = new Map(records.map((record) => [record.id, record]));
  const aliasesOf = groupBy(aliases, (alias) => alias.songwriterId);
  const labelsOf = groupBy(labels, (row) => row.songwriter_id);
  return ids.flatMap((id) => {
    const record = byId.get(id);
    if (!record) return [];
    const own = aliasesOf.get(id) ?? [];
    const contact = contacts.get(id);
    const otherNames = own.filter((alias) => alias.kind === 'name' && alias.display !== record.name).map((alias) => alias.display);
    return [
      {
        id,
        name: record.name,
        ipis: own.filter((alias) => alias.kind === 'ipi').map((alias) => alias.key),
        aliases: [...new Set(otherNames)],
        score: record.score,
        publisherStatus: record.publisherStatus as PublisherStatus,
        trackCount: record.trackCount,
        totalStreams: record.totalStreams,
        labels: (labelsOf.get(id) ?? []).map((row) => row.label),
        firstSeenAt: record.firstSeenAt.toISOString(),
        contact: contact ? contactSummary(contact) : null,
      },
    ];
  });
}

function contactSummary(state: Parameters<typeof contactDto>[0]): SongwriterSummary['contact'] {
  const { songwriterId: _songwriterId, ...summary } = contactDto(state);
  return summary;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
