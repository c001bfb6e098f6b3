/**
 * Hostile input, property-tested with fast-check. For EVERY procedure of the router (enumerated
 * from `appRouter._def.procedures`, so one added later is fuzzed without touching this file), an
 * owner calls it at procedure level with malformed input: arbitrary JSON and non-JSON values,
 * NUL bytes, lone surrogates, huge strings, wrong types, extra keys, odd ids, broken cursors and
 * event ids, out-of-range numbers, deeply nested arrays. The property: each call either succeeds or
 * throws a TRPCError whose code is not INTERNAL_SERVER_ERROR, within 5 s.
 *
 * Then a raw WebSocket (the `ws` package, `Authorization: Bearer <key>`) sends a few hundred such
 * calls in tRPC's wire format, alone and many to a frame, plus frames that are not tRPC messages:
 * every call id must get exactly one reply (a result or an error; a subscription `started` or an
 * error, then at most one `stopped`), every broken frame one id-null error, and none a 500.
 *
 * `FUZZ_SEED=<n>` replays a run (the seed is printed).
 */
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appRouter } from '~/server/api/root';
import type { AppServer } from '~/server/http/app-server';
import { users } from '~/server/db/auth-schema';
import { seedSongwriter } from '../contacts/support';
import { addMember, createKey } from '../support/accounts';
import { callerFor } from '../support/caller';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { startTestServer } from '../support/server';

const RUNS_PER_PROCEDURE = Number(process.env.FUZZ_RUNS ?? 100);
const CALL_TIMEOUT_MS = 5_000;
const SUBSCRIPTION_QUIET_MS = 300;
const DEEP_RUNS_PER_PROCEDURE = Number(process.env.FUZZ_DEEP_RUNS ?? 10);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

