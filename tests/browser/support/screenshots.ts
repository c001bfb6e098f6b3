/** Full-page screenshots under test-results/screenshots/, named for the page and the moment. */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const screenshotDir = path.resolve(import.meta.dirname, '../../../test-results/screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
