/**
 * Debian's Chromium driven by playwright-core: headless, no sandbox (containers), and nothing that
 * reaches past localhost (no component updates, sync, QUIC or background networking).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.LINERNOTES_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumMissing = !fs.existsSync(CHROMIUM_PATH);
if (chromiumMissing && !process.env.LINERNOTES_CHROMIUM_NOTICE_PRINTED) {
  process.env.LINERNOTES_CHROMIUM_NOTICE_PRINTED = '1';
  console.warn(`[tests] ${CHROMIUM_PATH} is missing: the browser tests are skipped. Install it with: apt-get install -y chromium`);
}

/** A fresh profile per call: nothing (storage, cache) carries over from one flow to the next. */
export async function launchChromium(opts: { viewport: { width: number; height: number } }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: opts.viewport,
    acceptDownloads: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
