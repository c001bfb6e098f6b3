/**
 * Songwriters and contacts are sealed per workspace. Workspaces A and B each have songwriters
 * (names, aliases, IPIs), contacts with owners and handles, notes, and a merge (every name and
 * note of A carries AMARK). Over a real server, with B's API key over WebSocket and over SSE:
 * songwriters.list / get and contacts.board with and without A's ids and names in their input;
 * every mutation of issue 15 aimed at A's ids (contacts.create / update / move / remove / note,
 * a card placed before one of A's, songwriters.merge either way, split, undo of A's operation)
 * is NOT_FOUND and changes nothing of A's; the `leads` stream, fresh and resumed from an id of
 * A's, while A is busy; and the leads export route with B's key and with B's cookie. Everything B
 * receives is searched for AMARK and A's workspace id; B's own data must be there, so the search
 * is not over nothing.
 */
import { TRPCClientError } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as leadsExportRoute } from '~/app/api/leads/export/route';
import { contactNotes, contacts, songwriterAliases, songwriterIdentityOps, songwriters } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import type { AppServer } from '~/server/http/app-server';
import { forgetRuntime } from '~/server/runtime';
import { cleanupList, recorder, serveRouteHandlersFrom } from '../access/support';
import { serveRoutes } from '../explorer/support';
import { createAccount, createKey, type Account } from '../support/accounts';
import { eventsOf, waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { clientFor, startTestServer } from '../support/server';
import { callerAs, seedSongwriter, type Person } from './support';

const AMARK = 'Aardvarkzz';
const BMARK = 'Beeswaxqq';
const transports = ['ws', 'sse'] as const;

const cleanups = cleanupList();
let runtime: TestRuntime;
let server: AppServer;
let routes: Awaited<ReturnType<typeof serveRoutes>>;
let ownerA: Account;
let ownerB: Account;
let personA: Person;
let personB: Person;
let keyB: string;
/** A's songwriters: [survivor of A's merge, a contact, the merged one]; B's: [a contact, not a contact]. */
const a = { ids: [] as string[], aliasKey: '', operationId: '' };
const b = { ids: [] as string[] };

beforeAll(async () => {
  runtime = await createTestRuntime();
  cleanups.add(() => runtime.dispose());
  server = await startTestServer(runtime);
  cleanups.add(() => server.close());
  serveRouteHandlersFrom(runtime);
  cleanups.add(() => forgetRuntime());
  routes = await serveRoutes({ '/api/leads/export': leadsExportRoute });
  cleanups.add(() => routes.close());
  ownerA = await createAccount(runtime, { name: `${AMARK} Owner` });
  ownerB = await createAccount(runtime, { name: `${BMARK} Owner` });
  personA = { userId: ownerA.userId, name: ownerA.name, workspaceId: ownerA.workspaceId, role: 'owner' };
  personB = { userId: ownerB.userId, name: ownerB.name, workspaceId: ownerB.workspaceId, role: 'owner' };
  keyB = await createKey(runtime, ownerB.workspaceId, 'member');

  const tracks = [{ label: `${AMARK} Records`, streams: 100 }];
  for (const [i, name] of ['Survivor', 'Contact', 'Merged'].entries()) {
    a.ids.push(await seedSongwriter(runtime, ownerA.workspaceId, { name: `${AMARK} ${name}`, ipis: [`0000000${i}111`], aliases: [`${AMARK} alias ${i}`], tracks, score: 5 }));
  }
  a.aliasKey = (await runtime.db.select({ key: songwriterAliases.key }).from(songwriterAliases).where(eq(songwriterAliases.songwriterId, a.ids[1]!)))[0]!.key;
  const asA = callerAs(runtime, personA);
  await asA.contacts.create({ songwriterId: a.ids[0]!, ownerId: ownerA.userId, handles: { email: `${AMARK.toLowerCase()}@example.com` } });
  await asA.contacts.create({ songwriterId: a.ids[1]!, stage: 'contacted' });
  await asA.contacts.note({ songwriterId: a.ids[1]!, body: `${AMARK} secret note` });
  a.operationId = (await asA.songwriters.merge({ intoId: a.ids[0]!, ids: [a.ids[2]!] })).operationId;

  for (const name of ['Contact', 'Loose']) {
    b.ids.push(await seedSongwriter(runtime, ownerB.workspaceId, { name: `${BMARK} ${name}`, tracks: [{ label: `${BMARK} Records`, streams: 5 }], score: 3 }));
  }
  await callerAs(runtime, personB).contacts.create({ songwriterId: b.ids[0]!, ownerId: ownerB.userId });
}, 60_000);
afterAll(() => cleanups.run());

function expectNothingOfA(value: unknown, where: string) {
  const text = JSON.stringify(value);
  expect(text.includes(AMARK), `${where} carries something of A`).toBe(false);
  expect(text.toLowerCase().includes(AMARK.toLowerCase()), `${where} carries something of A`).toBe(false);
  expect(text.includes(ownerA.workspaceId), `${where} carries A's workspace id`).toBe(false);
}

/** What of A's the database holds: it must be the same after B's attempts. */
async function stateOfA() {
  const workspaceId = ownerA.workspaceId;
  return {
    songwriters: await runtime.db.select().from(songwriters).where(eq(songwriters.workspaceId, workspaceId)).orderBy(songwriters.id),
    aliases: await runtime.db.select().from(songwriterAliases).where(eq(songwriterAliases.workspaceId, workspaceId)).orderBy(songwriterAliases.key),
    contacts: await runtime.db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId)).orderBy(contacts.songwriterId),
    notes: await runtime.db.select().from(contactNotes).where(eq(contactNotes.workspaceId, workspaceId)).orderBy(contactNotes.id),
    operations: await runtime.db.select().from(songwriterIdentityOps).where(eq(songwriterIdentityOps.workspaceId, workspaceId)),
  };
}