type ProcedureDef = { _def: { type: 'query' | 'mutation' | 'subscription'; inputs: unknown[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>)
  .map(([path, procedure]) => ({ path, type: procedure._def.type, shape: inputShape(procedure._def.inputs) }))
  .sort((a, b) => a.path.localeCompare(b.path));

// What the runs saw, printed at the end.
const stats = {
  procedureCalls: 0,
  succeeded: 0,
  typedErrors: {} as Record<string, number>,
  internalErrors: [] as string[],
  notTrpcErrors: [] as string[],
  timeouts: [] as string[],
  ws: { calls: 0, frames: 0, brokenFrames: 0, idNullReplies: 0, expectedIdNullReplies: 0, replies: 0, errorsByCode: {} as Record<string, number>, internal: [] as string[], withoutReply: [] as string[], extraReplies: [] as string[] },
};

// Failed properties, each with fast-check's counterexample and what the call did, printed at the end.
const findings: string[] = [];

// Values the generators draw from that only exist once the runtime is seeded.
const real = {
  ids: [] as string[],
  playlistId: '',
  jobId: '',
  importId: '',
  trackIds: [] as string[],
  keyId: '',
  epoch: 'epoch',
  headSeq: 0,
  cursor: 'x|y',
  // Songwriters and contacts (issue 15): records (some of them contacts), a merge to undo, a member to own a contact.
  songwriterIds: [] as string[],
  operationId: '',
  userId: '',
};

// ---------------------------------------------------------------------------------------------
// What each procedure takes, read from its zod input (so the generators aim at real keys and types)

type Kind =
  | { type: 'string' | 'number' | 'boolean' | 'object' | 'unknown' }
  | { type: 'enum'; values: unknown[] }
  | { type: 'array'; element: Kind };

interface ZodLike {
  _zod?: { def?: { type: string; innerType?: ZodLike; in?: ZodLike; element?: ZodLike; shape?: Record<string, ZodLike>; entries?: Record<string, unknown>; values?: unknown[]; options?: ZodLike[] } };
}

function kindOf(schema: ZodLike | undefined, depth = 0): Kind {
  const def = schema?._zod?.def;
  if (!def || depth > 8) return { type: 'unknown' };
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return kindOf(def.innerType, depth + 1);
    case 'pipe':
      return kindOf(def.in, depth + 1);
    case 'string':
    case 'number':
    case 'boolean':
    case 'object':
      return { type: def.type };
    case 'int':
      return { type: 'number' };
    case 'enum':
      return { type: 'enum', values: Object.values(def.entries ?? {}) };
    case 'literal':
      return { type: 'enum', values: def.values ?? [] };
    case 'union': {
      const kinds = (def.options ?? []).map((option) => kindOf(option, depth + 1));
      return kinds.every((k) => k.type === 'enum') ? { type: 'enum', values: kinds.flatMap((k) => (k as { values: unknown[] }).values) } : (kinds[0] ?? { type: 'unknown' });
    }
    case 'array':
      return { type: 'array', element: kindOf(def.element, depth + 1) };
    default:
      return { type: 'unknown' };
  }
}

/** The keys of a procedure's object input and the kind of each (through default/optional/pipe wrappers). */
function inputShape(inputs: unknown[]): Record<string, Kind> {
  const shape: Record<string, Kind> = {};
  const visit = (schema: ZodLike | undefined, depth: number) => {
    const def = schema?._zod?.def;
    if (!def || depth > 6) return;
    if (def.type === 'object' && def.shape) {
      for (const [key, value] of Object.entries(def.shape)) shape[key] = kindOf(value);
      return;
    }
    for (const inner of [def.innerType, def.in]) visit(inner, depth + 1);
  };
  for (const input of inputs) visit(input as ZodLike, 0);
  return shape;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Deep nesting, shown by its shape (fast-check and vitest print values recursively). */
function nested(depth: number, shape: 'array' | 'object'): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = shape === 'array' ? [value] : { a: value };
  Object.defineProperty(value as object, fc.toStringMethod, { value: () => `<${shape} nested ${depth} deep>`, enumerable: false });
  return value;
}

function hugeText(length: number, unit: string): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** A key left out of the input object. */
const ABSENT = Symbol('absent');

/**
 * The generators. An input is mostly an object of the procedure's own keys in which ONE key is
 * hostile and the others plausible (so the hostile value gets past the others' validation and
 * reaches the procedure's body), sometimes every key independently so, sometimes not an object at
 * all. Deep nesting is drawn by its own property (`deep: true`): a bug it trips would otherwise
 * fail every procedure's first runs and hide whatever the flat inputs find.
 */
function arbitraries(opts: { deep: boolean } = { deep: false }) {
  const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
  const nasty = fc.constantFrom(
    '\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\uDBFF', '\uDFFF\uD800', '\uFEFF', '\u202Egnp.exe', '💥', '👨‍👩‍👧', "'; DROP TABLE events; --",
    '" OR 1=1 --', '../../etc/passwd', '%00', '%', '\\', '$1', '${x}', '<script>alert(1)</script>', '', ' ', '\t\n', 'null', 'undefined',
    'NaN', '__proto__', 'constructor', 'prototype', 'toString', 'garbage|x', '|', '||', 'a|b|c', ':', 'a:b', 'x'.repeat(101),
  );
  const hostileString = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 3, arbitrary: fc.string({ unit: utf16Unit, maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 4, arbitrary: nasty },
    { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\uDBFF\u0041'), fc.string({ maxLength: 10 })).map(([a, b, c]) => a + b + c) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 2_001, max: 400_000 }), fc.constantFrom('x', 'é', '\u0000', '😀', ',', '"', '\n', 'a,b\n', '\uD800')).map(([n, unit]) => hugeText(n, unit)) },
  );
  // Numbers: mostly of the right type but out of every range (beyond int4, negative, fractional, not finite).
  const hostileNumber = fc.oneof(
    { weight: 4, arbitrary: fc.oneof(fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53 + 2, 1e21, 1e308)) },
    { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -(2 ** 31), max: 0 }), fc.constantFrom(-1, -0, -(2 ** 53), -1e308)) },
    { weight: 2, arbitrary: fc.oneof(fc.double(), fc.constantFrom(0.5, Number.MIN_VALUE, Number.MAX_VALUE, NaN, Infinity, -Infinity)) },
    { weight: 1, arbitrary: fc.integer() },
  );
  const id = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...real.ids) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,100}$/) },
    { weight: 4, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(101), '', '-', '_', '../x', 'a b', 'a.b', 'ä', '1e3', '0x10', `${real.ids[0]}\u0000`, ` ${real.ids[0]}`) },
  );
  const eventId = fc.oneof(
    fc.constantFrom(
      `${real.epoch}:0`, `${real.epoch}:1`, `${real.epoch}:${real.headSeq}`, `${real.epoch}:${real.headSeq + 1}`, `${real.epoch}:999999999999999999`,
      `${real.epoch}:9007199254740993`, `${real.epoch}:-1`, `${real.epoch}:`, ':1', `${real.epoch}:v1`, 'other:1', `${'a'.repeat(32)}:1`, `${'a'.repeat(33)}:1`,
      `${real.epoch}:1:2`, `${real.epoch}:01`, `${real.epoch}:1.5`, `${real.epoch}:1e3`,
    ),
    fc.tuple(fc.constantFrom(real.epoch, 'zz', ''), hostileNumber).map(([epoch, n]) => `${epoch}:${n}`),
    fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }).map((n) => `${real.epoch}:${n}`),
    hostileString,
  );
  // Activity cursors (`createdAt|id`): well-formed with dates at and past every edge, and broken ones.
  const cursor = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.date({ noInvalidDate: true }), fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/)).map(([date, rowId]) => `${date.toISOString()}|${rowId}`) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -300_000, max: 300_000 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/)).map(([year, rowId]) => `${year}|${rowId}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'garbage|x', '|x', 'x|', '2024-01-01|', '2024-01-01T00:00:00.000Z|abc', '99999|x', '0|x', '-1|x', '275760-09-13T00:00:00.000Z|x',
        '+275760-09-13T00:00:00.000Z|x', '-271821-04-20T00:00:00.000Z|x', '+010000-01-01T00:00:00.000Z|x', '0001-01-01T00:00:00.000Z|x', '-000001-01-01T00:00:00.000Z|x',
        'Infinity|x', `${real.cursor}|more`, `${real.cursor.split('|')[0]}|${'a'.repeat(101)}`,
      ),
    },
    { weight: 1, arbitrary: hostileString },
  );
  const deepValue = fc
    .tuple(fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 16, max: 2_000 }) }, { weight: 3, arbitrary: fc.integer({ min: 2_000, max: 20_000 }) }), fc.constantFrom('array' as const, 'object' as const))
    .map(([depth, shape]) => nested(depth, shape));
  const scalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.constant(undefined));
  const hugeArray = fc.tuple(fc.integer({ min: 5_001, max: 60_000 }), fc.constantFrom(...real.ids.slice(0, 3), 'x', 1)).map(([n, item]) => Array.from({ length: n }, () => item));
  /** Any value at all, of any type: what a key gets when its type is wrong on purpose. */
  const anyValue = fc.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 2, arbitrary: id },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }) },
    { weight: 2, arbitrary: fc.array(fc.oneof(id, hostileNumber, scalar), { maxLength: 8 }) },
    { weight: 1, arbitrary: hugeArray },
    { weight: 1, arbitrary: fc.constantFrom('array' as const, 'object' as const).map((shape) => nested(4, shape)) },
  );
  const csvish = fc.oneof(
    fc.constantFrom('', 'url,name,tags', 'url,name,tags\n', '\uFEFFurl\nnot a playlist', 'url\n"unclosed', 'a;b;c\n1;2;3', 'url,name\nhttps://open.spotify.com/playlist/DemoPlaylist0000000999,x\u0000'),
    fc.array(fc.oneof(hostileString, fc.constantFrom('https://open.spotify.com/playlist/DemoMissing0000000000001', 'spotify:playlist:DemoLocked00000000000001')), { maxLength: 20 }).map((rows) => ['url,name,tags', ...rows].join('\n')),
    hostileString,
  );
  const urlish = fc.oneof(
    fc.constantFrom('not a playlist', 'https://open.spotify.com/playlist/', 'spotify:playlist:', 'https://evil.example/playlist/DemoPlaylist0000000001', 'javascript:alert(1)', 'https://open.spotify.com/playlist/DemoMissing0000000000001', 'https://open.spotify.com/playlist/DemoLocked00000000000001', 'https://open.spotify.com/playlist/DemoPrivate0000000000001', 'https://open.spotify.com/playlist/DemoPlaylist0000000001?si=\u0000'),
    fc.webUrl(),
    hostileString,
  );

  // Contact handles as a person types them: each valid, empty (clears it) or left out.
  const handles = fc.record(
    {
      email: fc.constantFrom('', 'writer@example.com', ' Writer@Example.com '),
      instagram: fc.constantFrom('', '@writer', 'writer.name_1'),
      tiktok: fc.constantFrom('', 'writer'),
      x: fc.constantFrom('', '@w'),
      website: fc.constantFrom('', 'https://writer.example', 'http://writer.example/a?b=c'),
    },
    { requiredKeys: [] },
  );

  /** A value a correct client could send for `key` of `kind`: real ids, small counts, enum members. */
  const plausible = (key: string, kind: Kind): fc.Arbitrary<unknown> => {
    if (key === 'importId') return fc.constant(real.importId);
    if (key === 'playlistId') return fc.constant(real.playlistId);
    if (key === 'jobId') return fc.constant(real.jobId);
    if (key === 'trackIds') return fc.subarray(real.trackIds, { minLength: 1 });
    if (key === 'id') return fc.constantFrom(...real.ids);
    if (key === 'lastEventId') return fc.constantFrom(`${real.epoch}:0`, `${real.epoch}:${real.headSeq}`);
    if (key === 'cursor') return kind.type === 'number' ? fc.nat(50) : fc.constant(real.cursor);
    if (key === 'url') return fc.integer({ min: 300, max: 320 }).map((n) => `https://open.spotify.com/playlist/DemoPlaylist${String(n).padStart(10, '0')}`);
    if (key === 'csv') return fc.constant('url,name,tags\nhttps://open.spotify.com/playlist/DemoPlaylist0000000330,x,y\n');
    if (key === 'songwriterId' || key === 'intoId' || key === 'beforeId') return fc.constantFrom(...real.songwriterIds);
    if (key === 'ids') return fc.subarray(real.songwriterIds, { minLength: 1 });
    if (key === 'operationId') return fc.constant(real.operationId);
    if (key === 'ownerId') return fc.constantFrom(real.userId, 'none');
    if (key === 'handles') return handles;
    if (key === 'aliases') return fc.array(fc.record({ kind: fc.constantFrom('name', 'ipi'), key: fc.string({ minLength: 1, maxLength: 20 }) }), { minLength: 1, maxLength: 3 });
    switch (kind.type) {
      case 'number':
        return fc.integer({ min: 1, max: 50 });
      case 'boolean':
        return fc.boolean();
      case 'enum':
        return fc.constantFrom(...kind.values);
      case 'array':
        return fc.array(plausible(`${key}[]`, kind.element), { minLength: 1, maxLength: 3 });
      default:
        return fc.string({ minLength: 1, maxLength: 20 }).filter((text) => text.trim().length > 0);
    }
  };

  /** A hostile value of (mostly) the right type for `key`, aimed at what that key means. */
  const hostile = (key: string, kind: Kind): fc.Arbitrary<unknown> => {
    if (key === 'lastEventId') return eventId;
    if (key === 'cursor') return kind.type === 'number' ? hostileNumber : cursor;
    if (key === 'csv') return csvish;
    if (key === 'url') return urlish;
    if (key === 'trackIds') return fc.oneof(fc.array(id, { maxLength: 10 }), hugeArray);
    if (key === 'ids') return fc.oneof(fc.array(id, { maxLength: 25 }), hugeArray);
    if (key === 'handles') return fc.dictionary(fc.constantFrom('email', 'instagram', 'tiktok', 'x', 'website', 'facebook', '__proto__'), hostileString, { maxKeys: 4 });
    if (key === 'aliases') return fc.array(fc.record({ kind: fc.oneof(fc.constantFrom('name', 'ipi'), hostileString), key: hostileString }), { maxLength: 5 });
    if (/id$/i.test(key) && kind.type === 'string') return id;
    switch (kind.type) {
      case 'number':
        return hostileNumber;
      case 'enum':
        return fc.oneof(fc.constantFrom(...kind.values.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)), '', 'root', 0, 4, -1, '1'), hostileString);
      case 'array':
        return fc.oneof(fc.array(hostile(`${key}[]`, kind.element), { maxLength: 25 }), fc.constant([]), hugeArray);
      default:
        return hostileString;
    }
  };

  const extraKey = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'lastEventId', 'toString', 'hasOwnProperty', '', 'id', 'workspaceId', '\u0000', '\uD800'));
  const withExtras = (object: fc.Arbitrary<Record<string, unknown>>) =>
    fc.tuple(object, fc.array(fc.tuple(extraKey, anyValue), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 3 })).map(([base, more, roll]) => {
      if (roll !== 0) return base; // one object in four gets keys it does not take
      const out: Record<string, unknown> = { ...base };
      for (const [key, value] of more) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      return out;
    });
  const build = (entries: [string, unknown][]) => Object.fromEntries(entries.filter(([, value]) => value !== ABSENT));

  /** The input arbitrary for a procedure whose object input has `shape` (empty: no object input). */
  const inputFor = (shape: Record<string, Kind>) => {
    const keys = Object.keys(shape);
    const plausibleOrAbsent = (key: string) => fc.oneof({ weight: 4, arbitrary: plausible(key, shape[key]!) }, { weight: 1, arbitrary: fc.constant(ABSENT) });
    const anyOf = (key: string) =>
      fc.oneof({ weight: 4, arbitrary: plausible(key, shape[key]!) }, { weight: 4, arbitrary: hostile(key, shape[key]!) }, { weight: 1, arbitrary: anyValue }, { weight: 1, arbitrary: fc.constant(ABSENT) });
    const hostileValue = (key: string) => fc.oneof({ weight: 4, arbitrary: hostile(key, shape[key]!) }, { weight: 1, arbitrary: anyValue });
    // One key hostile (or of the wrong type), the others plausible or left out.
    const oneHostile =
      keys.length === 0
        ? fc.constant({})
        : fc
            .constantFrom(...keys)
            .chain((target) => fc.tuple(...keys.map((key) => (key === target ? hostileValue(key) : plausibleOrAbsent(key)).map((value) => [key, value] as [string, unknown]))))
            .map(build);
    const independent = keys.length === 0 ? fc.constant({}) : fc.tuple(...keys.map((key) => anyOf(key).map((value) => [key, value] as [string, unknown]))).map(build);
    const object = fc.oneof({ weight: 5, arbitrary: withExtras(oneHostile) }, { weight: 3, arbitrary: withExtras(independent) });
    if (opts.deep) {
      // A deep value as the whole input, or as one key's value among plausible others.
      const deepInKey =
        keys.length === 0
          ? fc.tuple(extraKey, deepValue).map(([key, value]) => ({ [key]: value }))
          : fc
              .constantFrom(...keys)
              .chain((target) => fc.tuple(...keys.map((key) => (key === target ? deepValue : plausibleOrAbsent(key)).map((value) => [key, value] as [string, unknown]))))
              .map(build);
      return fc.oneof(deepValue, deepInKey);
    }
    return fc.oneof(
      { weight: 8, arbitrary: object },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
      { weight: 1, arbitrary: anyValue },
      { weight: 1, arbitrary: fc.array(object, { maxLength: 3 }) },
    );
  };
  return { inputFor, hostileString, anyValue };
}

