/**
 * Merge, split and undo through the real songwriters procedures: what each moves, that an undo
 * puts back exactly what was there (aliases, credits, contact, notes), that only the latest
 * operation on a record can be undone, that a refusal writes nothing, that another workspace's
 * records and operations do not exist from here, and that each change arrives on the `leads`
 * subscription as songwriter_merged.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { activity, songwriterIdentityOps } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import type { SongwriterDetail } from '~/server/songwriters/types';
import { createWorkspace } from '../support/accounts';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';
import { outcomeOf } from '../tags/support';
import { syncTrackCredits } from '~/server/songwriters/sync-credits';
import { credited, identityState, makeContact, ownerOf, seedCreditedTracks } from './identity-support';

const merges = (events: readonly Envelope[]) => events.filter((e) => e.type === 'songwriter_merged') as Envelope<'songwriter_merged'>[];

describe.each(engines)('merge, split and undo on %s', (engine) => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ engine });
  });
  afterAll(() => rt.dispose());

  /** A fresh workspace with its own records: tests do not see each other's. */
  async function workspace() {
    const ws = await createWorkspace(rt, 'Identity workspace');
    return { ws, caller: callerFor(rt, undefined, { workspaceId: ws }) };
  }

  async function detail(caller: ReturnType<typeof callerFor>, id: string): Promise<SongwriterDetail> {
    const found = await caller.songwriters.get({ id });
    if (!('tracks' in found)) throw new Error(`${id} is merged into ${found.mergedInto}`);
    return found;
  }

  test('merge moves aliases, credits, contact and notes to the survivor; undo puts back exactly what was there', async () => {
    const { ws, caller } = await workspace();
    await credited(rt, ws, [{ songwriters: ['Jon Smith'], streams: 10 }, { writers: [['SMITH, JOHN', '00100000001']], streams: 20 }, { songwriters: ['John Smith'] }]);
    const jon = (await ownerOf(rt, ws, 'name', 'jon smith'))!;
    const john = (await ownerOf(rt, ws, 'name', 'john smith'))!;
    await makeContact(rt, ws, jon, { note: 'Manager is Jo.', email: 'jon@example.com' });
    const before = await identityState(rt, ws);

    const { operationId } = await caller.songwriters.merge({ intoId: john, ids: [jon] });
    expect(await caller.songwriters.get({ id: jon })).toEqual({ id: jon, mergedInto: john });
    const survivor = await detail(caller, john);
    expect(survivor.aliasRecords.map((a) => [a.kind, a.key, a.tracks])).toEqual([
      ['name', 'john smith', 2],
      ['name', 'jon smith', 1],
      ['ipi', '00100000001', 1],
    ]);
    expect(survivor).toMatchObject({ trackCount: 3, totalStreams: 30, aliases: ['Jon Smith'], ipis: ['00100000001'] });
    expect(survivor.contact).toMatchObject({ stage: 'researching', handles: { email: 'jon@example.com' }, notes: 1 });
    expect(survivor.notes.map((n) => n.body)).toEqual(['Manager is Jo.']);
    expect(survivor.operations).toMatchObject([{ id: operationId, kind: 'merge', summary: 'Merged "Jon Smith" into "John Smith".', undoable: true, undoneAt: null }]);
    const listed = await caller.songwriters.list({});
    expect(listed.items.map((s) => s.id)).toEqual([john]);

    expect(await caller.songwriters.undo({ operationId })).toEqual({ operationId });
    expect(await identityState(rt, ws)).toEqual(before);
    expect((await detail(caller, john)).operations).toMatchObject([{ id: operationId, undoable: false, undoneAt: expect.any(String) }]);
    expect((await caller.songwriters.list({ sort: 'name' })).items.map((s) => s.name)).toEqual(['John Smith', 'Jon Smith']);
    expect(await outcomeOf(() => caller.songwriters.undo({ operationId }))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already undone') });

    const kinds = await rt.db.select({ kind: activity.kind, message: activity.message }).from(activity).where(eq(activity.workspaceId, ws)).orderBy(asc(activity.createdAt));
    expect(kinds).toEqual([
      { kind: 'songwriters_merged', message: 'Merged "Jon Smith" into "John Smith".' },
      { kind: 'songwriter_identity_undone', message: 'Undid: Merged "Jon Smith" into "John Smith".' },
    ]);
  });

  test('split moves the chosen aliases and the credits made under them to a new record; undo folds it back', async () => {
    const { ws, caller } = await workspace();
    const tracks = await credited(rt, ws, [
      { writers: [['SMITH, JOHN', '00200000002']] },
      { writers: [['Johnny Smith', '00200000002']] },
      { songwriters: ['Johnny Smith'] },
      { songwriters: ['John Smith'] },
    ]);
    const smith = (await ownerOf(rt, ws, 'ipi', '00200000002'))!;
    await makeContact(rt, ws, smith);
    const before = await identityState(rt, ws);

    // "Johnny Smith" is someone else: split off that name; the credits made under it go, the IPI stays.
    const { operationId, songwriterId } = await caller.songwriters.split({ id: smith, aliases: [{ kind: 'name', key: 'johnny smith' }] });
    const johnny = await detail(caller, songwriterId);
    expect(johnny).toMatchObject({ name: 'Johnny Smith', trackCount: 2, contact: null, ipis: [] });
    expect(johnny.tracks.map((t) => t.id).sort()).toEqual([tracks[1]!.id, tracks[2]!.id].sort());
    const origin = await detail(caller, smith);
    expect(origin).toMatchObject({ trackCount: 2, ipis: ['00200000002'], contact: { stage: 'researching' } });
    expect(origin.aliasRecords.map((a) => a.key)).toEqual(['john smith', '00200000002']);
    expect(origin.operations).toMatchObject([{ id: operationId, kind: 'split', summary: 'Split "Johnny Smith" off "John Smith".', undoable: true }]);

    await caller.songwriters.undo({ operationId });
    const after = await identityState(rt, ws);
    expect({ ...after, songwriters: after.songwriters.filter((s) => s.id !== songwriterId) }).toEqual(before);
    expect(after.songwriters.find((s) => s.id === songwriterId)).toMatchObject({ mergedIntoId: smith, trackCount: 0 });
    expect(await caller.songwriters.get({ id: songwriterId })).toEqual({ id: songwriterId, mergedInto: smith });
  });

  test('a merge waits for a credit sync in flight, and takes the credits it wrote along', async () => {
    const { ws, caller } = await workspace();
    await credited(rt, ws, [{ songwriters: ['Jon Smith'] }, { songwriters: ['John Smith'] }]);
    const jon = (await ownerOf(rt, ws, 'name', 'jon smith'))!;
    const john = (await ownerOf(rt, ws, 'name', 'john smith'))!;
    const [late] = await seedCreditedTracks(rt, ws, [{ songwriters: ['Jon Smith'] }]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let synced!: () => void;
    const inFlight = new Promise<void>((resolve) => (synced = resolve));
    // An enrichment batch has credited Jon Smith on a new track and not committed yet.
    const sync = rt.log.transaction(async (tx) => {
      await syncTrackCredits(tx, ws, [late!]);
      synced();
      await gate;
    });
    await inFlight;
    let mergeDone = false;
    const merge = caller.songwriters.merge({ intoId: john, ids: [jon] }).then(() => (mergeDone = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mergeDone).toBe(false);
    release();
    await Promise.all([sync, merge]);
    const state = await identityState(rt, ws);
    expect(state.credits.filter((c) => c.trackId === late!.id).map((c) => c.songwriterId)).toEqual([john]);
    expect(state.credits.every((c) => c.songwriterId === john)).toBe(true);
    expect(state.aliases.every((a) => a.songwriterId === john)).toBe(true);
  });

  test('refusals say what to do and write nothing: unknown alias, every alias, two contacts, merging into itself, a merged record', async () => {
    const { ws, caller } = await workspace();
    await credited(rt, ws, [{ songwriters: ['Ava Hart'] }, { songwriters: ['Leo Sato'] }, { songwriters: ['Kai Quinn'] }]);
    const [ava, leo, kai] = (await Promise.all(['ava hart', 'leo sato', 'kai quinn'].map((key) => ownerOf(rt, ws, 'name', key)))) as string[];
    await makeContact(rt, ws, ava!);
    await makeContact(rt, ws, leo!);
    const before = await identityState(rt, ws);

    expect(await outcomeOf(() => caller.songwriters.split({ id: ava!, aliases: [{ kind: 'name', key: 'leo sato' }] }))).toEqual({
      code: 'BAD_REQUEST',
      message: '"Ava Hart" has no name alias "leo sato"; choose among its aliases: name "ava hart".',
    });
    expect(await outcomeOf(() => caller.songwriters.split({ id: ava!, aliases: [{ kind: 'name', key: 'ava hart' }] }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'Splitting off every alias of "Ava Hart" would leave it empty: keep at least one alias on it.',
    });
    expect(await outcomeOf(() => caller.songwriters.merge({ intoId: ava!, ids: [leo!, kai!] }))).toEqual({
      code: 'CONFLICT',
      message: '"Ava Hart" and "Leo Sato" are each a contact, and one record keeps one contact: remove all but one of those contacts first, then try again.',
    });
    expect(await outcomeOf(() => caller.songwriters.merge({ intoId: ava!, ids: [ava!] }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('is the record you merge into') });
    expect(await outcomeOf(() => caller.songwriters.merge({ intoId: ava!, ids: [] }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Choose at least one record to merge') });
    expect(await identityState(rt, ws)).toEqual(before);
    expect(await rt.db.select().from(songwriterIdentityOps).where(eq(songwriterIdentityOps.workspaceId, ws))).toEqual([]);

    // Kai (no contact) merges into Ava (with one): fine. Acting on Kai afterwards is refused, naming where it went.
    await caller.songwriters.merge({ intoId: ava!, ids: [kai!] });
    expect(await outcomeOf(() => caller.songwriters.merge({ intoId: leo!, ids: [kai!] }))).toEqual({
      code: 'CONFLICT',
      message: `"Kai Quinn" (${kai}) has been merged into songwriter ${ava}: reload the page and act on that record instead.`,
    });
  });

  test('only the latest operation on a record can be undone; the refusal names the one to undo first', async () => {
    const { ws, caller } = await workspace();
    const names = ['Nina Walsh', 'N. Walsh', 'Nina Walsh-Price', 'Theo Fischer', 'T. Fischer'];
    await credited(rt, ws, names.map((name) => ({ songwriters: [name] })));
    const [nina, initial, hyphen, theo, theoInitial] = (await Promise.all(['nina walsh', 'n walsh', 'nina walsh-price', 'theo fischer', 't fischer'].map((key) => ownerOf(rt, ws, 'name', key)))) as string[];
    const first = await caller.songwriters.merge({ intoId: nina!, ids: [initial!] });
    const second = await caller.songwriters.merge({ intoId: nina!, ids: [hyphen!] });
    // Later, but not involving Nina's records: it does not stand in the way.
    await caller.songwriters.merge({ intoId: theo!, ids: [theoInitial!] });

    expect((await detail(caller, nina!)).operations.map((op) => [op.id, op.undoable])).toEqual([
      [second.operationId, true],
      [first.operationId, false],
    ]);
    expect(await outcomeOf(() => caller.songwriters.undo(first))).toEqual({
      code: 'CONFLICT',
      message: `A later change involves these records: undo it first (operation ${second.operationId}: Merged "Nina Walsh-Price" into "Nina Walsh".)`,
    });
    await caller.songwriters.undo(second);
    expect((await detail(caller, nina!)).operations.map((op) => [op.id, op.undoable])).toEqual([
      [second.operationId, false],
      [first.operationId, true],
    ]);
    await caller.songwriters.undo(first);
    expect((await caller.songwriters.list({})).total).toBe(4);
    expect((await detail(caller, theo!)).operations.map((op) => op.undoable)).toEqual([true]);
  });

  test("another workspace's records and operations are not found from here, and never listed", async () => {
    const mine = await workspace();
    const theirs = await workspace();
    await credited(rt, mine.ws, [{ songwriters: ['Clara Costa'] }]);
    await credited(rt, theirs.ws, [{ songwriters: ['Felix Duval'] }, { songwriters: ['F. Duval'] }]);
    const clara = (await ownerOf(rt, mine.ws, 'name', 'clara costa'))!;
    const felix = (await ownerOf(rt, theirs.ws, 'name', 'felix duval'))!;
    const initial = (await ownerOf(rt, theirs.ws, 'name', 'f duval'))!;
    const { operationId } = await theirs.caller.songwriters.merge({ intoId: felix, ids: [initial] });
    const before = await identityState(rt, theirs.ws);

    const notFound = { code: 'NOT_FOUND' };
    expect(await outcomeOf(() => mine.caller.songwriters.get({ id: felix }))).toEqual({ code: 'NOT_FOUND', message: `Songwriter ${felix} was not found in this workspace.` });
    expect(await outcomeOf(() => mine.caller.songwriters.merge({ intoId: clara, ids: [felix] }))).toMatchObject(notFound);
    expect(await outcomeOf(() => mine.caller.songwriters.merge({ intoId: felix, ids: [clara] }))).toMatchObject(notFound);
    expect(await outcomeOf(() => mine.caller.songwriters.split({ id: felix, aliases: [{ kind: 'name', key: 'felix duval' }] }))).toMatchObject(notFound);
    expect(await outcomeOf(() => mine.caller.songwriters.undo({ operationId }))).toEqual({ code: 'NOT_FOUND', message: `Operation ${operationId} was not found in this workspace.` });
    expect(await identityState(rt, theirs.ws)).toEqual(before);
    for (const q of [undefined, 'Duval', 'felix']) expect((await mine.caller.songwriters.list({ q })).items.map((s) => s.id)).toEqual(q ? [] : [clara]);
    expect((await mine.caller.songwriters.list({ limit: 200 })).items.some((s) => s.id === felix || s.id === initial)).toBe(false);
  });

  test('each merge, split and undo arrives on the leads subscription as songwriter_merged, in this workspace only', async () => {
    const { ws, caller } = await workspace();
    const other = await workspace();
    await credited(rt, ws, [{ songwriters: ['Omar Ahmed'] }, { songwriters: ['O. Ahmed'] }]);
    const omar = (await ownerOf(rt, ws, 'name', 'omar ahmed'))!;
    const initial = (await ownerOf(rt, ws, 'name', 'o ahmed'))!;
    const all = await subscribe(rt, (c) => c.leads({}), { workspaceId: ws });
    const ofMerged = await subscribe(rt, (c) => c.leads({ songwriterId: initial }), { workspaceId: ws });
    const outsider = await subscribe(rt, (c) => c.leads({}), { workspaceId: other.ws });
    await waitFor(() => all.messages.length > 0 && ofMerged.messages.length > 0 && outsider.messages.length > 0, { what: 'the leads snapshots' });

    const merged = await caller.songwriters.merge({ intoId: omar, ids: [initial] });
    await caller.songwriters.undo(merged);
    // Refused (every alias of the record): nothing is announced.
    expect(await outcomeOf(() => caller.songwriters.split({ id: omar, aliases: [{ kind: 'name', key: 'omar ahmed' }] }))).toMatchObject({ code: 'BAD_REQUEST' });

    await waitFor(() => merges(all.events).length === 2, { what: 'two songwriter_merged' });
    expect(merges(all.events).map((e) => ({ keys: e.keys, ...e.data }))).toEqual([
      {
        keys: { songwriterId: omar },
        operationId: merged.operationId,
        kind: 'merge',
        action: 'done',
        songwriterId: omar,
        otherIds: [initial],
        summary: 'Merged "O. Ahmed" into "Omar Ahmed".',
        by: `test-user-${ws}`,
      },
      {
        keys: { songwriterId: omar },
        operationId: merged.operationId,
        kind: 'merge',
        action: 'undone',
        songwriterId: omar,
        otherIds: [initial],
        summary: 'Undid: Merged "O. Ahmed" into "Omar Ahmed".',
        by: `test-user-${ws}`,
      },
    ]);
    // The merged record's own stream hears of it too (it is among otherIds).
    await waitFor(() => merges(ofMerged.events).length === 2, { what: 'songwriter_merged on the merged record’s stream' });
    expect(merges(outsider.events)).toEqual([]);
    expect(outsider.events).toEqual([]);
    for (const sub of [all, ofMerged, outsider]) await sub.stop();
  });
});
