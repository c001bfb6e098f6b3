/**
 * WebSockets of one identity (credential, person, workspace, role) share one AccessGrant
 * (api/access-watch.ts `grantForSocket`): a revocation reaches every one of them and closes each
 * socket, a differing role is a grant of its own, a revoked grant is not handed to a new socket,
 * and the grant stops being watched when its last socket closes. No database: checks call
 * `revoke` as the periodic check would.
 */
import { EventEmitter } from 'node:events';
import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { AccessWatch, type WatchedSocket } from '~/server/api/access-watch';
import type { Caller } from '~/server/auth/caller';
import type { Database } from '~/server/db/database';

class FakeSocket extends EventEmitter implements WatchedSocket {
  readonly OPEN = 1;
  readyState = 1;
  closedWith: number | null = null;

  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close');
  }
}

const keyCaller = (role: 'viewer' | 'admin' = 'viewer'): Caller => ({ kind: 'apiKey', credentialId: 'key-1', userId: null, name: 'API key ci', workspace: { id: 'ws-1', role } });
const revoked = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'revoked' });

describe('grants shared by the WebSockets of one identity', () => {
  let watch: AccessWatch;
  beforeEach(() => {
    watch = new AccessWatch(null as unknown as Database, 60_000);
  });
  afterEach(() => {
    vi.useRealTimers();
    watch.close();
  });

  test('the same identity shares one grant; a revocation aborts it once and closes every socket', () => {
    vi.useFakeTimers();
    const [a, b] = [new FakeSocket(), new FakeSocket()];
    const grantA = watch.grantForSocket(keyCaller(), a);
    const grantB = watch.grantForSocket(keyCaller(), b);
    expect(grantB).toBe(grantA);
    expect(watch.size()).toBe(1);
    const signal = grantA.signal;
    grantA.revoke(revoked());
    expect(signal.aborted).toBe(true);
    vi.advanceTimersByTime(300);
    expect([a.closedWith, b.closedWith]).toEqual([4401, 4401]);
    expect(watch.size()).toBe(0);
  });

  test('a different role is a grant of its own; a revoked grant is not reused', () => {
    const viewer = watch.grantForSocket(keyCaller('viewer'), new FakeSocket());
    const admin = watch.grantForSocket(keyCaller('admin'), new FakeSocket());
    expect(admin).not.toBe(viewer);
    expect(watch.size()).toBe(2);
    viewer.revoke(revoked());
    const next = watch.grantForSocket(keyCaller('viewer'), new FakeSocket());
    expect(next).not.toBe(viewer);
    expect(next.revoked).toBeNull();
  });

  test('the grant is watched until its last socket closes; a closed socket gets an unwatched grant', () => {
    const [a, b] = [new FakeSocket(), new FakeSocket()];
    watch.grantForSocket(keyCaller(), a);
    watch.grantForSocket(keyCaller(), b);
    a.close(1000);
    expect(watch.size()).toBe(1);
    b.close(1000);
    expect(watch.size()).toBe(0);
    const closed = new FakeSocket();
    closed.readyState = 3;
    watch.grantForSocket(keyCaller(), closed);
    expect(watch.size()).toBe(0);
  });
});
