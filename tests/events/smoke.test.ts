import { afterEach, expect, test } from 'vitest';
import { logActivity } from '~/server/activity/log-activity';
import { subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
afterEach(() => runtime?.dispose());

test('shape', async () => {
  runtime = await createTestRuntime();
  const sub = await subscribe(runtime, (c) => c.activityFeed());
  await waitFor(() => sub.messages.length >= 1);
  await runtime.log.transaction((tx) => logActivity(tx, { workspaceId: runtime.defaultWorkspaceId, kind: 'note', message: 'hi' }));
  await waitFor(() => sub.messages.length >= 2);
  console.log(JSON.stringify(sub.messages));
  await sub.stop();
  expect(runtime.hub.size()).toBe(0);
});
