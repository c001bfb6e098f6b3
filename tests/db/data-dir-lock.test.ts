import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadConfig } from '~/server/config';
import { DataDirLockedError } from '~/server/db/data-dir-lock';
import { createRuntime, type Runtime } from '~/server/runtime';
import { startServerProcess } from '../support/server-process';
import { freshDataDir } from '../support/runtime';

const opened: Runtime[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
});

test('a second opener of a data directory in the same process is refused', async () => {
  const dir = await freshDataDir();
  opened.push(await createRuntime(loadConfig({ DATA_DIR: dir })));
  await expect(createRuntime(loadConfig({ DATA_DIR: dir }))).rejects.toBeInstanceOf(DataDirLockedError);
});

test('another process is refused with an error naming the process that holds the directory', async () => {
  const dir = await freshDataDir();
  opened.push(await createRuntime(loadConfig({ DATA_DIR: dir })));
  const failure = await startServerProcess({ DATA_DIR: dir }).then(
    () => null,
    (error: { code?: number; output?: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.output).toContain(`in use by process ${process.pid}`);
});

test('a lock left by a dead process is taken over, and released on close', async () => {
  const dir = await freshDataDir();
  fs.writeFileSync(path.join(dir, 'linernotes.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), startedAt: 'x', argv: 'gone' }));
  const runtime = await createRuntime(loadConfig({ DATA_DIR: dir }));
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'linernotes.lock'), 'utf8')).pid).toBe(process.pid);
  await runtime.close();
  expect(fs.existsSync(path.join(dir, 'linernotes.lock'))).toBe(false);
});
