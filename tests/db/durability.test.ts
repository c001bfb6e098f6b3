import { afterEach, expect, test } from 'vitest';
import { createScriptClient } from '~/trpc/client';
import { apiKeyOverHttp, signUpOverHttp } from '../support/http-accounts';
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
  // The key lives in the database, so it still holds after the restart.
  const apiKey = await apiKeyOverHttp(server.url, (await signUpOverHttp(server.url)).cookie);
  const first = createScriptClient({ baseUrl: server.url, transport: 'sse', apiKey });
  // Signing up and making the key are logged too: those entries were there before the notes.
  const before = (await first.client.activity.list.query({ limit: 100 })).items.map((a) => a.id);
  const acknowledged: string[] = [];
  for (let i = 0; i < 25; i++) acknowledged.push((await first.client.activity.note.mutate({ message: `note ${i}` })).id);
  first.close();
  await server.kill(); // SIGKILL right after the last acknowledgement: no shutdown hook runs

  server = await startServerProcess({ DATA_DIR: dir });
  const second = createScriptClient({ baseUrl: server.url, transport: 'sse', apiKey });
  const { items } = await second.client.activity.list.query({ limit: 100 });
  second.close();
  expect(items.map((a) => a.id).sort()).toEqual([...before, ...acknowledged].sort());
});
