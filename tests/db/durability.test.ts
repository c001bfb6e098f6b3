import { afterEach, expect, test } from 'vitest';
import { createScriptClient } from '~/trpc/client';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { freshDataDir } from '../support/runtime';

let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.kill();
  server = null;
});

test('a mutation acknowledged to its caller survives kill -9 of the server', async () => {
  const dir = await freshDataDir();
  server = await startServerProcess({ DATA_DIR: dir });
  const first = createScriptClient({ baseUrl: server.url, transport: 'sse' });
  const acknowledged: string[] = [];
  for (let i = 0; i < 25; i++) acknowledged.push((await first.client.activity.note.mutate({ message: `note ${i}` })).id);
  first.close();
  await server.kill(); // SIGKILL right after the last acknowledgement: no shutdown hook runs

  server = await startServerProcess({ DATA_DIR: dir });
  const second = createScriptClient({ baseUrl: server.url, transport: 'sse' });
  const { items } = await second.client.activity.list.query({ limit: 100 });
  second.close();
  expect(items.map((a) => a.id).sort()).toEqual([...acknowledged].sort());
});
