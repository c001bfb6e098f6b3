/**
 * The workbench in Chromium against the production build: the tracks explorer shared live by two
 * members (tags and batch actions), its filter in the URL, pages rendered on the server, no console
 * errors on any page, and a playlist's weekly history after a refresh. Flows in sequence, each on
 * a fresh app process and data directory with the demo catalog (whose cover art is data URLs, so
 * an offline demo loads no image from elsewhere and logs no error for one).
 */
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { inviteMember, newPerson, signUp, waitForApp } from './support/accounts';
import { startApp, type AppProcess } from './support/app-process';
import { chromiumMissing } from './support/chromium';
import { documentId, openWatchedBrowser, watchProblems, type WatchedBrowser } from './support/page-watch';
import { ensureProductionBuild } from './support/production-build';
import { screenshot } from './support/screenshots';

const FLOW_TIMEOUT = 300_000;
const PIPELINE_WAIT = 90_000;
const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const demoPlaylistUrl = (n: number) => `https://open.spotify.com/playlist/DemoPlaylist${String(n).padStart(10, '0')}`;

describe.skipIf(chromiumMissing)('workbench in Chromium', () => {
  let app: AppProcess | null = null;
  const browsers = new Map<string, WatchedBrowser>();

  beforeAll(async () => {
    await ensureProductionBuild();
  }, 900_000);

  afterEach(async ({ task }) => {
    for (const [who, browser] of browsers) {
      if (task.result?.state === 'fail') await screenshot(browser.page, `failed-workbench-${who}`).catch(() => {});
      await browser.close();
    }
    if (task.result?.state === 'fail') console.warn(app?.output().slice(-3000));
    browsers.clear();
    await app?.dispose();
    app = null;
  });

  async function openBrowser(who: string): Promise<WatchedBrowser> {
    const browser = await openWatchedBrowser();
    browsers.set(who, browser);
    return browser;
  }

  const rows = (page: Page) => page.locator('[data-testid="explorer-row"]');
  const row = (page: Page, trackId: string) => page.locator(`[data-testid="explorer-row"][data-track-id="${trackId}"]`);
  const loadedIds = (page: Page) => rows(page).evaluateAll((elements) => elements.map((element) => element.getAttribute('data-track-id') ?? ''));

  async function addPlaylist(page: Page, url: string) {
    await page.getByLabel('Spotify playlist URL or id').fill(url);
    await page.getByRole('button', { name: 'Add playlist' }).click();
    await expect.poll(() => page.getByLabel('Spotify playlist URL or id').inputValue(), { timeout: 20_000 }).toBe('');
  }

  /** The explorer of `page`, once the demo playlists' tracks are in (it fills live while they are fetched). */
  async function openExplorer(page: Page, atLeast: number) {
    await page.getByRole('link', { name: 'Tracks', exact: true }).click();
    await page.getByTestId('tracks-explorer').waitFor();
    await expect.poll(async () => Number((await page.getByTestId('explorer-count').textContent())?.replace(/\D/g, '') || 0), { timeout: PIPELINE_WAIT }).toBeGreaterThanOrEqual(atLeast);
    await expect.poll(() => rows(page).count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(atLeast);
  }

  test(
    'tags and batch actions by one member show live on another member’s explorer; the filter is in the URL and a reload shows the same rows',
    async () => {
      app = await startApp({ DEMO_SEED_PLAYLISTS: '2', DEMO_FAILURE_RATE: '0' });
      const ada = await openBrowser('ada');
      await signUp(ada.page, app.url, newPerson('Ada Lovelace'));
      const bob = await openBrowser('bob');
      await inviteMember(ada.page, bob.page, newPerson('Bob Marley'));

      await openExplorer(ada.page, 10);
      await openExplorer(bob.page, 10);
      const bobDocument = await documentId(bob.page);
      await screenshot(bob.page, 'workbench-explorer');

      // Ada makes a tag and puts it on three rows: a click, then a shift-click two rows further.
      const tagName = 'Clear to pitch';
      await ada.page.getByRole('button', { name: 'Manage tags' }).click();
      await ada.page.getByLabel('New tag name').fill(tagName);
      await ada.page.getByRole('radio', { name: 'emerald' }).first().check({ force: true });
      await ada.page.getByRole('button', { name: 'Create tag' }).click();
      await ada.page.getByTestId('tag-row').first().waitFor();
      await screenshot(ada.page, 'workbench-tags-manager');
      await ada.page.getByRole('button', { name: 'Close' }).click();
      const tagged = (await loadedIds(ada.page)).slice(0, 3);
      await row(ada.page, tagged[0]!).getByRole('checkbox').click();
      await row(ada.page, tagged[2]!).getByRole('checkbox').click({ modifiers: ['Shift'] });
      await expect.poll(() => ada.page.getByTestId('selected-count').textContent()).toBe('3 selected');
      await ada.page.getByLabel('Tag', { exact: true }).selectOption({ label: tagName });
      await ada.page.getByRole('button', { name: 'Add tag' }).click();

      // Bob sees the chip on exactly those rows, without a reload.
      for (const trackId of tagged) {
        await row(bob.page, trackId).locator('[data-testid="tag-chip"]', { hasText: tagName }).waitFor({ timeout: 20_000 });
      }
      expect(await bob.page.locator('[data-testid="explorer-row"] [data-testid="tag-chip"]', { hasText: tagName }).count()).toBe(3);
      expect(await documentId(bob.page)).toBe(bobDocument);
      await screenshot(bob.page, 'workbench-explorer-tagged-live');

      // Bob filters by the tag: the filter is in the URL, and a reload shows the same rows.
      await bob.page.locator('summary[aria-label^="Tags:"]').click();
      await bob.page.getByRole('checkbox', { name: tagName }).check();
      await bob.page.waitForURL((url) => url.searchParams.has('tagIds'), { timeout: 20_000 });
      await expect.poll(async () => (await loadedIds(bob.page)).sort(), { timeout: 20_000 }).toEqual([...tagged].sort());
      const filteredUrl = bob.page.url();
      await bob.page.reload();
      await waitForApp(bob.page);
      expect(bob.page.url()).toBe(filteredUrl);
      expect((await loadedIds(bob.page)).sort()).toEqual([...tagged].sort());
      expect(await bob.page.getByTestId('explorer-count').textContent()).toBe('3');
      // The rendered HTML of that URL already has them (the server read the filter from the URL).
      const html = await (await bob.page.request.get(filteredUrl)).text();
      for (const trackId of tagged) expect(html).toContain(`data-track-id="${trackId}"`);

      // Ada takes the tag off one of them: on Bob's filtered page the row stays, marked, not removed.
      await ada.page.getByRole('button', { name: 'Clear selection' }).click();
      await row(ada.page, tagged[1]!).getByRole('checkbox').click();
      await ada.page.getByRole('button', { name: 'Remove tag' }).click();
      await bob.page.locator(`[data-testid="explorer-row"][data-track-id="${tagged[1]}"][data-stale="true"]`).waitFor({ timeout: 20_000 });
      expect(await rows(bob.page).count()).toBe(3);
      await expect.poll(() => bob.page.getByTestId('explorer-count').textContent(), { timeout: 20_000 }).toBe('2');
      await screenshot(bob.page, 'workbench-explorer-no-longer-matches');

      // A batch re-enrich of Ada's selection is one job, on the board.
      await ada.page.getByRole('button', { name: 'Re-enrich' }).first().click();
      await ada.page.locator('[data-testid="toast"]', { hasText: 'Re-enriching 1 track' }).waitFor({ timeout: 20_000 });

      // Back goes to the unfiltered explorer, with the marks gone.
      await bob.page.goBack();
      await bob.page.waitForURL((url) => !url.searchParams.has('tagIds'), { timeout: 20_000 });
      await expect.poll(() => rows(bob.page).count(), { timeout: 20_000 }).toBeGreaterThan(3);
      expect(await bob.page.locator('[data-testid="explorer-row"][data-stale="true"]').count()).toBe(0);

      // The track's panel: a name opens it; a note Ada adds arrives in Bob's panel live.
      await row(bob.page, tagged[0]!).getByTestId('track-name').click();
      await bob.page.getByTestId('track-detail').waitFor();
      await row(ada.page, tagged[0]!).getByTestId('track-name').click();
      await ada.page.getByLabel('Add a note').fill('Label says yes: clear to pitch.');
      await ada.page.getByRole('button', { name: 'Add note' }).click();
      await bob.page.locator('[data-testid="track-panel"] [data-testid="history-item"][data-kind="note"]', { hasText: 'Label says yes' }).waitFor({ timeout: 20_000 });
      await screenshot(bob.page, 'workbench-track-panel');
      await bob.page.keyboard.press('Escape');
      expect(await bob.page.getByTestId('track-panel').count()).toBe(0);
    },
    FLOW_TIMEOUT,
  );

  test(
    'pages are rendered on the server, and no page logs a console error',
    async () => {
      app = await startApp({ DEMO_SEED_PLAYLISTS: '2', DEMO_FAILURE_RATE: '0' });
      const ada = await openBrowser('ada');
      await signUp(ada.page, app.url, newPerson('Ada Lovelace'));
      await ada.page.getByRole('link', { name: 'Playlists' }).click();
      const nameLinks = ada.page.locator('[data-testid="playlist-row"] td:first-child a');
      // Until its first fetch a playlist shows its Spotify id; wait for the names.
      await expect
        .poll(async () => (await nameLinks.allTextContents()).filter((name) => name && !name.startsWith('DemoPlaylist')).length, { timeout: PIPELINE_WAIT })
        .toBe(2);
      const names = await nameLinks.allTextContents();

      // The HTML of /playlists, fetched with the session cookie and no script run, has the names.
      const cookie = (await ada.context.cookies(app.url)).map(({ name, value }) => `${name}=${value}`).join('; ');
      const response = await fetch(`${app.url}/playlists`, { headers: { cookie }, redirect: 'manual' });
      expect(response.status).toBe(200);
      const html = await response.text();
      for (const name of names) expect(html).toContain(`>${escapeHtml(name)}</a>`);
      expect(html.match(/data-testid="playlist-row"/g)?.length).toBe(2);
      // So does the dashboard its numbers; without a session a page asks to sign in first.
      await expect.poll(async () => (await (await fetch(`${app!.url}/`, { headers: { cookie } })).text()).includes('data-testid="analytics-playlists"'), { timeout: 20_000 }).toBe(true);
      expect((await fetch(`${app.url}/playlists`, { redirect: 'manual' })).status).toBe(302);

      // Wait for the first tracks, then visit every page in a fresh tab and listen. The tabs load
      // side by side, each listened to from its first request until a second after the network
      // went quiet, as one tab after another would be.
      const playlistPath = await ada.page.locator('[data-testid="playlist-row"] a').first().getAttribute('href');
      await ada.page.goto(`${app.url}${playlistPath}`);
      await ada.page.locator('[data-testid="track-row"][data-status="completed"]').first().waitFor({ timeout: PIPELINE_WAIT });
      const trackId = await ada.page.locator('[data-testid="track-row"]').first().getAttribute('data-track-id');
      const paths = ['/', '/playlists', playlistPath!, '/tracks', `/tracks/${trackId}`];
      const checker = await openBrowser('checker');
      await checker.context.addCookies(await ada.context.cookies(app.url));
      const visits = await Promise.all(
        paths.map(async (path, index) => {
          const page = index === 0 ? checker.page : await checker.context.newPage();
          const problems = index === 0 ? checker.problems : watchProblems(page);
          await page.goto(`${app!.url}${path}`);
          await waitForApp(page);
          await page.waitForLoadState('networkidle').catch(() => {});
          await page.waitForTimeout(1_000);
          await screenshot(page, `workbench-page${path.replace(/\W+/g, '-')}`);
          return { path, page, problems: [...problems] };
        }),
      );
      for (const { path, problems } of visits) expect(problems, `problems on ${path}`).toEqual([]);
      // The favicon is the app's own (no 404 for /favicon.ico either).
      expect((await fetch(`${app.url}/icon.svg`)).status).toBe(200);
      for (const { page } of visits) expect(await page.locator('link[rel="icon"]').count()).toBeGreaterThan(0);
    },
    FLOW_TIMEOUT,
  );

  test(
    'a refresh records the week’s added and dropped tracks, shown on the playlist page live and after a reload',
    async () => {
      // The demo catalog changes each playlist's tracks every second, so a refresh a little later finds changes.
      app = await startApp({ DEMO_SEED_PLAYLISTS: '0', DEMO_FAILURE_RATE: '0', DEMO_CHURN_MS: '1000' });
      const ada = await openBrowser('ada');
      await signUp(ada.page, app.url, newPerson('Ada Lovelace'));
      await ada.page.getByRole('link', { name: 'Playlists' }).click();
      await addPlaylist(ada.page, demoPlaylistUrl(7));
      await ada.page.locator('[data-testid="playlist-row"]').first().getByRole('link').first().click();
      const history = ada.page.getByTestId('playlist-history');
      // The first fetch is the baseline: its tracks are on the page, no change is recorded yet.
      await ada.page.locator('[data-testid="track-row"]').first().waitFor({ timeout: PIPELINE_WAIT });
      await history.getByText('No changes recorded yet').waitFor();
      expect(await history.locator('[data-testid="history-added"], [data-testid="history-dropped"]').count()).toBe(0);
      const before = await documentId(ada.page);

      // The baseline was fetched before its tracks showed: more than a period has passed once this wait is over.
      await ada.page.waitForTimeout(1_200);
      await ada.page.getByRole('button', { name: /^Refresh / }).click();
      await history.locator('[data-testid="history-dropped"]').first().waitFor({ timeout: PIPELINE_WAIT });
      const dropped = await history.locator('[data-testid="history-dropped"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-track-id')));
      expect(dropped.length).toBeGreaterThan(0);
      expect(await documentId(ada.page)).toBe(before);
      // The dropped tracks left the tracks grid too.
      await expect.poll(() => ada.page.locator(`[data-testid="track-row"][data-track-id="${dropped[0]}"]`).count(), { timeout: 20_000 }).toBe(0);
      await history.scrollIntoViewIfNeeded();
      await screenshot(ada.page, 'workbench-playlist-history');

      await ada.page.reload();
      await waitForApp(ada.page);
      const week = ada.page.locator('[data-testid="history-week"]').first();
      expect(await week.getAttribute('data-week')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // This week: the refresh's additions and drops (the demo catalog swaps as many in as it drops).
      const countOf = async (kind: 'added' | 'dropped') => Number(await week.getByTestId(`history-${kind}-list`).getAttribute('data-count'));
      expect(await countOf('dropped')).toBe(dropped.length);
      expect(await countOf('added')).toBe(dropped.length);
      expect(await week.locator('[data-testid="history-dropped"]').first().getAttribute('data-track-id')).toBe(dropped[0]);
    },
    FLOW_TIMEOUT,
  );
});
