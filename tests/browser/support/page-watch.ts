/**
 * What the page showed over time, recorded inside the page: every value a watched attribute took
 * (a job card's phase and status, a track row's status) and whether the document was ever
 * reloaded. A test then asserts on the history, not on one lucky moment.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';

export interface SeenValues {
  jobStatuses: string[];
  jobPhases: string[];
  trackStatuses: string[];
  importProcessed: string[];
  indicatorStates: string[];
}

declare global {
  interface Window {
    __seen?: Record<string, string[]>;
    __documentId?: string;
  }
}

/** Installs the recorder in every page the context opens (before the app's own scripts run). */
export async function watchPages(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: Record<string, string[]> = { jobStatuses: [], jobPhases: [], trackStatuses: [], importProcessed: [], indicatorStates: [] };
    window.__seen = seen;
    window.__documentId = Math.random().toString(36).slice(2);
    const note = (list: string, value: string | null | undefined) => {
      if (value && seen[list]!.at(-1) !== value && !seen[list]!.includes(value)) seen[list]!.push(value);
    };
    const record = (element: Element) => {
      const testId = element.getAttribute('data-testid');
      if (testId === 'job-card') {
        note('jobStatuses', element.getAttribute('data-status'));
        note('jobPhases', element.getAttribute('data-phase'));
      } else if (testId === 'track-row') note('trackStatuses', element.getAttribute('data-status'));
      else if (testId === 'import-processed') note('importProcessed', element.textContent);
      else if (testId === 'connection-indicator') note('indicatorStates', element.getAttribute('data-state'));
    };
    const observer = new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === 'attributes' || mutation.type === 'characterData') {
          const target = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement;
          if (target) record(target);
        }
        for (const node of mutation.addedNodes) {
          if (!(node instanceof Element)) continue;
          record(node);
          node.querySelectorAll('[data-testid]').forEach(record);
        }
      }
    });
    document.addEventListener('DOMContentLoaded', () => {
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true, attributeFilter: ['data-status', 'data-phase', 'data-state'] });
    });
  });
}

export async function seenValues(page: Page): Promise<SeenValues> {
  return (await page.evaluate(() => window.__seen)) as unknown as SeenValues;
}

/** Changes only if the page reloads (the recorder gives every document a new id). */
export async function documentId(page: Page): Promise<string> {
  return (await page.evaluate(() => window.__documentId)) ?? '';
}

/** Console errors and warnings, uncaught exceptions and failed responses of `page`, each with the page it was on, as they happen. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()} on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()} on ${page.url()}`);
  });
  return problems;
}

export interface WatchedBrowser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
  /** The first page's problems (watchProblems). */
  problems: string[];
}

/** One person's Chromium at desktop size, its pages recorded (watchPages) and its first page's problems collected. */
export async function openWatchedBrowser(): Promise<WatchedBrowser> {
  const launched = await launchChromium({ viewport: { width: 1440, height: 960 } });
  await watchPages(launched.context);
  const page = launched.context.pages()[0] ?? (await launched.context.newPage());
  return { context: launched.context, page, close: launched.close, problems: watchProblems(page) };
}
