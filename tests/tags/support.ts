/**
 * Shared setup for the workbench tests (tags, saved views, track detail): people with real
 * accounts (saved views belong to a real user), callers acting as them, tracks and playlists
 * written straight to the database, and the explorer subscription collected in the background.
 */
import { TRPCError } from '@trpc/server';
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import type { WorkspaceRole } from '~/server/auth/roles';
import { playlists, playlistTracks, tracks } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import { addMember, createAccount, testCaller } from '../support/accounts';
import { collect } from '../support/iterate';

export type Caller = ReturnType<typeof createCaller>;

export interface Person {
  userId: string | null;
  name: string;
  workspaceId: string;
  role: WorkspaceRole;
}

/** A signed-up person who is `role` in `workspaceId` (their sign-up also gave them a workspace of their own). */
export async function personIn(runtime: Runtime, workspaceId: string, role: WorkspaceRole, name?: string): Promise<Person> {
  const account = await createAccount(runtime, { name });
  if (account.workspaceId !== workspaceId) await addMember(runtime, workspaceId, account.userId, role);
  return { userId: account.userId, name: account.name, workspaceId, role };
}

/** An API key's caller: it acts for the workspace, not for a person. */
export function apiKeyOf(workspaceId: string, role: WorkspaceRole = 'member'): Person {
  return { userId: null, name: 'API key "test"', workspaceId, role };
}

export function callerAs(runtime: Runtime, person: Person, signal?: AbortSignal): Caller {
  const caller = { ...testCaller(person.workspaceId, person.role), kind: person.userId ? ('session' as const) : ('apiKey' as const), userId: person.userId, name: person.name };
  return createCaller(createContextFactory(runtime)({ caller }), { signal });
}

/** The explorer's live stream as `person` sees it, collected until `stop()`; resolves once its first message (the snapshot) came. */
export async function explorerStream(runtime: Runtime, person: Person, input: { lastEventId?: string } = {}) {
  const controller = new AbortController();
  const iterable = await callerAs(runtime, person, controller.signal).trackExplorer(input);
  const sub = collect(iterable, controller);
  if (!input.lastEventId) {
    const deadline = Date.now() + 10_000;
    while (sub.messages.length === 0) {
      if (Date.now() > deadline) throw new Error('Timed out waiting for the explorer snapshot');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  return sub;
}

let seeded = 0;

/** `n` tracks in the workspace (pending, nothing enriched), named `${label} 1..n`; returns their ids in that order. */
export async function seedTracks(runtime: Runtime, workspaceId: string, n: number, label = 'Track'): Promise<string[]> {
  const batch = ++seeded;
  const values = Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(),
    workspaceId,
    spotifyId: `seed${batch}x${i}`,
    name: `${label} ${i + 1}`,
    artist: `${label} Artist`,
  }));
  for (let i = 0; i < values.length; i += 1000) await runtime.db.insert(tracks).values(values.slice(i, i + 1000));
  return values.map((v) => v.id);
}

/** A playlist holding `trackIds` in that order. */
export async function seedPlaylist(runtime: Runtime, workspaceId: string, name: string, trackIds: readonly string[]): Promise<string> {
  const [row] = await runtime.db.insert(playlists).values({ workspaceId, spotifyId: `seed-${crypto.randomUUID()}`, name, trackCount: trackIds.length }).returning({ id: playlists.id });
  if (trackIds.length) await runtime.db.insert(playlistTracks).values(trackIds.map((trackId, position) => ({ workspaceId, playlistId: row!.id, trackId, position })));
  return row!.id;
}

/** The tRPC error code a call ends with ('ok' when it succeeds), and its message. */
export async function outcomeOf(work: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work();
    return { code: 'ok', message: '' };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
}
