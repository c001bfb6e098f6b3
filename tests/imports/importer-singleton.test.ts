/**
 * One importer per process: a second copy of the importer's module (what Next's bundle of the
 * upload route is) finds the importer the first copy made for the runtime, so concurrency and
 * cancel hold for the process, not per copy.
 */
import { afterEach, expect, test, vi } from 'vitest';
import type { TestRuntime } from '../support/runtime';
import { importRuntime } from './support';

let runtime: TestRuntime | undefined;
afterEach(() => runtime?.dispose());

test('two copies of the importer module share the runtime\'s importer', async () => {
  runtime = await importRuntime({ fetch: false });
  const first = await import('~/server/imports/importer');
  vi.resetModules();
  const second = await import('~/server/imports/importer');
  // Control: the two imports really are two copies (two classes), as in a bundle.
  expect(second.Importer).not.toBe(first.Importer);
  expect(second.importerFor(runtime)).toBe(first.importerFor(runtime));
});
