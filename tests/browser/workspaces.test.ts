/**
 * Sign-in and workspaces in real Chromium against the production build: the first account of a
 * new database watches its demo playlists enrich, invites a colleague by link (a second browser,
 * so a second set of cookies) who then sees the same workspace live, a third person gets a
 * workspace of their own that shows nothing of the first until they accept an invitation too,
 * lowering a role reaches the open page at once, switching workspace swaps the live data
 * without a reload, and an API key's secret is shown once.
 */
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fillSignUp, newPerson, signUp, waitForApp } from './support/accounts';
import { startApp, type AppProcess } from './support/app-process';
import { chromiumMissing, launchChromium } from './support/chromium';
import { documentId, seenValues, watchPages } from './support/page-watch';
import { ensureProductionBuild } from './support/production-build';
import { screenshot } from './support/screenshots';

const playlistUrl = (n: number) => `https://open.spotify.com/playlist/DemoPlaylist${String(n).padStart(10, '0')}`;

const FLOW_TIMEOUT = 300_000;
const PIPELINE_WAIT = 90_000;

describe.skipIf(chromiumMissing)('workspaces in Chromium', () => {
  let app: AppProcess | null = null;
  const browsers = new Map<string, { page: Page; close: () => Promise<void> }>();

  beforeAll(async () => {
    await ensureProductionBuild();
  }, 600_000);

  afterEach(async ({ task }) => {
    for (const [who, browser] of browsers) {
      if (task.result?.state === 'fail') await screenshot(browser.page, `failed-workspaces-${who}`).catch(() => {});
      await browser.close();
    }
    if (task.result?.state === 'fail') console.warn(app?.output().slice(-2000));
    browsers.clear();
    await app?.dispose();
    app = null;
  });

  /** A browser of its own (its own cookies) for one person. */
  async function openBrowser(who: string): Promise<Page> {
    const browser = await launchChromium({ viewport: { width: 1360, height: 900 } });
    await watchPages(browser.context);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    browsers.set(who, { page, close: browser.close });
    return page;
  }

  async function closeBrowser(who: string) {
    await browsers.get(who)?.close();
    browsers.delete(who);
  }

  async function addPlaylist(page: Page, url: string) {
    await page.getByLabel('Spotify playlist URL or id').fill(url);
    await page.getByRole('button', { name: 'Add playlist' }).click();
    await expect.poll(() => page.getByLabel('Spotify playlist URL or id').inputValue(), { timeout: 20_000 }).toBe('');
  }

  const playlistRows = (page: Page) => page.locator('[data-testid="playlist-row"]');
  const addedActivity = (page: Page) => page.locator('[data-testid="activity-row"][data-kind="playlist_added"]');

  test(
    'demo playlists enrich for the first account; an invited colleague shares the workspace live; a third person sees only their own',
    async () => {
      app = await startApp({ DEMO_SEED_PLAYLISTS: '2', DEMO_FAILURE_RATE: '0' });

      // 1. The first account of a new database gets the demo playlists, enriching at once.
      const ada = await openBrowser('ada');
      const adaPerson = newPerson('Ada Lovelace');
      await signUp(ada, app.url, adaPerson);
      const adaDocument = await documentId(ada);
      await expect.poll(() => ada.getByTestId('workspace-switcher').textContent(), { timeout: 20_000 }).toContain("Ada Lovelace's workspace");
      await expect.poll(() => ada.getByTestId('account-role').textContent(), { timeout: 20_000 }).toBe('owner');
      await ada.getByRole('link', { name: 'Playlists' }).click();
      await expect.poll(() => playlistRows(ada).count(), { timeout: 30_000 }).toBe(2);
      await screenshot(ada, 'workspaces-demo-playlists');
      // Newest first: the first row's job runs last (one worker), so its tracks change in front of us.
      await playlistRows(ada).first().getByRole('link').first().click();
      await ada.locator('[data-testid="track-row"]').first().waitFor({ timeout: PIPELINE_WAIT });
      await ada.locator('[data-testid="track-row"][data-status="completed"]').first().waitFor({ timeout: PIPELINE_WAIT });
      const seen = await seenValues(ada);
      expect(seen.trackStatuses).toContain('completed');
      expect(seen.trackStatuses.some((status) => status === 'pending' || status === 'enriching')).toBe(true);
      await screenshot(ada, 'workspaces-demo-enriching');

      // The first account runs this deployment: the ops page shows the server live (its own socket at least).
      await ada.getByRole('link', { name: 'Ops' }).click();
      await ada.getByRole('img', { name: 'Open connections over the last minute' }).waitFor({ timeout: 20_000 });
      await expect.poll(async () => /[1-9]\d* WebSocket/.test((await ada.locator('main').textContent()) ?? ''), { timeout: 20_000 }).toBe(true);
      await screenshot(ada, 'workspaces-ops');

      // 2. Ada invites Bob as a member; the link is there to copy at once.
      const bobPerson = newPerson('Bob Marley');
      await ada.getByRole('link', { name: 'Members' }).click();
      await ada.getByLabel('Email to invite').fill(bobPerson.email);
      await ada.getByLabel('Role for the invitation').selectOption('member');
      await ada.getByRole('button', { name: 'Create invitation link' }).click();
      const link = await ada.getByTestId('new-invitation-link').inputValue();
      expect(link).toMatch(new RegExp(`^${app.url}/invite/[^/]+$`));
      await ada.locator(`[data-testid="pending-invitation"][data-email="${bobPerson.email}"]`).waitFor();
      await screenshot(ada, 'workspaces-members-invited');

      // Bob, signed out in a browser of his own, signs up through the link and lands in Ada's workspace.
      const bob = await openBrowser('bob');
      await bob.goto(link);
      await bob.getByRole('heading', { name: 'Create your account and join' }).waitFor();
      await screenshot(bob, 'workspaces-invite-sign-up');
      await fillSignUp(bob, bobPerson);
      await waitForApp(bob);
      await expect.poll(() => bob.getByTestId('workspace-switcher').textContent(), { timeout: 20_000 }).toContain("Ada Lovelace's workspace");
      await expect.poll(() => bob.getByTestId('account-role').textContent(), { timeout: 20_000 }).toBe('member');
      expect(await bob.getByRole('link', { name: 'Ops' }).count()).toBe(0);
      // Ada's members page shows him without a reload (the membership change arrives as activity).
      await ada.locator(`[data-testid="member-row"][data-email="${bobPerson.email}"]`).waitFor({ timeout: 20_000 });
      expect(await ada.locator(`[data-testid="pending-invitation"][data-email="${bobPerson.email}"]`).count()).toBe(0);
      await screenshot(ada, 'workspaces-members-joined');

      // A member sees the members read-only: nothing to invite with, no role to change.
      await bob.getByRole('link', { name: 'Members' }).click();
      await bob.locator(`[data-testid="member-row"][data-email="${adaPerson.email}"]`).waitFor();
      expect(await bob.getByRole('button', { name: 'Create invitation link' }).count()).toBe(0);
      expect(await bob.getByTestId('member-role-select').count()).toBe(0);
      await bob.getByText('Only admins and owners can invite people').waitFor();
      expect(await bob.getByRole('link', { name: 'API keys' }).count()).toBe(0);
      await screenshot(bob, 'workspaces-members-as-member');

      // What Ada adds reaches Bob's open page live: the playlist and its activity row.
      await bob.getByRole('link', { name: 'Playlists' }).click();
      await expect.poll(() => playlistRows(bob).count(), { timeout: 20_000 }).toBe(2);
      await expect.poll(() => addedActivity(bob).count(), { timeout: 20_000 }).toBe(2);
      const bobDocument = await documentId(bob);
      await ada.getByRole('link', { name: 'Playlists' }).click();
      await addPlaylist(ada, playlistUrl(5));
      await expect.poll(() => playlistRows(bob).count(), { timeout: 30_000 }).toBe(3);
      await expect.poll(() => addedActivity(bob).count(), { timeout: 30_000 }).toBe(3);
      expect(await documentId(bob)).toBe(bobDocument);
      await screenshot(bob, 'workspaces-shared-live');

      // Ada lowers Bob to viewer: his open streams are refused, he is told, and his page carries on as a viewer.
      await ada.getByRole('link', { name: 'Members' }).click();
      await ada.getByLabel(`Role of ${bobPerson.name}`).selectOption('viewer');
      await bob.locator('[data-testid="toast"]', { hasText: 'Your access to this workspace changed' }).waitFor({ timeout: 20_000 });
      await expect.poll(() => bob.getByTestId('account-role').textContent(), { timeout: 20_000 }).toBe('viewer');
      await waitForApp(bob);
      await expect.poll(() => playlistRows(bob).count(), { timeout: 20_000 }).toBe(3);
      expect(await documentId(bob)).toBe(bobDocument);
      // As a viewer he reads and watches: the controls that change things are off, and say why.
      await expect.poll(() => bob.getByRole('button', { name: 'Add playlist' }).isDisabled(), { timeout: 20_000 }).toBe(true);
      expect(await bob.getByRole('button', { name: 'Add playlist' }).getAttribute('title')).toContain('ask an admin for the member role');
      await screenshot(bob, 'workspaces-role-lowered');

      // Bob signs out, mistypes his password (and is told so), then signs in again.
      await bob.getByRole('button', { name: 'Sign out' }).click();
      await bob.waitForURL((url) => url.pathname === '/sign-in');
      await bob.getByLabel('Email', { exact: true }).fill(bobPerson.email);
      await bob.getByLabel('Password', { exact: true }).fill('not the password');
      await bob.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => bob.getByTestId('auth-error').textContent(), { timeout: 20_000 }).toContain('Wrong email or password');
      await screenshot(bob, 'workspaces-sign-in-error');
      await bob.getByLabel('Password', { exact: true }).fill(bobPerson.password);
      await bob.getByRole('button', { name: 'Sign in' }).click();
      await waitForApp(bob);
      await expect.poll(() => bob.getByTestId('account-role').textContent(), { timeout: 20_000 }).toBe('viewer');
      await closeBrowser('bob');

      // 3. Carl signs up on his own: a workspace of his own, with none of Ada's playlists or activity.
      const carl = await openBrowser('carl');
      const carlPerson = newPerson('Carl Sagan');
      await signUp(carl, app.url, carlPerson);
      await expect.poll(() => carl.getByTestId('workspace-switcher').textContent(), { timeout: 20_000 }).toContain("Carl Sagan's workspace");
      await expect.poll(() => carl.getByTestId('account-role').textContent(), { timeout: 20_000 }).toBe('owner');
      await carl.getByRole('link', { name: 'Playlists' }).click();
      await carl.getByText('No playlists yet').waitFor({ timeout: 20_000 });
      await carl.locator('[data-testid="activity-row"]').first().waitFor({ timeout: 20_000 });
      await ada.getByRole('link', { name: 'Playlists' }).click();
      await addPlaylist(ada, playlistUrl(6));
      await expect.poll(() => playlistRows(ada).count(), { timeout: 30_000 }).toBe(4);
      await expect.poll(() => addedActivity(ada).count(), { timeout: 30_000 }).toBe(4);
      expect(await playlistRows(carl).count()).toBe(0);
      expect(await addedActivity(carl).count()).toBe(0);
      expect(await carl.getByTestId('activity-panel').textContent()).not.toContain('Ada Lovelace');
      await screenshot(carl, 'workspaces-own-workspace');

      // Invited later, Carl (signed in) accepts the link: he lands in Ada's workspace, live, without a reload.
      await ada.getByRole('link', { name: 'Members' }).click();
      await ada.getByLabel('Email to invite').fill(carlPerson.email);
      await ada.getByLabel('Role for the invitation').selectOption('viewer');
      await ada.getByRole('button', { name: 'Create invitation link' }).click();
      const carlLink = await ada.getByTestId('new-invitation-link').inputValue();
      await carl.goto(carlLink);
      await carl.getByTestId('invitation-summary').waitFor({ timeout: 20_000 });
      const carlDocument = await documentId(carl);
      await screenshot(carl, 'workspaces-invite-accept');
      await carl.getByRole('button', { name: "Join Ada Lovelace's workspace" }).click();
      await expect.poll(() => carl.getByTestId('workspace-switcher').textContent(), { timeout: 20_000 }).toContain("Ada Lovelace's workspace");
      await waitForApp(carl);
      await expect.poll(() => carl.getByTestId('account-role').textContent(), { timeout: 20_000 }).toBe('viewer');
      await carl.getByRole('link', { name: 'Playlists' }).click();
      await expect.poll(() => playlistRows(carl).count(), { timeout: 20_000 }).toBe(4);
      expect(await documentId(carl)).toBe(carlDocument);
      await closeBrowser('carl');

      // 4. Ada makes a second workspace and switches back: the live data follows, without a reload.
      await ada.getByTestId('workspace-switcher').click();
      await ada.getByLabel('New workspace name').fill('Side project');
      await ada.getByRole('button', { name: 'Create workspace' }).click();
      await expect.poll(() => ada.getByTestId('workspace-switcher').textContent(), { timeout: 20_000 }).toContain('Side project');
      // A new workspace opens on its dashboard (a click before that navigation would be overtaken by it).
      await ada.waitForURL((url) => url.pathname === '/', { timeout: 20_000 });
      await waitForApp(ada);
      await ada.getByRole('link', { name: 'Playlists' }).click();
      await ada.getByText('No playlists yet').waitFor({ timeout: 20_000 });
      await addPlaylist(ada, playlistUrl(7));
      await expect.poll(() => playlistRows(ada).count(), { timeout: 30_000 }).toBe(1);
      await screenshot(ada, 'workspaces-second-workspace');
      await ada.getByTestId('workspace-switcher').click();
      await ada.getByRole('button', { name: "Switch to Ada Lovelace's workspace" }).click();
      await expect.poll(() => ada.getByTestId('workspace-switcher').textContent(), { timeout: 20_000 }).toContain("Ada Lovelace's workspace");
      await expect.poll(() => playlistRows(ada).count(), { timeout: 30_000 }).toBe(4);
      await waitForApp(ada);
      expect(await documentId(ada)).toBe(adaDocument);
      await screenshot(ada, 'workspaces-switched-back');

      // 5. An API key: its secret shown once, then only its first characters; revoking removes it.
      await ada.getByRole('link', { name: 'API keys' }).click();
      await ada.getByLabel('Key name').fill('nightly import');
      await ada.getByLabel('Key role').selectOption('member');
      await ada.getByRole('button', { name: 'Create API key' }).click();
      const secret = await ada.getByTestId('new-api-key-value').inputValue();
      expect(secret).toMatch(/^ln_/);
      await ada.getByText('It will not be shown again').waitFor();
      const keyRow = ada.locator('[data-testid="api-key-row"]', { hasText: 'nightly import' });
      await keyRow.waitFor({ timeout: 20_000 });
      expect(await keyRow.textContent()).not.toContain(secret);
      await screenshot(ada, 'workspaces-api-key-created');
      await ada.getByRole('button', { name: 'I have copied it' }).click();
      expect(await ada.getByTestId('new-api-key').count()).toBe(0);
      ada.once('dialog', (dialog) => void dialog.accept());
      await keyRow.getByRole('button', { name: /^Revoke/ }).click();
      await expect.poll(() => keyRow.count(), { timeout: 20_000 }).toBe(0);
    },
    FLOW_TIMEOUT,
  );
});
