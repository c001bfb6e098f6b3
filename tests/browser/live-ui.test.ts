/**
 * The web UI in real Chromium against the production build, each flow on a fresh app process and
 * data directory with the demo catalog, starting as a newcomer does: by creating an account.
 * One file, flows in sequence: each starts its own server and browser page, and two of them at
 * once would crowd a small machine.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fillSignUp, newPerson, signUp, waitForApp } from './support/accounts';
import { startApp, type AppProcess } from './support/app-process';
import { chromiumMissing, launchChromium } from './support/chromium';
import { documentId, seenValues, watchPages } from './support/page-watch';
import { ensureProductionBuild } from './support/production-build';
import { screenshot } from './support/screenshots';

const demoPlaylist = (n: number) => `DemoPlaylist${String(n).padStart(10, '0')}`;
const playlistUrl = (n: number) => `https://open.spotify.com/playlist/${demoPlaylist(n)}`;

const FLOW_TIMEOUT = 150_000;
const PIPELINE_WAIT = 90_000;

describe.skipIf(chromiumMissing)('web UI in Chromium', () => {
  let app: AppProcess | null = null;
  let closeBrowser: (() => Promise<void>) | null = null;
  let currentPage: Page | null = null;

  beforeAll(async () => {
    await ensureProductionBuild();
  }, 600_000);

  afterEach(async ({ task }) => {
    // A failed flow leaves a picture of where it stopped.
    if (task.result?.state === 'fail' && currentPage) {
      await screenshot(currentPage, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
      console.warn(app?.output().slice(-2000));
    }
    currentPage = null;
    await closeBrowser?.();
    closeBrowser = null;
    await app?.dispose();
    app = null;
  });

  async function openApp(path: string, opts: { env?: Record<string, string>; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const viewport = opts.viewport ?? { width: 1360, height: 900 };
    app = await startApp(opts.env);
    const browser = await launchChromium({ viewport });
    closeBrowser = browser.close;
    await watchPages(browser.context);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    currentPage = page;
    // A fresh app has no account: every page leads to "create your account" first.
    await signUp(page, app.url, newPerson('Ada Lovelace'));
    await page.goto(`${app.url}${path}`);
    await waitForApp(page);
    return page;
  }

  async function addPlaylist(page: Page, url: string) {
    await page.getByLabel('Spotify playlist URL or id').fill(url);
    await page.getByRole('button', { name: 'Add playlist' }).click();
    await expect.poll(() => page.getByLabel('Spotify playlist URL or id').inputValue(), { timeout: 20_000 }).toBe('');
  }

  /** Batches of 4 tracks, not 10: each phase of a demo playlist's 20-60 tracks is 5-15 batches, long enough to be seen. */
  const corePipelineEnv = { ENRICH_BATCH_SIZE: '4' };

  /** Adds a playlist, opens it, and follows its job and tracks to the end without a reload. */
  async function corePipelineFlow(page: Page, label: string) {
    const before = await documentId(page);
    await page.getByRole('link', { name: 'Playlists' }).click();
    await addPlaylist(page, playlistUrl(1));
    const row = page.locator('[data-testid="playlist-row"]').first();
    await row.waitFor();
    await screenshot(page, `${label}-playlists`);

    await row.getByRole('link').first().click();
    await page.locator('[data-testid="track-row"]').first().waitFor({ timeout: PIPELINE_WAIT });
    const job = page.locator('[data-testid="job-card"]').first();
    await job.locator('[data-testid="phase-1"]').waitFor();
    await screenshot(page, `${label}-playlist-detail-running`);
    await page.locator('[data-testid="job-card"][data-status="completed"]').waitFor({ timeout: PIPELINE_WAIT });
    // Every track ends completed or failed; none is left pending or enriching on screen.
    await expect
      .poll(() => page.locator('[data-testid="track-row"][data-status="pending"], [data-testid="track-row"][data-status="enriching"]').count(), { timeout: 20_000 })
      .toBe(0);
    await screenshot(page, `${label}-playlist-detail-done`);

    const seen = await seenValues(page);
    // The job went through its phases in front of us, and the track badges changed live.
    expect(seen.jobStatuses).toContain('running');
    expect(seen.jobStatuses).toContain('completed');
    // The first phases can be over before the detail page's stream attaches (a CI run saw only
    // two of the four over SSE): the page sees the job's phase change at least once, and rights (4).
    expect(new Set(seen.jobPhases).size).toBeGreaterThanOrEqual(2);
    expect(seen.jobPhases).toContain('4');
    expect(seen.trackStatuses).toContain('enriching');
    expect(seen.trackStatuses).toContain('completed');
    expect(await documentId(page)).toBe(before);
    // Enriched fields arrived through track_enriched: completed rows have an ISRC.
    const isrc = await page.locator('[data-testid="track-row"][data-status="completed"] [data-testid="track-isrc"]').first().textContent();
    expect(isrc).toMatch(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/);
    // The header's enriched share is live (metric_update).
    await expect.poll(() => page.getByTestId('detail-enriched').textContent(), { timeout: 20_000 }).not.toBe('—');
  }

  test(
    'add a playlist: its job goes through the phases and its tracks change status without a reload (WebSocket)',
    async () => {
      const page = await openApp('/', { env: corePipelineEnv });
      expect(await page.getByTestId('connection-indicator').textContent()).toContain('WS');
      await screenshot(page, 'ws-dashboard-empty');
      await corePipelineFlow(page, 'ws');

      // The grid filters by status and sorts by a column.
      const rows = page.locator('[data-testid="track-row"]');
      await page.getByLabel('Filter by status').selectOption('completed');
      const shownStatuses = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-status')));
      expect(shownStatuses.length).toBeGreaterThan(0);
      expect(new Set(shownStatuses)).toEqual(new Set(['completed']));
      await page.getByLabel('Filter by status').selectOption('all');
      await page.getByRole('button', { name: 'Track', exact: true }).click();
      expect(await page.getByRole('columnheader', { name: 'Track' }).getAttribute('aria-sort')).toBe('ascending');
      const names = await rows.evaluateAll((elements) => elements.map((element) => element.querySelector('[role="cell"]:nth-child(2) p')?.textContent ?? ''));
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

      // Re-enrich one track: a second job for the playlist appears and runs to the end; the row ends settled.
      const target = rows.first();
      const trackId = await target.getAttribute('data-track-id');
      await target.getByRole('button', { name: /^Re-enrich/ }).click();
      await expect.poll(() => page.locator('[data-testid="job-card"]').count(), { timeout: 20_000 }).toBe(2);
      await expect.poll(() => page.locator('[data-testid="job-card"][data-status="completed"]').count(), { timeout: PIPELINE_WAIT }).toBe(2);
      expect(['completed', 'failed']).toContain(await page.locator(`[data-testid="track-row"][data-track-id="${trackId}"]`).getAttribute('data-status'));

      await page.getByRole('link', { name: 'Jobs' }).click();
      await page.locator('[data-testid="jobs-completed"] [data-testid="job-card"]').first().waitFor();
      await screenshot(page, 'ws-jobs');

      await page.getByRole('link', { name: 'Dashboard' }).click();
      // analytics_updated fills the dashboard once the refresher has counted the new tracks.
      await expect.poll(async () => Number((await page.getByTestId('analytics-tracks').textContent({ timeout: 20_000 }))?.replace(/\D/g, '')), { timeout: 30_000 }).toBeGreaterThan(0);
      await screenshot(page, 'ws-dashboard');

      // The same pages on a phone-sized screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'narrow-dashboard');
      await page.getByRole('link', { name: 'Playlists' }).click();
      await page.locator('[data-testid="playlist-row"]').first().waitFor();
      await screenshot(page, 'narrow-playlists');
      await page.locator('[data-testid="playlist-row"]').first().getByRole('link').first().click();
      await page.locator('[data-testid="track-row"]').first().waitFor();
      await screenshot(page, 'narrow-playlist-detail');
      await page.getByRole('link', { name: 'Import' }).click();
      await page.getByTestId('import-dropzone').waitFor();
      await screenshot(page, 'narrow-import');
    },
    FLOW_TIMEOUT,
  );

  test(
    'cancel a job from the job board',
    async () => {
      const page = await openApp('/playlists', { env: { DEMO_FAILURE_RATE: '0' } });
      // A playlist that does not exist: the error is shown by the form and as a toast (playlist_error).
      await page.getByLabel('Spotify playlist URL or id').fill('https://open.spotify.com/playlist/DemoMissing00000000001');
      await page.getByRole('button', { name: 'Add playlist' }).click();
      await page.getByTestId('add-playlist-error').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('add-playlist-error').textContent()).toContain('DemoMissing00000000001');
      await page.locator('[data-testid="toast"][data-tone="error"]').first().waitFor({ timeout: 20_000 });
      await screenshot(page, 'playlists-add-error');
      // One worker: the later jobs wait in the queue behind the first.
      for (const n of [11, 12, 13]) await addPlaylist(page, playlistUrl(n));
      await page.getByRole('link', { name: 'Jobs' }).click();
      // The board lists the newest first: the first queued card is the job that would run last.
      const queued = page.locator('[data-testid="jobs-queued"] [data-testid="job-card"]').first();
      await queued.waitFor({ timeout: 30_000 });
      const jobId = await queued.getAttribute('data-job-id');
      const card = page.locator(`[data-testid="job-card"][data-job-id="${jobId}"]`);
      await card.getByRole('button', { name: /^Cancel job for/ }).click();
      await page.locator(`[data-testid="job-card"][data-job-id="${jobId}"][data-status="cancelled"]`).waitFor({ timeout: 30_000 });
      // A cancelled job offers Retry instead of Cancel.
      expect(await card.getByRole('button', { name: /^Retry job for/ }).count()).toBe(1);
      expect(await card.getByRole('button', { name: /^Cancel job for/ }).count()).toBe(0);
      await screenshot(page, 'jobs-with-cancelled');
    },
    FLOW_TIMEOUT,
  );

  test(
    'import a CSV with good and bad rows: progress, summary, error table and download',
    async () => {
      // No simulated outages: every good row must become a playlist.
      const page = await openApp('/imports', { env: { DEMO_FAILURE_RATE: '0' } });
      await screenshot(page, 'import-empty');
      const csv = [
        'url,name,tags',
        `${playlistUrl(21)},Good one,indie`,
        `spotify:playlist:${demoPlaylist(22)},Good two,`,
        `${demoPlaylist(23)},Good three,`,
        'not a playlist at all,Bad one,',
        `${playlistUrl(21)},Duplicate of the first,`,
        'https://example.com/whatever,Bad two,',
        `${playlistUrl(24)},Good four,pop`,
      ].join('\n');
      await page.getByTestId('import-file').setInputFiles({ name: 'sample.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const card = page.locator('[data-testid="import-card"]').first();
      await card.waitFor();
      await page.locator('[data-testid="import-card"][data-status="completed"]').waitFor({ timeout: 60_000 });
      expect(await card.getByTestId('import-count-created').textContent()).toBe('4');
      expect(await card.getByTestId('import-count-duplicates').textContent()).toBe('1');
      expect(await card.getByTestId('import-count-failed').textContent()).toBe('2');
      expect(await card.getByTestId('import-summary').textContent()).toContain('4 playlists added');
      // The file's name comes from the import row, fetched when its first event arrived.
      await expect.poll(() => card.locator('h3').first().textContent(), { timeout: 10_000 }).toBe('sample.csv');
      const seen = await seenValues(page);
      // Progress arrived live: the counter moved through values before the final one.
      expect(seen.importProcessed.length).toBeGreaterThan(1);
      expect(seen.importProcessed.at(-1)).toContain('7 of 7');

      const errorRows = card.getByTestId('import-error-row');
      await expect.poll(() => errorRows.count(), { timeout: 10_000 }).toBe(2);
      expect(await errorRows.first().textContent()).toContain('not a playlist at all');
      await screenshot(page, 'import-finished');

      const [download] = await Promise.all([page.waitForEvent('download'), card.getByTestId('import-errors-download').click()]);
      const body = fs.readFileSync((await download.path())!, 'utf8');
      expect(body).toContain('not a playlist at all');
      expect(body).toContain('https://example.com/whatever');
      expect(body.trim().split('\n').length).toBeGreaterThanOrEqual(3);

      // The imported playlists are on the playlists page.
      await page.getByRole('link', { name: 'Playlists' }).click();
      await expect.poll(() => page.locator('[data-testid="playlist-row"]').count(), { timeout: 20_000 }).toBe(4);
    },
    FLOW_TIMEOUT,
  );

  test(
    'a server restart: the indicator goes to reconnecting and back, the activity panel continues without duplicates',
    async () => {
      const page = await openApp('/playlists', { env: { DEMO_FAILURE_RATE: '0' } });
      const before = await documentId(page);
      await addPlaylist(page, playlistUrl(31));
      const rows = page.locator('[data-testid="activity-row"]');
      await rows.first().waitFor({ timeout: 30_000 });
      const firstIds = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-activity-id')));

      await app!.stop();
      await page.locator('[data-testid="connection-indicator"][data-state="reconnecting"]').waitFor({ timeout: 20_000 });
      await screenshot(page, 'restart-reconnecting');
      await app!.restart();
      await page.locator('[data-testid="connection-indicator"][data-state="live"]').waitFor({ timeout: 60_000 });

      // Something new happens after the restart: it must show up once, beside the rows from before.
      await addPlaylist(page, playlistUrl(32));
      await expect.poll(() => page.locator('[data-testid="activity-row"][data-kind="playlist_added"]').count(), { timeout: 30_000 }).toBe(2);
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(firstIds.length);
      const afterIds = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-activity-id')));
      expect(new Set(afterIds).size).toBe(afterIds.length);
      for (const id of firstIds) expect(afterIds).toContain(id);
      expect((await seenValues(page)).indicatorStates).toEqual(expect.arrayContaining(['live', 'reconnecting']));
      expect(await documentId(page)).toBe(before);
      await screenshot(page, 'restart-back-live');
    },
    FLOW_TIMEOUT,
  );

  test(
    'a wiped database behind a live page: the lost session leads to sign-in, and the new account sees only the new state',
    async () => {
      const page = await openApp('/playlists', { env: { DEMO_FAILURE_RATE: '0' } });
      await addPlaylist(page, playlistUrl(41));
      await page.locator('[data-testid="playlist-row"]').first().waitFor();
      await page.locator('[data-testid="activity-row"]').first().waitFor({ timeout: 30_000 });

      // Same port, new database: the session the page was opened with is gone with it, so the
      // page goes to sign-in (without a reload) and, signed up again, shows the new state.
      const before = await documentId(page);
      await app!.stop();
      await app!.restart({ wipe: true });
      await page.waitForURL((url) => url.pathname === '/sign-in', { timeout: 60_000 });
      expect(new URL(page.url()).searchParams.get('next')).toBe('/playlists');
      await screenshot(page, 'wiped-sign-in');
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.waitForURL((url) => url.pathname === '/sign-up');
      await fillSignUp(page, newPerson('Grace Hopper'));
      await page.waitForURL((url) => url.pathname === '/playlists', { timeout: 30_000 });
      await waitForApp(page);
      await page.getByText('No playlists yet').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="activity-row"]').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid="activity-row"][data-kind="playlist_added"]').count()).toBe(0);

      // And it is live on the new stream: a new playlist shows up with its activity.
      await addPlaylist(page, playlistUrl(42));
      await expect.poll(() => page.locator('[data-testid="playlist-row"]').count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => page.locator('[data-testid="activity-row"][data-kind="playlist_added"]').count(), { timeout: 30_000 }).toBe(1);
      expect(await documentId(page)).toBe(before);
    },
    FLOW_TIMEOUT,
  );

  test(
    'the same core flow over server-sent events (?transport=sse)',
    async () => {
      const page = await openApp('/?transport=sse', { env: corePipelineEnv });
      expect(await page.getByTestId('connection-indicator').textContent()).toContain('SSE');
      await corePipelineFlow(page, 'sse');

      // Over SSE the indicator follows the event streams: reconnecting while the server is down, then live.
      await app!.stop();
      await page.locator('[data-testid="connection-indicator"][data-state="reconnecting"]').waitFor({ timeout: 30_000 });
      await app!.restart();
      await page.locator('[data-testid="connection-indicator"][data-state="live"]').waitFor({ timeout: 60_000 });
    },
    FLOW_TIMEOUT,
  );
});
