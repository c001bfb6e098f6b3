/**
 * The contacts pipeline through its procedures, as members of a workspace use it: create, update
 * (owner, handles), move (stage and place), remove, note, and the board that shows it. Every
 * change is checked in the database, on the board, in the activity feed and as the event it
 * emits, received through the real `leads` subscription. Refusals (a second contact, an owner
 * who is not a member, bad handles, unknown or merged songwriters, a place on a card that moved)
 * are checked to write nothing: no row, no event. Two members moving cards at once end with a
 * board whose order is the one their events describe.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MIN_POSITION_GAP } from '~/server/contacts/board-column';
import { activity, contactNotes, contacts, type ContactStage } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { createAccount } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';
import { apiKeyOf, callerAs, caughtUp, columnsOf, leadsStream, ofType, outcomeOf, personIn, seedSongwriter, type Caller, type Person, type SongwriterSeed } from './support';

type Stream = Awaited<ReturnType<typeof leadsStream>>;

describe.each(engines)('contacts on %s', (engine) => {
  let runtime: TestRuntime;
  let alice: Person;
  let bob: Person;
  let asAlice: Caller;
  let asBob: Caller;
  let live: Stream;
  let stops: (() => Promise<void>)[];

  beforeEach(async () => {
    runtime = await createTestRuntime({ engine });
    stops = [];
    alice = await personIn(runtime, runtime.workspaceId, 'member', 'Alice Scout');
    bob = await personIn(runtime, runtime.workspaceId, 'member', 'Bob Scout');
    asAlice = callerAs(runtime, alice);
    asBob = callerAs(runtime, bob);
    live = await leadsStream(runtime, alice);
    stops.push(() => live.stop());
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop().catch(() => {});
    await runtime.dispose();
  });

  const writer = (name: string, extra: Partial<SongwriterSeed> = {}) => seedSongwriter(runtime, runtime.workspaceId, { name, ...extra });
  const contactEvents = () => ofType(live.events, 'contact_changed');
  const activityMessages = async () =>
    (await runtime.db.select({ message: activity.message }).from(activity).where(eq(activity.workspaceId, runtime.workspaceId))).map((row) => row.message);
  const contactCount = async () => Number((await runtime.db.select({ n: count() }).from(contacts).where(eq(contacts.workspaceId, runtime.workspaceId)))[0]!.n);
  const board = async () => columnsOf(await asAlice.contacts.board());

  /** Nothing written by `work`: no contact row, note or activity row, no event in the outbox. */
  async function expectNothingWritten(work: () => Promise<unknown>, code: string, message?: RegExp) {
    const before = { head: await runtime.log.head(), contacts: await contactCount(), activity: (await activityMessages()).length };
    const outcome = await outcomeOf(work);
    expect(outcome.code, outcome.message).toBe(code);
    if (message) expect(outcome.message).toMatch(message);
    expect({ head: await runtime.log.head(), contacts: await contactCount(), activity: (await activityMessages()).length }).toEqual(before);
    return outcome;
  }

  test('create: a card at the end of its column with its owner and handles; the event arrives on leads; an activity row', async () => {
    const [ana, ben, cy] = [await writer('Ana Writer'), await writer('Ben Writer'), await writer('Cy Writer')];
    const first = await asAlice.contacts.create({ songwriterId: ana });
    expect(first).toMatchObject({ songwriterId: ana, stage: 'new', ownerId: null, ownerName: null, handles: {}, position: 1, notes: 0 });
    const second = await asAlice.contacts.create({
      songwriterId: ben,
      stage: 'contacted',
      ownerId: bob.userId,
      handles: { email: ' ben@example.com ', instagram: '@ben.writes', tiktok: 'ben_w', x: '', website: 'https://ben.example/music' },
    });
    expect(second).toMatchObject({
      songwriterId: ben,
      stage: 'contacted',
      ownerId: bob.userId,
      ownerName: 'Bob Scout',
      handles: { email: 'ben@example.com', instagram: 'ben.writes', tiktok: 'ben_w', website: 'https://ben.example/music' },
      position: 1,
    });
    expect(second.handles).not.toHaveProperty('x');
    const third = await asBob.contacts.create({ songwriterId: cy, stage: 'new' });
    expect(third.position).toBe(2);

    await waitFor(() => contactEvents().length === 3, { what: 'three contact_changed events on leads' });
    const [a, b, c] = contactEvents();
    expect(a!.keys).toEqual({ songwriterId: ana });
    expect(a!.data).toMatchObject({ songwriterId: ana, name: 'Ana Writer', change: 'created', stage: 'new', previousStage: null, position: 1, by: alice.userId });
    expect(b!.data).toMatchObject({ change: 'created', stage: 'contacted', ownerId: bob.userId, ownerName: 'Bob Scout', handles: { instagram: 'ben.writes' } });
    expect(c!.data).toMatchObject({ songwriterId: cy, by: bob.userId, position: 2 });

    expect(await board()).toMatchObject({ new: [ana, cy], contacted: [ben], researching: [], in_talks: [], signed: [], passed: [] });
    const messages = await activityMessages();
    expect(messages).toContain('Added "Ana Writer" to contacts (New).');
    expect(messages).toContain('Added "Ben Writer" to contacts (Contacted, owner Bob Scout).');
  });

  test('a second contact for a songwriter is a CONFLICT, also when two people add it at once', async () => {
    const ana = await writer('Ana Writer');
    await asAlice.contacts.create({ songwriterId: ana });
    await expectNothingWritten(() => asBob.contacts.create({ songwriterId: ana, stage: 'signed' }), 'CONFLICT', /"Ana Writer" is already a contact/);

    const ben = await writer('Ben Writer');
    const outcomes = await Promise.all([outcomeOf(() => asAlice.contacts.create({ songwriterId: ben })), outcomeOf(() => asBob.contacts.create({ songwriterId: ben, stage: 'contacted' }))]);
    expect(outcomes.map((o) => o.code).sort()).toEqual(['CONFLICT', 'ok']);
    expect(await contactCount()).toBe(2);
    await caughtUp(runtime, live);
    expect(contactEvents().map((e) => e.data.songwriterId)).toEqual([ana, ben]);
  });

  test('an owner who is not a member of the workspace is a BAD_REQUEST with a sentence, and nothing is written', async () => {
    const ana = await writer('Ana Writer');
    const outsider = await createAccount(runtime, { name: 'Outsider' }); // a member of their own workspace only
    const refused = /is not a member of this workspace: a contact's owner must be one/;
    await expectNothingWritten(() => asAlice.contacts.create({ songwriterId: ana, ownerId: outsider.userId }), 'BAD_REQUEST', refused);
    await expectNothingWritten(() => asAlice.contacts.create({ songwriterId: ana, ownerId: 'no-such-user' }), 'BAD_REQUEST', refused);
    await asAlice.contacts.create({ songwriterId: ana, ownerId: alice.userId });
    await expectNothingWritten(() => asAlice.contacts.update({ songwriterId: ana, ownerId: outsider.userId }), 'BAD_REQUEST', refused);
    expect((await runtime.db.select({ ownerId: contacts.ownerId }).from(contacts).where(eq(contacts.songwriterId, ana)))[0]!.ownerId).toBe(alice.userId);
  });

  test('bad handles are a BAD_REQUEST naming the handle, and nothing is written', async () => {
    const ana = await writer('Ana Writer');
    // At procedure level the message is zod's issues as JSON (over the wire: a sentence, see the leak tests).
    const bad: Array<[Record<string, string>, string]> = [
      [{ email: 'not-an-email' }, 'must be an email address'],
      [{ instagram: 'has space' }, 'must be an Instagram handle'],
      [{ tiktok: 'x'.repeat(31) }, 'must be a TikTok handle'],
      [{ x: '@@twice' }, 'must be an X handle'],
      [{ website: 'ftp://files.example' }, 'must be a web address starting with http:// or https://'],
      [{ website: 'javascript:alert(1)' }, 'must be a web address'],
      [{ website: 'https://' }, 'must be a web address'],
      [{ facebook: 'someone' }, 'facebook'],
    ];
    const naming = (handles: Record<string, string>, sentence: string) => {
      const key = Object.keys(handles)[0]!;
      return new RegExp(key === 'facebook' ? sentence : `"handles",\\s*"${key}"[\\s\\S]*${sentence.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`);
    };
    for (const [handles, sentence] of bad) {
      await expectNothingWritten(() => asAlice.contacts.create({ songwriterId: ana, handles } as never), 'BAD_REQUEST', naming(handles, sentence));
    }
    await asAlice.contacts.create({ songwriterId: ana, handles: { email: 'ana@example.com' } });
    for (const [handles, sentence] of bad) {
      await expectNothingWritten(() => asAlice.contacts.update({ songwriterId: ana, handles } as never), 'BAD_REQUEST', naming(handles, sentence));
    }
    expect((await runtime.db.select({ handles: contacts.handles }).from(contacts).where(eq(contacts.songwriterId, ana)))[0]!.handles).toEqual({ email: 'ana@example.com' });
  });

  test('update: a new owner or none, handles replaced in full ("" clears one); a request that changes nothing writes nothing', async () => {
    const ana = await writer('Ana Writer');
    await asAlice.contacts.create({ songwriterId: ana, handles: { email: 'ana@example.com', instagram: 'ana' } });
    const owned = await asAlice.contacts.update({ songwriterId: ana, ownerId: bob.userId });
    expect(owned).toMatchObject({ ownerId: bob.userId, ownerName: 'Bob Scout', handles: { email: 'ana@example.com', instagram: 'ana' } });
    const replaced = await asBob.contacts.update({ songwriterId: ana, handles: { instagram: '', x: '@ana_x', website: 'http://ana.example' } });
    expect(replaced.handles).toEqual({ x: 'ana_x', website: 'http://ana.example' });
    expect(replaced.ownerId).toBe(bob.userId);
    const unowned = await asBob.contacts.update({ songwriterId: ana, ownerId: null, handles: {} });
    expect(unowned).toMatchObject({ ownerId: null, ownerName: null, handles: {} });

    await waitFor(() => contactEvents().length === 4, { what: 'created + three updates' });
    expect(contactEvents().slice(1).map((e) => [e.data.change, e.data.ownerId, e.data.handles])).toEqual([
      ['updated', bob.userId, { email: 'ana@example.com', instagram: 'ana' }],
      ['updated', bob.userId, { x: 'ana_x', website: 'http://ana.example' }],
      ['updated', null, {}],
    ]);
    await expectNothingWritten(() => asAlice.contacts.update({ songwriterId: ana, ownerId: null, handles: {} }), 'ok');
    await expectNothingWritten(() => asAlice.contacts.update({ songwriterId: ana } as never), 'BAD_REQUEST', /Send an owner, handles, or both/);
    expect(await activityMessages()).toContain('Updated the contact "Ana Writer": gave it to Bob Scout.');
    expect(await activityMessages()).toContain('Updated the contact "Ana Writer": left it without an owner; cleared its handles.');
  });

  test('unknown and merged songwriters are NOT_FOUND for every procedure; a merged one says which record it went into', async () => {
    const survivor = await writer('John Smith');
    const merged = await writer('J. Smith', { mergedIntoId: survivor });
    const mergedTwice = await writer('Johnny Smith', { mergedIntoId: merged });
    await asAlice.contacts.create({ songwriterId: survivor });
    const missing = '00000000-0000-4000-8000-000000000000';
    const calls = (id: string) => [
      () => asAlice.contacts.create({ songwriterId: id }),
      () => asAlice.contacts.update({ songwriterId: id, ownerId: null }),
      () => asAlice.contacts.move({ songwriterId: id, stage: 'contacted' }),
      () => asAlice.contacts.remove({ songwriterId: id }),
      () => asAlice.contacts.note({ songwriterId: id, body: 'hello' }),
    ];
    for (const call of calls(missing)) await expectNothingWritten(call, 'NOT_FOUND', new RegExp(`Songwriter ${missing} was not found in this workspace`));
    for (const call of calls(merged)) await expectNothingWritten(call, 'NOT_FOUND', new RegExp(`"J. Smith" \\(${merged}\\) was merged into "John Smith" \\(${survivor}\\)`));
    for (const call of calls(mergedTwice)) await expectNothingWritten(call, 'NOT_FOUND', new RegExp(`merged into "John Smith" \\(${survivor}\\)`));
    // A songwriter without a contact: update, move and remove say so.
    const loose = await writer('Loose Writer');
    for (const call of calls(loose).slice(1, 4)) await expectNothingWritten(call, 'NOT_FOUND', /"Loose Writer" is not a contact: add them to contacts first/);
    // A songwriter of another workspace is not found either.
    const elsewhere = await createAccount(runtime);
    const foreign = await seedSongwriter(runtime, elsewhere.workspaceId, { name: 'Foreign Writer' });
    for (const call of calls(foreign)) await expectNothingWritten(call, 'NOT_FOUND', /was not found in this workspace/);
  });

  test('move: before a card takes the midpoint, the end takes max + 1; to another column; the events and the board agree', async () => {
    const [a, b, c, d] = [await writer('A'), await writer('B'), await writer('C'), await writer('D')];
    for (const id of [a, b, c]) await asAlice.contacts.create({ songwriterId: id });
    expect(await board()).toMatchObject({ new: [a, b, c] });

    const beforeB = await asAlice.contacts.move({ songwriterId: c, stage: 'new', beforeId: b });
    expect(beforeB.position).toBe(1.5);
    const first = await asAlice.contacts.move({ songwriterId: b, stage: 'new', beforeId: a });
    expect(first.position).toBe(0);
    expect(await board()).toMatchObject({ new: [b, a, c] });
    const end = await asBob.contacts.move({ songwriterId: b, stage: 'new', beforeId: null });
    expect(end.position).toBe(2);
    expect(await board()).toMatchObject({ new: [a, c, b] });

    const across = await asBob.contacts.move({ songwriterId: a, stage: 'researching' });
    expect(across).toMatchObject({ stage: 'researching', position: 1 });
    await asAlice.contacts.create({ songwriterId: d, stage: 'researching' });
    await asAlice.contacts.move({ songwriterId: c, stage: 'researching', beforeId: d });
    expect(await board()).toMatchObject({ new: [b], researching: [a, c, d] });
    // Before itself: stays.
    const stay = await asAlice.contacts.move({ songwriterId: c, stage: 'researching', beforeId: c });
    expect(stay.position).toBe(1.5);

    await waitFor(() => contactEvents().filter((e) => e.data.change === 'moved').length === 5, { what: 'five moved events' });
    const moves = contactEvents().filter((e) => e.data.change === 'moved');
    expect(moves.map((e) => [e.data.songwriterId, e.data.previousStage, e.data.stage, e.data.position])).toEqual([
      [c, 'new', 'new', 1.5],
      [b, 'new', 'new', 0],
      [b, 'new', 'new', 2],
      [a, 'new', 'researching', 1],
      [c, 'new', 'researching', 1.5],
    ]);
    expect(moves.every((e) => e.keys.songwriterId === e.data.songwriterId)).toBe(true);
    expect(moves.map((e) => e.data.by)).toEqual([alice.userId, alice.userId, bob.userId, bob.userId, alice.userId]);
    const messages = await activityMessages();
    expect(messages).toContain('Reordered "C" in New.');
    expect(messages).toContain('Moved "A" from New to Researching.');
  });

  test('move before a card that is not there, or no longer in that column: refused, nothing written', async () => {
    const [a, b] = [await writer('A'), await writer('B')];
    await asAlice.contacts.create({ songwriterId: a });
    await asAlice.contacts.create({ songwriterId: b, stage: 'contacted' });
    const loose = await writer('Loose');
    await expectNothingWritten(() => asAlice.contacts.move({ songwriterId: a, stage: 'new', beforeId: loose }), 'NOT_FOUND', /is not on this workspace's board/);
    await expectNothingWritten(
      () => asAlice.contacts.move({ songwriterId: a, stage: 'new', beforeId: b }),
      'CONFLICT',
      /is in the contacted column now, not new: someone moved it meanwhile/,
    );
    await expectNothingWritten(() => asAlice.contacts.move({ songwriterId: a, stage: 'done' as never }), 'BAD_REQUEST', /stage must be one of/);
  });

  test('places keep halving until they no longer fit: the column is renumbered, in order, and the renumbered cards are told of', async () => {
    const [a, b, c, d] = [await writer('A'), await writer('B'), await writer('C'), await writer('D')];
    for (const id of [a, b, c, d]) await asAlice.contacts.create({ songwriterId: id });
    // Alternately place c and d just above b: each place halves the gap above b.
    let moves = 0;
    let renumberedAt: number | null = null;
    const model = [a, b, c, d];
    for (let i = 0; i < 45; i++) {
      const card = i % 2 === 0 ? c : d;
      const head = await runtime.log.head();
      await asAlice.contacts.move({ songwriterId: card, stage: 'new', beforeId: b });
      moves++;
      model.splice(model.indexOf(card), 1);
      model.splice(model.indexOf(b), 0, card);
      expect((await board()).new).toEqual(model);
      const positions = (await runtime.db.select({ id: contacts.songwriterId, position: contacts.position }).from(contacts)).map((row) => row.position);
      expect(new Set(positions).size, 'no two cards share a place').toBe(positions.length);
      if (renumberedAt === null && (await runtime.log.head()) - head > 2) renumberedAt = i; // the move, its activity row, and renumbered cards
    }
    expect(renumberedAt, 'the column was renumbered').not.toBeNull();
    expect(renumberedAt!).toBeGreaterThan(20); // not before the gap got small: 2^-30 is just under MIN_POSITION_GAP
    expect(MIN_POSITION_GAP).toBeLessThan(2 ** -29);

    // The events, applied in order to a board that sorts by position, give the same order.
    await caughtUp(runtime, live);
    expect(contactEvents().length).toBeGreaterThanOrEqual(4 + moves);
    expect(replay(contactEvents()).new).toEqual(model);
    const renumberEvents = contactEvents().filter((e) => e.data.change === 'moved' && e.data.songwriterId !== c && e.data.songwriterId !== d);
    expect(renumberEvents.length).toBeGreaterThan(0);
  });

  test('two members moving cards at once end with a consistent board: no shared places, and the events replay to it', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await writer(`Card ${i}`));
    for (const id of ids) await asAlice.contacts.create({ songwriterId: id });

    // Everyone moves a card to the end of the same empty column at once: each gets a place of its own.
    const callers = [asAlice, asBob];
    await Promise.all(ids.map((id, i) => callers[i % 2]!.contacts.move({ songwriterId: id, stage: 'in_talks' })));
    const talks = await runtime.db.select({ position: contacts.position }).from(contacts).where(eq(contacts.stage, 'in_talks'));
    expect(new Set(talks.map((row) => row.position)).size).toBe(ids.length);
    // Everyone places a card before the same one at once: all land above it, each in a place of its own.
    await asAlice.contacts.move({ songwriterId: ids[0]!, stage: 'contacted' });
    await Promise.all(ids.slice(1).map((id, i) => callers[i % 2]!.contacts.move({ songwriterId: id, stage: 'contacted', beforeId: ids[0]! })));
    const contacted = (await board()).contacted;
    expect(contacted).toHaveLength(ids.length);
    expect(contacted.at(-1)).toBe(ids[0]);
    const places = await runtime.db.select({ position: contacts.position }).from(contacts).where(eq(contacts.stage, 'contacted'));
    expect(new Set(places.map((row) => row.position)).size).toBe(ids.length);

    // Then a burst: each member moves cards around, placing them before cards of the board they last read.
    const stages: ContactStage[] = ['new', 'in_talks', 'contacted'];
    await asBob.contacts.move({ songwriterId: ids[1]!, stage: 'new' });
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const burst = async (caller: Caller) => {
      const seen = await caller.contacts.board();
      const codes: string[] = [];
      for (let i = 0; i < 12; i++) {
        const stage = stages[Math.floor(random() * stages.length)]!;
        const column = seen.columns.find((col) => col.stage === stage)!.cards;
        const beforeId = column.length > 0 && random() < 0.7 ? column[Math.floor(random() * column.length)]!.id : null;
        const card = ids[Math.floor(random() * ids.length)]!;
        codes.push((await outcomeOf(() => caller.contacts.move({ songwriterId: card, stage, beforeId }))).code);
      }
      return codes;
    };
    const codes = (await Promise.all([burst(asAlice), burst(asBob), burst(asAlice), burst(asBob)])).flat();
    // A place before a card someone else just moved away is refused (CONFLICT), never a 500.
    expect(codes.every((code) => code === 'ok' || code === 'CONFLICT'), codes.join(',')).toBe(true);
    expect(codes.filter((code) => code === 'ok').length).toBeGreaterThan(10);

    const rows = await runtime.db.select().from(contacts).where(eq(contacts.workspaceId, runtime.workspaceId));
    for (const stage of stages) {
      const positions = rows.filter((row) => row.stage === stage).map((row) => row.position);
      expect(new Set(positions).size, `no two cards share a place in ${stage}`).toBe(positions.length);
    }
    await caughtUp(runtime, live);
    const read = await board();
    const replayed = replay(contactEvents());
    for (const stage of stages) expect(replayed[stage] ?? [], stage).toEqual(read[stage]);
  }, 60_000);

  test('remove: the card leaves the board and its notes stay; removing again is NOT_FOUND', async () => {
    const ana = await writer('Ana Writer');
    await asAlice.contacts.create({ songwriterId: ana, stage: 'in_talks', ownerId: bob.userId });
    await asAlice.contacts.note({ songwriterId: ana, body: 'Manager is Jo.' });
    expect(await asBob.contacts.remove({ songwriterId: ana })).toEqual({ songwriterId: ana });
    expect(await contactCount()).toBe(0);
    expect((await board()).in_talks).toEqual([]);
    expect(await runtime.db.select().from(contactNotes).where(eq(contactNotes.songwriterId, ana))).toHaveLength(1);
    await expectNothingWritten(() => asBob.contacts.remove({ songwriterId: ana }), 'NOT_FOUND', /is not a contact/);
    await waitFor(() => contactEvents().some((e) => e.data.change === 'removed'), { what: 'the removed event' });
    expect(contactEvents().at(-1)!.data).toMatchObject({ songwriterId: ana, change: 'removed', stage: 'in_talks', previousStage: 'in_talks', ownerId: bob.userId, by: bob.userId });
    expect(await activityMessages()).toContain('Removed "Ana Writer" from contacts (was In talks).');
    // Added again: the history is back.
    const again = await asAlice.contacts.create({ songwriterId: ana });
    expect(again.notes).toBe(1);
  });

  test('note: stored with its author, counted on the card, told as contact_noted, quoted in the activity feed; an API key writes as nobody', async () => {
    const ana = await writer('Ana Writer');
    const loose = await writer('Not Yet A Contact');
    await asAlice.contacts.create({ songwriterId: ana });
    const note = await asAlice.contacts.note({ songwriterId: ana, body: '  Left a voicemail.  ' });
    expect(note).toMatchObject({ body: 'Left a voicemail.', by: alice.userId, byName: 'Alice Scout' });
    expect(Date.parse(note.at)).not.toBeNaN();
    const byKey = await callerAs(runtime, apiKeyOf(runtime.workspaceId)).contacts.note({ songwriterId: ana, body: 'From the CRM sync.' });
    expect(byKey).toMatchObject({ by: null, byName: null });
    // A songwriter who is not a contact yet can be noted too.
    await asBob.contacts.note({ songwriterId: loose, body: 'Worth a look.' });
    const long = 'x'.repeat(4000);
    await asBob.contacts.note({ songwriterId: loose, body: long });
    await expectNothingWritten(() => asBob.contacts.note({ songwriterId: ana, body: '   ' }), 'BAD_REQUEST', /Write something in the note/);
    await expectNothingWritten(() => asBob.contacts.note({ songwriterId: ana, body: 'x'.repeat(4001) }), 'BAD_REQUEST', /4,000 characters/);

    const card = (await asAlice.contacts.board()).columns.find((c) => c.stage === 'new')!.cards[0]!;
    expect(card.contact?.notes).toBe(2);
    await waitFor(() => ofType(live.events, 'contact_noted').length === 4, { what: 'four notes on leads' });
    const noted = ofType(live.events, 'contact_noted');
    expect(noted[0]!.keys).toEqual({ songwriterId: ana });
    expect(noted[0]!.data).toEqual({ songwriterId: ana, noteId: note.id, body: 'Left a voicemail.', by: alice.userId, byName: 'Alice Scout', at: note.at });
    expect(noted[1]!.data).toMatchObject({ by: null, byName: null });
    const stored = await runtime.db.select().from(contactNotes).where(and(eq(contactNotes.workspaceId, runtime.workspaceId), eq(contactNotes.songwriterId, loose)));
    expect(stored.map((row) => row.body).sort()).toEqual([long, 'Worth a look.'].sort());
    const messages = await activityMessages();
    expect(messages).toContain('Note on "Ana Writer": Left a voicemail.');
    expect(messages).toContain(`Note on "Not Yet A Contact": ${'x'.repeat(200)}…`);
  });

  test('board: every stage in order, cards as songwriter summaries; by owner, unowned, and by any credited name', async () => {
    const ana = await writer('Ana Writer', { score: 7.5, publisherStatus: 'unpublished', ipis: ['00012345678'], aliases: ['A. Writer'], tracks: [{ label: 'DistroKid', streams: 1000 }, { label: 'DistroKid', streams: 10 }, { label: 'Indie Co', streams: null }] });
    const ben = await writer('Ben Writer');
    const cy = await writer('Cy Writer');
    await writer('Not A Contact');
    await asAlice.contacts.create({ songwriterId: ana, ownerId: alice.userId, handles: { email: 'ana@example.com' } });
    await asAlice.contacts.create({ songwriterId: ben, stage: 'signed', ownerId: bob.userId });
    await asAlice.contacts.create({ songwriterId: cy, stage: 'signed' });
    await asAlice.contacts.note({ songwriterId: ana, body: 'one' });

    const full = await asAlice.contacts.board();
    expect(full.columns.map((c) => c.stage)).toEqual(['new', 'researching', 'contacted', 'in_talks', 'signed', 'passed']);
    expect(columnsOf(full)).toEqual({ new: [ana], researching: [], contacted: [], in_talks: [], signed: [ben, cy], passed: [] });
    expect(full.columns.map((c) => c.total)).toEqual([1, 0, 0, 0, 2, 0]);
    expect(full.columns[0]!.cards[0]).toEqual({
      id: ana,
      name: 'Ana Writer',
      ipis: ['00012345678'],
      aliases: ['A. Writer'],
      score: 7.5,
      publisherStatus: 'unpublished',
      trackCount: 3,
      totalStreams: 1010,
      labels: ['DistroKid', 'Indie Co'],
      firstSeenAt: '2025-03-03T00:00:00.000Z',
      contact: { stage: 'new', ownerId: alice.userId, ownerName: 'Alice Scout', handles: { email: 'ana@example.com' }, position: 1, notes: 1, updatedAt: expect.any(String) },
    });
    expect(columnsOf(await asAlice.contacts.board({ ownerId: bob.userId! }))).toMatchObject({ new: [], signed: [ben] });
    expect(columnsOf(await asAlice.contacts.board({ ownerId: 'none' }))).toMatchObject({ new: [], signed: [cy] });
    expect(columnsOf(await asAlice.contacts.board({ q: 'a. writ' }))).toMatchObject({ new: [ana], signed: [] });
    expect(columnsOf(await asAlice.contacts.board({ q: 'CY' }))).toMatchObject({ new: [], signed: [cy] });
    expect(columnsOf(await asAlice.contacts.board({ q: '%' }))).toMatchObject({ new: [], signed: [] });
    // Viewers read the board.
    const viewer = await personIn(runtime, runtime.workspaceId, 'viewer');
    expect(columnsOf(await callerAs(runtime, viewer).contacts.board())).toEqual(columnsOf(full));
  });
});

/** A board rebuilt from contact_changed events alone, as a client applying them in order would. */
function replay(events: readonly Envelope<'contact_changed'>[]): Partial<Record<ContactStage, string[]>> {
  const cards = new Map<string, { stage: ContactStage; position: number }>();
  for (const event of events) {
    if (event.data.change === 'removed') cards.delete(event.data.songwriterId);
    else cards.set(event.data.songwriterId, { stage: event.data.stage, position: event.data.position });
  }
  const out: Partial<Record<ContactStage, string[]>> = {};
  const sorted = [...cards].sort(([idA, a], [idB, b]) => a.position - b.position || (idA < idB ? -1 : 1));
  for (const [id, card] of sorted) (out[card.stage] ??= []).push(id);
  return out;
}