async function codeOf(work: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work();
    return { code: 'ok', message: '' };
  } catch (error) {
    if (error instanceof TRPCClientError) return { code: (error.data as { code?: string } | undefined)?.code ?? 'unknown', message: error.message };
    throw error;
  }
}

describe.each(transports)('B over %s', (transport) => {
  test('songwriters.list / get and contacts.board: B\'s own only, whatever of A\'s B names', async () => {
    const { client, close } = clientFor(server, keyB, transport);
    cleanups.add(close);
    const answers = {
      list: await client.songwriters.list.query({ limit: 200 }),
      listSearchingA: await client.songwriters.list.query({ q: AMARK }),
      listSearchingAsIpi: await client.songwriters.list.query({ q: '0000000' }),
      listByAOwner: await client.songwriters.list.query({ ownerId: ownerA.userId }),
      board: await client.contacts.board.query(),
      boardSearchingA: await client.contacts.board.query({ q: AMARK }),
      boardByAOwner: await client.contacts.board.query({ ownerId: ownerA.userId }),
      own: await client.songwriters.get.query({ id: b.ids[0]! }),
    };
    expectNothingOfA(answers, `B's reads over ${transport}`);
    expect(answers.list.items.map((item) => item.id).sort()).toEqual([...b.ids].sort());
    expect(JSON.stringify(answers.list)).toContain(BMARK);
    expect(answers.listSearchingA.items).toEqual([]);
    expect(answers.listSearchingAsIpi.items).toEqual([]);
    expect(answers.listByAOwner.items).toEqual([]);
    expect(answers.board.columns.flatMap((column) => column.cards.map((card) => card.id))).toEqual([b.ids[0]]);
    // Not even a count of A's: every total is of B's rows.
    expect(answers.list.total).toBe(b.ids.length);
    for (const board of [answers.board, answers.boardSearchingA, answers.boardByAOwner]) {
      expect(board.columns.map((column) => column.total)).toEqual(board.columns.map((column) => column.cards.length));
    }
    expect([answers.listSearchingA.total, answers.listSearchingAsIpi.total, answers.listByAOwner.total]).toEqual([0, 0, 0]);
    expect(answers.boardSearchingA.columns.every((column) => column.cards.length === 0)).toBe(true);
    expect(answers.boardByAOwner.columns.every((column) => column.cards.length === 0)).toBe(true);
    for (const id of a.ids) {
      const outcome = await codeOf(() => client.songwriters.get.query({ id }));
      expect(outcome.code, `get of A's ${id}`).toBe('NOT_FOUND');
      expectNothingOfA(outcome, 'the NOT_FOUND of get');
    }
  });

  test('every mutation aimed at A\'s ids is NOT_FOUND, says nothing of A, and changes nothing of A\'s', async () => {
    const { client, close } = clientFor(server, keyB, transport);
    cleanups.add(close);
    const before = await stateOfA();
    const [aSurvivor, aContact, aMerged] = a.ids as [string, string, string];
    const attempts: Record<string, () => Promise<unknown>> = {
      'contacts.create': () => client.contacts.create.mutate({ songwriterId: aContact }),
      'contacts.create (A merged)': () => client.contacts.create.mutate({ songwriterId: aMerged }),
      'contacts.update': () => client.contacts.update.mutate({ songwriterId: aContact, ownerId: null, handles: {} }),
      'contacts.move': () => client.contacts.move.mutate({ songwriterId: aContact, stage: 'passed' }),
      'contacts.move (B\'s card before A\'s)': () => client.contacts.move.mutate({ songwriterId: b.ids[0]!, stage: 'contacted', beforeId: aContact }),
      'contacts.remove': () => client.contacts.remove.mutate({ songwriterId: aSurvivor }),
      'contacts.note': () => client.contacts.note.mutate({ songwriterId: aContact, body: `${BMARK} planted` }),
      'songwriters.merge (A into B)': () => client.songwriters.merge.mutate({ intoId: b.ids[1]!, ids: [aContact] }),
      'songwriters.merge (B into A)': () => client.songwriters.merge.mutate({ intoId: aSurvivor, ids: [b.ids[1]!] }),
      'songwriters.split': () => client.songwriters.split.mutate({ id: aContact, aliases: [{ kind: 'name', key: a.aliasKey }] }),
      'songwriters.undo': () => client.songwriters.undo.mutate({ operationId: a.operationId }),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      const outcome = await codeOf(attempt);
      expect(outcome.code, `${name}: ${outcome.message}`).toBe('NOT_FOUND');
      expectNothingOfA(outcome, `${name}'s refusal`);
    }
    // A's owner is no member of B: refused as any stranger would be, naming nobody.
    const owner = await codeOf(() => client.contacts.create.mutate({ songwriterId: b.ids[1]!, ownerId: ownerA.userId }));
    expect(owner.code).toBe('BAD_REQUEST');
    expectNothingOfA(owner, 'the refused owner');
    expect(await stateOfA()).toEqual(before);
    // B's own card is where it was.
    const board = await client.contacts.board.query();
    expect(board.columns.find((column) => column.stage === 'new')!.cards.map((card) => card.id)).toEqual([b.ids[0]]);
  });

  test('leads, fresh and resumed from A\'s event id: B\'s own changes, nothing of A\'s', async () => {
    const { client, close } = clientFor(server, keyB, transport);
    cleanups.add(close);
    const asA = callerAs(runtime, personA);
    const asB = callerAs(runtime, personB);
    await asA.contacts.note({ songwriterId: a.ids[0]!, body: `${AMARK} before ${transport}` });
    const aPosition = runtime.log.idOf(await runtime.log.positionFor(ownerA.workspaceId));
    const fresh = recorder();
    const resumedFromA = recorder();
    const onAsSongwriter = recorder();
    const subs = [
      client.leads.subscribe({}, fresh.handlers),
      client.leads.subscribe({ lastEventId: aPosition }, resumedFromA.handlers),
      client.leads.subscribe({ songwriterId: a.ids[0]! }, onAsSongwriter.handlers),
    ];
    cleanups.add(() => subs.forEach((s) => s.unsubscribe()));
    await waitFor(() => [fresh, resumedFromA, onAsSongwriter].every((rec) => rec.received.some((r) => (r.data as { kind: string }).kind === 'snapshot')), {
      what: 'three snapshots',
    });
    expect((resumedFromA.received[0]!.data as { kind: string; reason: string }).reason).toBe('other_workspace');

    // A is busy; B makes one change of its own.
    await asA.contacts.move({ songwriterId: a.ids[1]!, stage: 'in_talks' });
    await asA.contacts.note({ songwriterId: a.ids[0]!, body: `${AMARK} during ${transport}` });
    await asA.contacts.update({ songwriterId: a.ids[0]!, handles: { website: `https://${AMARK.toLowerCase()}.example` } });
    const note = await asB.contacts.note({ songwriterId: b.ids[0]!, body: `${BMARK} own note ${transport}` });
    const bNoted = (rec: ReturnType<typeof recorder>) =>
      rec.received.flatMap((r) => eventsOf(r.data as never)).some((e: Envelope) => e.type === 'contact_noted' && (e.data as { noteId: string }).noteId === note.id);
    await waitFor(() => bNoted(fresh) && bNoted(resumedFromA), { what: 'B\'s own note on both streams' });
    await new Promise((resolve) => setTimeout(resolve, 300)); // stragglers, if any were to come
    for (const [name, rec] of Object.entries({ fresh, resumedFromA, onAsSongwriter })) {
      expect(rec.error, name).toBeNull();
      expectNothingOfA(rec.received, `B's ${name} leads over ${transport}`);
    }
    expect(onAsSongwriter.received.flatMap((r) => eventsOf(r.data as never))).toEqual([]);
    expect(JSON.stringify(fresh.received)).toContain(BMARK);
  });
});

