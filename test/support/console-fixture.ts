// What the console's browser tests stand on: a real server process over a store holding a day of
// 10,000 events three days ago (sealed and signed as soon as the server starts), a browser, and a
// folder for the screenshots, each checked to show something.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { benchDay, populate, type BenchDay, type BenchOrg } from '../../bench/populate-day.ts';
import { dayFromEpochDay } from '../../src/core/day-window.ts';
import { launchBrowser, pixelSummary } from './browser.ts';
import { startServerProcess, type ServerProcess } from './processes.ts';
import { storeEnv, type StoreEnv } from './test-store.ts';

export const DAY_EVENTS = 10_000;
export const ADMIN = { email: 'admin@bigday.test', password: 'correct horse battery staple' };
/** Where the screenshots go, to be looked at after a run. */
export const SCREENSHOT_DIR = process.env['SECTRAIL_SCREENSHOT_DIR'] ?? join(process.cwd(), '.console-screenshots');

export interface ConsoleFixture {
  readonly server: ServerProcess;
  readonly browser: Browser;
  readonly env: Record<string, string>;
  readonly origin: string;
  readonly day: BenchDay;
  readonly date: string;
  readonly org: BenchOrg;
  close(): Promise<void>;
}


async function sealed(origin: string, token: string, day: BenchDay): Promise<boolean> {
  const response = await fetch(`${origin}/api/audit-log/security-trail/digest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ year: day.year, month: day.month, day: day.day }),
  });
  return response.status === 200;
}

/** `dayEvents`: how many events the sealed day three days ago holds. */
export async function openConsoleFixture(dayEvents = DAY_EVENTS): Promise<ConsoleFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-console-'));
  const store: StoreEnv = await storeEnv(dataDir);
  const day = benchDay();
  const data = await populate(dataDir, day, { big: dayEvents, small: 10, perTransaction: 1000 }, () => undefined, store.env['DATABASE_URL'] ?? null);
  const env = { ...store.env, SECTRAIL_SEAL_GRACE_SECONDS: '0', SECTRAIL_RATE_LIMIT_PER_MINUTE: '100000' };
  const server = await startServerProcess(env);
  const origin = `http://bigday.localhost:${String(server.port)}`;
  const api = `http://127.0.0.1:${String(server.port)}`;
  // The server seals every past day at start and every 15 s after.
  const deadline = Date.now() + 60_000;
  while (!(await sealed(api, data.big.token, day))) {
    assert.ok(Date.now() < deadline, 'the populated day is sealed within a minute');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const browser = await launchBrowser();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    server,
    browser,
    env,
    origin,
    day,
    date: dayFromEpochDay(day.epochDay).iso,
    org: data.big,
    close: async () => {
      await browser.close();
      await server.stop();
      await store.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of the page and checks it is not blank: many colours, and ink on a good share of it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ fullPage: false });
  writeFileSync(join(SCREENSHOT_DIR, `${name}.png`), png);
  const blank = await page.context().browser()?.newPage();
  assert.ok(blank !== undefined);
  try {
    const summary = await pixelSummary(blank, png);
    assert.ok(summary.colours >= 16, `${name}: ${String(summary.colours)} colours is nearly blank`);
    assert.ok(summary.inked >= 0.03, `${name}: only ${(summary.inked * 100).toFixed(1)}% of it differs from the background`);
  } finally {
    await blank.close();
  }
}

export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Page errors, errors logged to the console and Content-Security-Policy refusals seen so far: a test fails on any. */
  readonly problems: string[];
}

/** A 1280×800 browser context on the org's address (or another), its page watched for errors and CSP refusals. */
export async function watchedPage(fixture: ConsoleFixture, origin = fixture.origin): Promise<WatchedPage> {
  const context = await fixture.browser.newContext({ baseURL: origin, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Any error the page logs counts (a CSP refusal, an invalid input pattern…), except the
    // browser's note on an HTTP error answer, which the tests cause on purpose (a wrong password).
    const refusal = /Content Security Policy|Refused to/i.test(message.text());
    const error = message.type() === 'error' && !message.text().startsWith('Failed to load resource');
    if (refusal || error) problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Fills the sign-in form as the org's admin (with another password to fail on purpose). */
export async function signInAsAdmin(page: Page, password = ADMIN.password): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Opens a view from the navigation and waits for its heading: until then the view being left is
 * still on the page, and a field of the same name there would take what is typed for the new one.
 */
export async function openView(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}
