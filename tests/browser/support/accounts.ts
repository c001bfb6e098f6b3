/**
 * Accounts as a person makes them: through the sign-up form (the first page of a fresh app),
 * or through an invitation link. Each call makes a new, unique person.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface Person {
  name: string;
  email: string;
  password: string;
}

let made = 0;

export function newPerson(name: string): Person {
  made++;
  const handle = `${name.toLowerCase().replace(/\W+/g, '.')}.${made}.${Date.now().toString(36)}`;
  return { name, email: `${handle}@example.com`, password: `correct horse ${handle}` };
}

/** Fills and sends the sign-up form on the page that shows it (/sign-up, or an invitation link). */
export async function fillSignUp(page: Page, person: Person): Promise<void> {
  await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: /^Create account/ }).click();
}

/** Signs up on `baseUrl` and waits for the app to show the dashboard, live. */
export async function signUp(page: Page, baseUrl: string, person: Person): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  await fillSignUp(page, person);
  await waitForApp(page);
}

/** The signed-in app is on screen with its live connection up. */
export async function waitForApp(page: Page, timeout = 30_000): Promise<void> {
  await page.locator('[data-testid="connection-indicator"][data-state="live"]').waitFor({ timeout });
}

/** Invites `person` as a member from `admin`'s members page, and signs them up through the link in `their` browser. */
export async function inviteMember(admin: Page, their: Page, person: Person): Promise<void> {
  await admin.getByRole('link', { name: 'Members' }).click();
  await admin.getByLabel('Email to invite').fill(person.email);
  await admin.getByLabel('Role for the invitation').selectOption('member');
  await admin.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await admin.getByTestId('new-invitation-link').inputValue();
  await their.goto(link);
  await their.getByRole('heading', { name: 'Create your account and join' }).waitFor();
  await fillSignUp(their, person);
  await waitForApp(their);
  await expect.poll(() => their.getByTestId('account-role').textContent(), { timeout: 20_000 }).toBe('member');
}
