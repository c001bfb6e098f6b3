/**
 * The ops page's stream shows the whole process (every workspace's connections and event rates),
 * so it answers only the deployment's operators: OPERATOR_EMAILS, or the database's first account.
 * A workspace owner who is neither, and any API key, is refused.
 */
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, test } from 'vitest';
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import type { Caller } from '~/server/auth/caller';
import type { OpsSample } from '~/server/observability/ops-samples';
import { createAccount } from '../support/accounts';
import { cleanupList, serverWorld } from './support';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

const sessionOf = (account: { userId: string; workspaceId: string }): Caller => ({
  kind: 'session',
  credentialId: `s-${account.userId}`,
  userId: account.userId,
  name: 'someone',
  workspace: { id: account.workspaceId, role: 'owner' },
});

async function firstSample(runtime: Parameters<typeof createContextFactory>[0], caller: Caller): Promise<OpsSample> {
  const controller = new AbortController();
  const iterable = await createCaller(createContextFactory(runtime)({ caller }), { signal: controller.signal }).ops.live();
  const iterator = iterable[Symbol.asyncIterator]();
  try {
    return (await iterator.next()).value as OpsSample;
  } finally {
    controller.abort();
    await iterator.return?.(undefined);
  }
}

async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return 'ok';
}

describe('ops.live', () => {
  test("the database's first account gets live samples; the owner of another workspace and API keys are refused", async () => {
    const { runtime } = await serverWorld(cleanups);
    const first = await createAccount(runtime, { name: 'Installer' });
    const other = await createAccount(runtime, { name: 'Other owner' });
    const sample = await firstSample(runtime, sessionOf(first));
    expect(sample.connections).toEqual({ ws: 0, sse: 0 });
    expect(sample.heapMb).toBeGreaterThan(0);
    expect(await refusal(firstSample(runtime, sessionOf(other)))).toBe('FORBIDDEN');
    const key: Caller = { kind: 'apiKey', credentialId: 'k', userId: null, name: 'API key', workspace: { id: first.workspaceId, role: 'admin' } };
    expect(await refusal(firstSample(runtime, key))).toBe('FORBIDDEN');
    expect(await createCaller(createContextFactory(runtime)({ caller: sessionOf(first) })).workspace.current()).toMatchObject({ operator: true });
    expect(await createCaller(createContextFactory(runtime)({ caller: sessionOf(other) })).workspace.current()).toMatchObject({ operator: false });
  });

  test('OPERATOR_EMAILS names the operators instead', async () => {
    const { runtime } = await serverWorld(cleanups, { OPERATOR_EMAILS: 'ops@example.com' });
    const first = await createAccount(runtime, { name: 'Installer' });
    const ops = await createAccount(runtime, { name: 'Ops', email: 'ops@example.com' });
    expect(await refusal(firstSample(runtime, sessionOf(first)))).toBe('FORBIDDEN');
    expect((await firstSample(runtime, sessionOf(ops))).connections).toEqual({ ws: 0, sse: 0 });
  });
});