// ---------------------------------------------------------------------------------------------
// Procedure-level calls

type Outcome = { ok: true } | { ok: false; error: unknown } | { ok: 'timeout' };

function invoke(runtime: TestRuntime, path: string, type: string, input: unknown): Promise<Outcome> {
  const controller = new AbortController();
  const caller = callerFor(runtime, controller.signal);
  const procedure = path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], caller) as (input: unknown) => Promise<unknown>;
  const work = (async (): Promise<Outcome> => {
    try {
      const result = await procedure(input);
      if (type === 'subscription') {
        // The first message (a snapshot, a resync, an event) or the error, then unsubscribe. A
        // stream resumed at the head has nothing to send yet: after SUBSCRIPTION_QUIET_MS it is aborted,
        // and then it must end (the 5 s bound covers that too).
        const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
        const first = iterator.next();
        let quiet: NodeJS.Timeout | undefined;
        try {
          await Promise.race([first, new Promise((resolve) => (quiet = setTimeout(resolve, SUBSCRIPTION_QUIET_MS)))]);
        } catch (error) {
          // Thrown while streaming: a transport would send this; not a TRPCError means a 500 there.
          return { ok: false, error: error instanceof TRPCError ? error : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'thrown while streaming', cause: error }) };
        } finally {
          clearTimeout(quiet);
          controller.abort();
        }
        await first.catch(() => undefined);
        await iterator.return?.(undefined);
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    } finally {
      controller.abort();
    }
  })();
  let timer: NodeJS.Timeout;
  const timeout = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ ok: 'timeout' }), CALL_TIMEOUT_MS)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A short, printable account of an input (huge and deep ones are summarized). */