describe('the leads export route over HTTP', () => {
  test('B\'s key and B\'s cookie download B\'s songwriters only, whatever of A\'s the filter names', async () => {
    for (const headers of [{ authorization: `Bearer ${keyB}` }, { cookie: ownerB.cookie }] as Record<string, string>[]) {
      const all = await fetch(`${routes.url}/api/leads/export`, { headers });
      expect(all.status).toBe(200);
      const text = await all.text();
      expectNothingOfA(text, 'B\'s export');
      expect(text).toContain(`${BMARK} Contact`);
      expect(text).toContain(`${BMARK} Loose`);
      for (const filter of [{ q: AMARK }, { ownerId: ownerA.userId }, { q: '0000000' }]) {
        const byA = await fetch(`${routes.url}/api/leads/export?filter=${encodeURIComponent(JSON.stringify(filter))}`, { headers });
        expect(byA.status).toBe(200);
        expect((await byA.text()).trim().split('\r\n'), JSON.stringify(filter)).toHaveLength(1); // the header alone
      }
    }
    // Control: A's own cookie gets A's songwriters.
    const own = await fetch(`${routes.url}/api/leads/export`, { headers: { cookie: ownerA.cookie } });
    expect(await own.text()).toContain(AMARK);
  });

  test('without credentials: 401, nothing of anyone', async () => {
    const response = await fetch(`${routes.url}/api/leads/export`);
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).not.toContain(AMARK);
    expect(text).not.toContain(BMARK);
  });
});
