import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file per core. vitest's default leaves one core free (one worker on a 2-core CI
    // machine), but most files spend their time waiting on servers, leases and timers, not CPU:
    // on 2 cores two workers took the suite from 693 s to 442 s, every test passing.
    maxWorkers: os.availableParallelism(),
    reporters: ['default'],
  },
});