function show(value: unknown): string {
  try {
    const text = fc.stringify(value);
    return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} chars)` : text;
  } catch {
    return `<${typeof value}>`;
  }
}

/** The chain of causes, innermost last (a failed query's own message is the SQL; its cause says why). */
function causeOf(error: unknown): string {
  const chain: string[] = [];
  for (let cause = (error as { cause?: unknown }).cause; cause !== undefined && chain.length < 4; cause = (cause as { cause?: unknown }).cause) {
    chain.push(cause instanceof Error ? `${cause.name}: ${cause.message.slice(0, 200)}` : String(cause).slice(0, 200));
    if (!(cause instanceof Error)) break;
  }
  return chain.length ? chain.join(' <- ') : '(no cause)';
}

let runtime: TestRuntime;
let server: AppServer | undefined;

beforeAll(async () => {
  runtime = await createTestRuntime({ env: { DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0' } });
  // callerFor acts as `test-user-<workspace>` with the owner role; make that user a real member
  // (Better Auth checks membership when an API key is made), as any signed-in owner is.
  const userId = `test-user-${runtime.workspaceId}`;
  await runtime.db.insert(users).values({ id: userId, name: 'Fuzz owner', email: `${userId}@example.com` });
  await addMember(runtime, runtime.workspaceId, userId, 'owner');
  // Real rows to aim at: a playlist with tracks and a job, an import, an API key, activity (and its cursor).
  const owner = callerFor(runtime);
  const added = await owner.playlists.add({ url: 'https://open.spotify.com/playlist/DemoPlaylist0000000123' });
  const tracks = await owner.tracks.list({ playlistId: added.id, limit: 5 });
  const { importId } = await owner.imports.start({ csv: 'url,name,tags\nhttps://open.spotify.com/playlist/DemoPlaylist0000000124,x,y\nnot a playlist,,\n' });
  const apiKey = await owner.apiKeys.create({ name: 'fuzz', role: 'viewer' });
  await owner.activity.note({ message: 'fuzz target' });
  const songwriterIds: string[] = [];
  for (const [i, name] of ['Fuzz Writer', 'Fuzz Contact', 'Fuzz Merged', 'Fuzz Survivor'].entries()) {
    songwriterIds.push(await seedSongwriter(runtime, runtime.workspaceId, { name, ipis: [`0000000${i}000`], aliases: [`${name} alias`], tracks: [{ label: 'DistroKid', streams: i }] }));
  }
  await owner.contacts.create({ songwriterId: songwriterIds[1]!, ownerId: userId });
  await owner.contacts.create({ songwriterId: songwriterIds[3]!, stage: 'contacted' });
  await owner.contacts.note({ songwriterId: songwriterIds[1]!, body: 'fuzz note' });
  const { operationId } = await owner.songwriters.merge({ intoId: songwriterIds[3]!, ids: [songwriterIds[2]!] });
  await owner.activity.note({ message: 'another' });
  const page = await owner.activity.list({ limit: 1 });
  Object.assign(real, {
    playlistId: added.id,
    jobId: added.jobId!,
    importId,
    trackIds: tracks.map((t: { id: string }) => t.id),
    keyId: apiKey.id,
    epoch: runtime.log.epoch,
    headSeq: await runtime.log.head(),
    cursor: page.nextCursor ?? `${new Date().toISOString()}|x`,
    songwriterIds,
    operationId,
    userId,
  });
  real.ids = [added.id, added.jobId!, importId, apiKey.id, ...real.trackIds, ...songwriterIds, operationId];
  console.log(`[fuzz] seed ${seed} (replay with FUZZ_SEED=${seed}); ${procedures.length} procedures, ${RUNS_PER_PROCEDURE} runs each (+${DEEP_RUNS_PER_PROCEDURE} deeply nested)`);
}, 60_000);

afterAll(async () => {
  const { ws, ...procedureLevel } = stats;
  console.log(
    `[fuzz] figures\n${JSON.stringify(
      {
        seed,
        procedures: procedures.length,
        procedureLevel: {
          callsMade: procedureLevel.procedureCalls,
          succeeded: procedureLevel.succeeded,
          typedErrorsByCode: procedureLevel.typedErrors,
          internalServerErrors: procedureLevel.internalErrors.length,
          notTrpcErrors: procedureLevel.notTrpcErrors.length,
          timeouts: procedureLevel.timeouts.length,
        },
        webSocket: {
          callsMade: ws.calls,
          frames: ws.frames,
          brokenFramesAndIdNullCalls: ws.expectedIdNullReplies,
          idNullReplies: ws.idNullReplies,
          replies: ws.replies,
          errorsByCode: ws.errorsByCode,
          internalServerErrors: ws.internal.length,
          callsWithoutReply: ws.withoutReply.length,
          extraReplies: ws.extraReplies.length,
        },
      },
      null,
      2,
    )}`,
  );
  if (findings.length) console.log(`[fuzz] properties that failed (shrunk counterexample -> what happened)\n${findings.join('\n')}`);
  for (const [what, list] of [['500s', ws.internal], ['calls without reply', ws.withoutReply], ['calls with more than one reply', ws.extraReplies]] as const) {
    if (list.length) console.log(`[fuzz] WebSocket ${what} (first 10 of ${list.length})\n${list.slice(0, 10).join('\n')}`);
  }
  await server?.close();
  await runtime?.dispose();
}, 60_000);

/**
 * One property over one procedure. Every call is counted; a failing one is recorded with its
 * cause, and fast-check's shrunk counterexample goes into the findings printed at the end.
 */
async function fuzzProcedure(procedure: (typeof procedures)[number], input: fc.Arbitrary<unknown>, runs: number, runSeed: number, category: string, endOnFailure = false) {
  try {
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        stats.procedureCalls++;
        const outcome = await invoke(runtime, procedure.path, procedure.type, value);
        if (outcome.ok === true) {
          stats.succeeded++;
          return true;
        }
        if (outcome.ok === 'timeout') {
          stats.timeouts.push(`${procedure.path}(${show(value)}): no answer in ${CALL_TIMEOUT_MS} ms`);
          return false;
        }
        const { error } = outcome;
        if (!(error instanceof TRPCError)) {
          stats.notTrpcErrors.push(`${procedure.path}(${show(value)}): threw ${String(error)}`);
          return false;
        }
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          stats.internalErrors.push(`${procedure.path}(${show(value)}): INTERNAL_SERVER_ERROR, cause ${causeOf(error)}`);
          return false;
        }
        stats.typedErrors[error.code] = (stats.typedErrors[error.code] ?? 0) + 1;
        return true;
      }),
      { numRuns: runs, seed: runSeed, endOnFailure },
    );
  } catch (error) {
    const text = String((error as Error).message);
    const counterexample = /Counterexample: (.*)/.exec(text)?.[1] ?? text.split('\n')[0];
    const last = [...stats.internalErrors, ...stats.notTrpcErrors, ...stats.timeouts].filter((line) => line.startsWith(`${procedure.path}(`)).at(-1);
    findings.push(`${category} ${procedure.path}: counterexample ${counterexample}\n    -> ${last?.slice(last.indexOf('): ') + 3) ?? text.slice(0, 300)}`);
    throw error;
  }
}

describe('every procedure, hostile input at procedure level', () => {
  test('the router has procedures of every kind to fuzz', () => {
    expect(new Set(procedures.map((p) => p.type))).toEqual(new Set(['query', 'mutation', 'subscription']));
  });

  test.each(procedures.map((p, index) => [p.path, p, index] as const))('%s: flat hostile input succeeds or throws a typed, non-500 TRPCError, within 5 s', async (_path, procedure, index) => {
    await fuzzProcedure(procedure, arbitraries().inputFor(procedure.shape), RUNS_PER_PROCEDURE, seed + index, 'flat');
  }, 120_000);

  test.each(procedures.map((p, index) => [p.path, p, index] as const))('%s: deeply nested input succeeds or throws a typed, non-500 TRPCError, within 5 s', async (_path, procedure, index) => {
    // Not shrunk: each shrinking step walks thousands of levels again, and the depth that breaks is the same everywhere.
    await fuzzProcedure(procedure, arbitraries({ deep: true }).inputFor(procedure.shape), DEEP_RUNS_PER_PROCEDURE, seed + 1000 + index, 'deep', true);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// The same over a raw WebSocket

interface Sent {
  key: string;
  bytes?: number;
  /** The input, readable: deep nesting by its depth, the rest cut at 200 characters. */
  summary: string;
  method: 'query' | 'mutation' | 'subscription';
  path: string;
  text: string;
}

const MAX_FRAME_BYTES = 800_000; // under WS_MAX_PAYLOAD_BYTES (1 MiB): a larger frame closes the socket by design

test('raw WebSocket: malformed calls, alone and batched, each get exactly one reply and none is a 500', async () => {
  server = await startTestServer(runtime);
  const key = await createKey(runtime, runtime.workspaceId, 'admin');
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/trpc`, { headers: { authorization: `Bearer ${key}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const replies = new Map<string, { result?: { type?: string }; error?: { data?: { code?: string }; message?: string } }[]>();
  let closed: { code: number; reason: string } | null = null;
  socket.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
  socket.on('message', (raw) => {
    const text = raw.toString();
    if (text === 'PING') return void socket.send('PONG');
    const message = JSON.parse(text) as { id: unknown; method?: string; result?: { type?: string }; error?: { data?: { code?: string }; message?: string } };
    if (message.method) return; // a server notification (reconnect), not a reply
    if (message.id === null) {
      stats.ws.idNullReplies++;
      if (message.error?.data?.code === 'INTERNAL_SERVER_ERROR') stats.ws.internal.push(`ws id null: ${text.slice(0, 300)}`);
      return;
    }
    const id = JSON.stringify(message.id);
    const list = replies.get(id) ?? [];
    list.push(message);
    replies.set(id, list);
    // Stop each subscription once it started, so the connection stays under its subscription cap.
    if (message.result?.type === 'started') socket.send(JSON.stringify({ id: message.id, method: 'subscription.stop' }));
  });

  const { inputFor, hostileString } = arbitraries();
  const random = fc.sample(fc.integer(), { numRuns: 1, seed })[0]!;
  const paths = procedures.map((p) => p.path);
  const sent: Sent[] = [];
  let nextId = 0;
  const hostilePath = fc.oneof(fc.constantFrom('', '.', 'nope', 'playlists', 'playlists.', '.playlists.list', 'playlists.list.x', '__proto__', 'constructor', 'toString', 'playlists.__proto__', 'jobStatus.subscribe', '_def', '_def.procedures'), hostileString);
  const callText = fc
    .record({
      method: fc.constantFrom('query' as const, 'mutation' as const, 'subscription' as const),
      target: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...procedures) }, { weight: 1, arbitrary: hostilePath.map((path) => ({ path, type: 'query' as const, shape: { id: { type: 'string' } } as Record<string, Kind> })) }),
      matchType: fc.integer({ min: 0, max: 9 }),
      stringId: fc.boolean(),
      // fc.option gives null once in `freq`; these are rarer, so weights instead.
      lastEventId: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }),
      jsonrpc: fc.boolean(),
      deepInput: fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 100, max: 12_000 }) }),
    })
    .chain((call) => inputFor(call.target.shape).map((input) => ({ ...call, input })));

  type Call = typeof callText extends fc.Arbitrary<infer T> ? T : never;
  /** Serializes one call; bigints and the like do not exist in JSON, so the input goes through a replacer. */
  const encode = (call: Call): Sent => {
    const id = call.stringId ? `call-${++nextId}` : ++nextId;
    const method = call.matchType < 7 ? (call.target.type as Sent['method']) : call.method; // mostly the right method, sometimes not
    let inputText: string | undefined;
    if (call.deepInput !== null) inputText = `${'['.repeat(call.deepInput)}1${']'.repeat(call.deepInput)}`;
    else {
      try {
        inputText = JSON.stringify(call.input, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
      } catch {
        inputText = '"unserializable"';
      }
    }
    const params = `{"path":${JSON.stringify(call.target.path)}${inputText === undefined ? '' : `,"input":${inputText}`}${call.lastEventId === null ? '' : `,"lastEventId":${JSON.stringify(call.lastEventId)}`}}`;
    const text = `{"id":${JSON.stringify(id)}${call.jsonrpc ? ',"jsonrpc":"2.0"' : ''},"method":${JSON.stringify(method)},"params":${params}}`;
    const summary = call.deepInput !== null ? `<array nested ${call.deepInput} deep>` : inputText === undefined ? '(no input)' : inputText.length > 200 ? `${inputText.slice(0, 200)}... (${inputText.length} chars)` : inputText;
    return { key: JSON.stringify(id), method, path: call.target.path, text, summary };
  };

  // A call bigger than the payload limit would close the socket (1009, by design): those are left out.
  const calls = fc
    .sample(callText, { numRuns: 760, seed: random })
    .map(encode)
    .filter((call) => (call.bytes = Buffer.byteLength(call.text)) < MAX_FRAME_BYTES)
    .slice(0, 700);
  // Frames that are not tRPC calls: each gets one error with id null, and the socket keeps serving.
  const broken = [
    'not json', '{', '[1,2', 'null', '42', '"text"', '{}', '{"id":1}', '{"id":{},"method":"query","params":{"path":"workspace.current"}}',
    '{"id":true,"method":"query","params":{"path":"workspace.current"}}', '{"id":1,"method":"nope","params":{"path":"workspace.current"}}',
    '{"id":1,"method":"query"}', '{"id":1,"method":"query","params":null}', '{"id":1,"method":"query","params":{"path":5}}',
    '{"id":1,"method":"query","params":{"path":"workspace.current","lastEventId":5}}', '{"id":1,"jsonrpc":"1.0","method":"query","params":{"path":"workspace.current"}}',
    '[{"id":9999001,"method":"query","params":{"path":"workspace.current"}},5]', '[null]', '[[]]', '{"id":NaN}', `{"id":1,"method":"query","params":{"path":"${'\\u0000'}"`,
    `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  ];
  const idNullCalls = ['{"id":null,"method":"query","params":{"path":"workspace.current"}}', '{"id":null,"method":"subscription","params":{"path":"activityFeed","input":{"x":1}}}'];

  // Rounds under the connection's 200 requests/s: single frames, then batches of 2-50 to a frame.
  // One burst of 300 in a single frame goes over the cap on purpose (TOO_MANY_REQUESTS is a reply too).
  const frames: string[][] = [];
  let cursor = 0;
  const rand = fc.sample(fc.integer({ min: 2, max: 50 }), { numRuns: 200, seed: random + 1 });
  while (cursor < 100) frames.push([calls[cursor++]!.text]);
  let r = 0;
  while (cursor < 400) {
    const size = rand[r++ % rand.length]!;
    const batch = calls.slice(cursor, Math.min(cursor + size, 400));
    cursor += batch.length;
    // Keep each frame under the payload limit: a call too big to share a frame goes alone.
    let frame: string[] = [];
    let bytes = 0;
    for (const call of batch) {
      if (frame.length > 0 && bytes + call.bytes! > MAX_FRAME_BYTES) {
        frames.push(frame);
        frame = [];
        bytes = 0;
      }
      frame.push(call.text);
      bytes += call.bytes!;
    }
    if (frame.length) frames.push(frame);
  }
  const burst = calls.slice(400, 700).filter((call) => call.bytes! < MAX_FRAME_BYTES / 300);
  sent.push(...calls.slice(0, 400), ...burst);

  const sendFrame = (texts: string[]) => {
    stats.ws.frames++;
    socket.send(texts.length === 1 ? texts[0]! : `[${texts.join(',')}]`);
  };
  let inWindow = 0;
  let windowStart = Date.now();
  for (const frame of frames) {
    if (inWindow + frame.length > 150) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_100 - (Date.now() - windowStart))));
      inWindow = 0;
      windowStart = Date.now();
    }
    inWindow += frame.length;
    sendFrame(frame);
  }
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  for (const text of broken) {
    stats.ws.frames++;
    stats.ws.brokenFrames++;
    socket.send(text);
  }
  socket.send(Buffer.from([0, 1, 2, 3]), { binary: true });
  stats.ws.frames++;
  stats.ws.brokenFrames++;
  for (const text of idNullCalls) {
    stats.ws.frames++;
    socket.send(text);
  }
  stats.ws.expectedIdNullReplies = stats.ws.brokenFrames + idNullCalls.length;
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  sendFrame(burst.map((call) => call.text));
  stats.ws.calls = sent.length + idNullCalls.length;

  const answered = (call: Sent) => (replies.get(call.key)?.length ?? 0) > 0;
  await waitFor(() => closed || (sent.every(answered) && stats.ws.idNullReplies >= stats.ws.expectedIdNullReplies), { timeoutMs: 30_000, what: 'a reply to every call' }).catch(() => null);
  await new Promise((resolve) => setTimeout(resolve, 500)); // a second reply, if any, would arrive now

  // The connection still serves a well-formed call afterwards (in a new second of its request allowance).
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  socket.send(JSON.stringify({ id: 'after', method: 'query', params: { path: 'workspace.current' } }));
  await waitFor(() => closed || replies.get('"after"'), { timeoutMs: 10_000, what: 'the reply to a call after the fuzz' }).catch(() => null);

  for (const call of sent) {
    const got = replies.get(call.key) ?? [];
    if (got.length === 0) {
      stats.ws.withoutReply.push(`ws ${call.method} ${call.path} id ${call.key} input ${call.summary}: no reply`);
      continue;
    }
    stats.ws.replies += got.length;
    for (const frame of got) {
      if (!frame.error) continue;
      const code = frame.error.data?.code ?? '(no code)';
      stats.ws.errorsByCode[code] = (stats.ws.errorsByCode[code] ?? 0) + 1;
      if (code === 'INTERNAL_SERVER_ERROR') stats.ws.internal.push(`ws ${call.method} ${call.path} input ${call.summary}: INTERNAL_SERVER_ERROR "${frame.error.message}"`);
    }
    const opening = got[0]!;
    if (call.method !== 'subscription' || opening.error || opening.result?.type !== 'started') {
      // A query or mutation, or a subscription refused (or a subscription path answered as one): one frame.
      if (got.length !== 1) {
        stats.ws.extraReplies.push(`ws ${call.method} ${call.path} id ${call.key}: ${got.length} replies (${got.map((f) => f.error?.data?.code ?? f.result?.type).join(', ')})`);
      }
    } else {
      // A started subscription: data, then at most one ending (stopped or error), never a second start.
      const endings = got.filter((f) => f.error || f.result?.type === 'stopped').length;
      const starts = got.filter((f) => f.result?.type === 'started').length;
      if (endings > 1 || starts > 1) stats.ws.extraReplies.push(`ws subscription ${call.path} id ${call.key}: ${starts} starts, ${endings} endings`);
    }
  }

  expect.soft(closed, 'the server kept the connection open').toBeNull();
  expect.soft(replies.get('"after"')?.[0]?.result?.type, 'a well-formed call after the fuzz is answered').toBe('data');
  expect.soft(stats.ws.calls).toBeGreaterThanOrEqual(300);
  expect.soft(stats.ws.internal.length, 'calls answered with INTERNAL_SERVER_ERROR').toBe(0);
  expect.soft(stats.ws.withoutReply.length, 'calls without a reply').toBe(0);
  expect.soft(stats.ws.extraReplies.length, 'calls with more than one reply').toBe(0);
  expect.soft(stats.ws.idNullReplies, 'one id-null error per broken frame or id-null call').toBe(stats.ws.expectedIdNullReplies);
  socket.close();
}, 90_000);
