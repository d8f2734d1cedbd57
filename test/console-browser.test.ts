/// <reference lib="dom" />
// The console in a real browser (Debian's chromium through playwright-core), as a new admin uses
// it: signing in, a token made, seen once, used and revoked, a member invited who joins from the
// link, roles and privileges changed, the log opened, filtered, a change's before and after opened,
// a sealed day of 10,000 events verified in the page (and a tampered one refused), downloads, the
// empty and error states, the keyboard, a narrow window. Screenshots are checked not to be blank.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { runCli } from './support/processes.ts';
import { dayFromEpochDay } from '../src/core/day-window.ts';
import { dayBody } from '../web/src/day-body.ts';
import { DAY_EVENTS, openConsoleFixture, screenshot, signInAsAdmin, watchedPage, type ConsoleFixture } from './support/console-fixture.ts';

let fixture: ConsoleFixture;
let context: BrowserContext;
let page: Page;
let problems: string[];

before(async () => {
  fixture = await openConsoleFixture();
  ({ context, page, problems } = await watchedPage(fixture));
});

after(async () => {
  await fixture.close();
});

const today = () => new Date().toISOString().slice(0, 10);

async function api(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${String(fixture.server.port)}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}


test('a new admin signs in with a password, after one wrong try', async () => {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in to bigday' }).waitFor();
  await screenshot(page, '01-sign-in');
  await signInAsAdmin(page, 'not the password');
  await page.getByRole('alert').filter({ hasText: 'The email or the password is wrong.' }).waitFor();
  await signInAsAdmin(page);
  await page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
  await page.getByText('Security log: enabled').waitFor();
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0, 'nothing kept in web storage');
  assert.doesNotMatch(await page.evaluate(() => document.cookie), /sectrail_session/, 'the session cookie is out of reach of scripts');
});

test("on an address naming no org, asks for the org's short name, checks it, and signs in to it", async () => {
  const unnamed = await watchedPage(fixture, `http://127.0.0.1:${String(fixture.server.port)}`);
  try {
    await unnamed.page.goto('/');
    const org = unnamed.page.getByLabel('Organization');
    await org.fill('Not A Slug');
    assert.equal(await org.evaluate((input: HTMLInputElement) => input.checkValidity()), false, 'a malformed short name is refused in the page');
    await org.fill('bigday');
    assert.equal(await org.evaluate((input: HTMLInputElement) => input.checkValidity()), true);
    await signInAsAdmin(unnamed.page);
    await unnamed.page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
    await unnamed.page.getByText('admin (admin)').waitFor();
    assert.deepEqual(unnamed.problems, []);
  } finally {
    await unnamed.context.close();
  }
});

test('creates a token, sees its secret once, uses it with the API, and revokes it', async () => {
  await page.goto('/#/tokens');
  await page.getByLabel('Name', { exact: true }).fill('siem-from-console');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secretBox = page.getByRole('textbox', { name: 'Token “siem-from-console”' });
  await secretBox.waitFor();
  const secret = await secretBox.inputValue();
  assert.match(secret, /^sct_[A-Za-z0-9_-]{43}$/);
  await page.getByText('it is shown only once').waitFor();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixture.origin });
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByText('Copied.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret, 'Copy puts the secret on the clipboard');
  await screenshot(page, '02-token-created');

  const read = await api('POST', '/api/audit-log/security-trail/', secret, dayBody(today()));
  assert.equal(read.status, 200, 'the new token reads the log');

  await page.getByRole('button', { name: 'Done: hide it' }).click();
  assert.ok(!(await page.content()).includes(secret), 'once hidden, the secret is gone from the page');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'name', 'focus goes back to the form');
  await page.reload();
  const row = page.getByRole('row').filter({ hasText: 'siem-from-console' });
  await row.waitFor();
  assert.ok(!(await page.content()).includes(secret), 'the secret is not shown again');
  const lastUsed = await row.locator('td').nth(5).innerText();
  assert.match(lastUsed, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/, `its last use is listed: ${lastUsed}`);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Revoke siem-from-console' }).click();
  await row.getByText(/^revoked /).waitFor();
  assert.equal((await api('POST', '/api/audit-log/security-trail/', secret, dayBody(today()))).status, 401, 'a revoked token is refused');
});

test('invites a member, who joins from the link; the admin changes their role and privileges', async () => {
  await page.goto('/#/members');
  await page.getByLabel('Email', { exact: true }).fill('rosa@bigday.test');
  await page.getByRole('button', { name: 'Create invitation' }).click();
  const link = await page.getByRole('textbox', { name: 'Invitation for rosa@bigday.test' }).inputValue();
  assert.match(link, /\/invitations\/sci_[A-Za-z0-9_-]{43}$/);

  const invitee = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const joining = await invitee.newPage();
  await joining.goto(link);
  await joining.getByLabel('Your name').fill('Rosa Diaz');
  await joining.getByLabel('Password').fill('a long enough password');
  await joining.getByRole('button', { name: 'Join' }).click();
  await joining.getByText('Welcome. You can now sign in.').waitFor();
  await invitee.close();

  await page.reload();
  const role = page.getByLabel('Role of Rosa Diaz', { exact: true });
  // An arrow key on the select changes what it shows, not Rosa's role: nothing is sent until Change.
  const changes: string[] = [];
  const onRequest = (request: { method(): string; url(): string }) => {
    if (request.method() !== 'GET') changes.push(`${request.method()} ${request.url()}`);
  };
  page.on('request', onRequest);
  await role.focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(300);
  assert.deepEqual(changes, [], 'no change is sent by a key on the select');
  page.off('request', onRequest);
  await role.selectOption('writer');
  await page.getByRole('button', { name: 'Change the role of Rosa Diaz' }).click();
  await page.getByText('Rosa Diaz is now writer.').waitFor();
  const rosa = page.getByRole('row').filter({ hasText: 'Rosa Diaz' });
  await rosa.getByText('none').click();
  await rosa.getByRole('checkbox').first().check();
  await rosa.getByRole('button', { name: 'Save the privileges of Rosa Diaz' }).click();
  await page.getByText("Rosa Diaz's privileges are saved.").waitFor();
  await screenshot(page, '03-members');
});

test("opens today's log, filters it by type and opens the role change's before and after, by keyboard", async () => {
  await page.goto('/#/log');
  await page.getByRole('table').waitFor();
  await page.getByLabel('Type').selectOption('user.role.updated');
  const change = page.getByRole('button', { name: "changed Rosa Diaz's role from reader to writer" });
  await change.waitFor();
  const types = await page.locator('tr.event').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
  assert.ok(types.length > 0 && types.every((type) => type === 'user.role.updated'), `only the type filtered on: ${types.join(', ')}`);
  assert.equal(await page.getByRole('button', { name: /^Show \d+ more/ }).isVisible(), false, 'no "show more" when every row is shown');
  await change.focus();
  await page.keyboard.press('Enter');
  assert.equal(await change.getAttribute('aria-expanded'), 'true');
  const diff = page.getByRole('group', { name: 'Before and after' });
  assert.equal((await diff.locator('figure.before pre').innerText()).trim(), '"reader"');
  assert.equal((await diff.locator('figure.after pre').innerText()).trim(), '"writer"');
  await screenshot(page, '04-log-diff');
  await page.keyboard.press('Space');
  assert.equal(await change.getAttribute('aria-expanded'), 'false', 'Space closes it again');

  await page.getByLabel('Type').selectOption('');
  await page.getByLabel('User').fill('rosa');
  const aboutRosa = await page.locator('tr.event').evaluateAll((rows) => rows.map((row) => row.textContent ?? ''));
  assert.ok(aboutRosa.length >= 3, `the invitation, the joining, the role and privileges: ${String(aboutRosa.length)}`);
  assert.ok(aboutRosa.every((text) => /rosa/i.test(text)), 'only events by or about Rosa');
  await page.getByLabel('User').fill('admin@bigday.test');
  await page.getByLabel('Outcome').selectOption('failure');
  const failures = await page.locator('tr.event').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-type') ?? ''} ${row.textContent ?? ''}`));
  assert.ok(failures.every((text) => text.startsWith('login.failed ')), failures.join('\n'));
  assert.ok(failures.some((text) => text.includes('password: invalid_credentials')), 'the wrong password, found by the email it tried');
});

test('a sealed day of 10,000 events loads, shows failed sign-ins apart, and is verified in the page', async (t) => {
  // Cold loads of the page (from a blank one), not changes of view within it; the median is reported.
  // Times are the page's own, from the start of its navigation: DOMContentLoaded, and the marks the
  // log view sets when the day is on screen and when its seal is checked.
  const loads: { ready: number; shown: number; verified: number }[] = [];
  for (let run = 0; run < 5; run += 1) {
    await page.goto('about:blank');
    await page.goto(`/#/log?date=${fixture.date}`);
    await page.getByRole('table').getByText(`${String(DAY_EVENTS)} events`).waitFor();
    await page.getByText('Verified in this browser').waitFor({ timeout: 30_000 });
    // No named function inside: the page does not have the helper the test's compiler names them with.
    loads.push(await page.evaluate(() => ({
      ready: Math.round((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? -1),
      shown: Math.round(performance.getEntriesByName('sectrail:day-shown')[0]?.startTime ?? -1),
      verified: Math.round(performance.getEntriesByName('sectrail:seal-checked')[0]?.startTime ?? -1),
    })));
  }
  const badge = await page.locator('.badge.verified').innerText();
  assert.match(badge, new RegExp(`${String(DAY_EVENTS)} events match the digest signed by key [0-9a-f]{16}, chained to the day before`));
  await page.locator('.legend li.failed').waitFor();
  await screenshot(page, '05-sealed-day');
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? -1;
  const series = (key: 'ready' | 'shown' | 'verified') => {
    const values = loads.map((load) => load[key]);
    return `median ${String(median(values))} ms (${values.join(', ')})`;
  };
  const report = `console with ${String(DAY_EVENTS)} events in the day, 5 cold loads: page ready (DOMContentLoaded) ${series('ready')}; ` +
    `day fetched, charted and first rows shown ${series('shown')}; seal verified in the page ${series('verified')}`;
  t.diagnostic(report);
  console.log(`# ${report}`);

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
  const answer = JSON.parse(readFileSync(await json.path(), 'utf8')) as { result: { seq: number }[]; complete: boolean };
  const events = answer.result;
  assert.equal(events.length, DAY_EVENTS);
  assert.equal(answer.complete, true);
  const [ndjson] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download NDJSON' }).click()]);
  const lines = readFileSync(await ndjson.path(), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, DAY_EVENTS);
  assert.deepEqual(lines.map((line) => (JSON.parse(line) as { seq: number }).seq), events.map((event) => event.seq));
  assert.equal(ndjson.suggestedFilename(), `sectrail-${fixture.date}.ndjson`);

  // The same files checked offline by `sectrail verify` agree with the page.
  await page.getByText('Check it yourself').click();
  const saved = async (button: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    return file.path();
  };
  const [digest, keys, previous] = [await saved('Download digest'), await saved('Download keys'), await saved('Download previous digest')];
  for (const day of [await json.path(), await ndjson.path()]) {
    const verified = await runCli(['verify', '--day', day, '--digest', digest, '--keys', keys, '--previous-digest', previous], fixture.env);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, new RegExp(`^verified: ${fixture.date}, org \\S+, ${String(DAY_EVENTS)} events .*chained to the previous day`));
  }
});

test('a day whose events were changed on the way fails verification in the page', async () => {
  await page.route('**/api/audit-log/security-trail/', async (route) => {
    // Fetched from here (where *.localhost does not resolve) on the loopback address, for the org's host.
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `http://127.0.0.1:${url.port}${url.pathname}`, headers: { ...route.request().headers(), host: url.host } });
    const body = (await response.json()) as { result: { ipAddress: string | null }[] };
    const first = body.result[0];
    if (first !== undefined) first.ipAddress = '203.0.113.66';
    await route.fulfill({ response, json: body });
  });
  await page.goto('/');
  await page.goto(`/#/log?date=${fixture.date}`);
  await page.getByRole('alert').filter({ hasText: 'Verification failed' }).waitFor({ timeout: 30_000 });
  await page.unroute('**/api/audit-log/security-trail/');
});

test('says so when a day has no events, when the log is not enabled, and when the session has ended', async () => {
  // The day after the big one: the org existed, and nothing happened.
  const quiet = dayFromEpochDay(fixture.day.epochDay + 1).iso;
  await page.goto('/');
  await page.goto(`/#/log?date=${quiet}`);
  await page.getByText(`No events on ${quiet}.`).waitFor();

  assert.equal((await runCli(['org', 'disable-security-log', 'bigday'], fixture.env)).code, 0);
  await page.reload();
  await page.getByText('The security log is not enabled for bigday.').waitFor();
  await page.getByText('Security log: not enabled').waitFor();
  await screenshot(page, '06-not-enabled');
  assert.equal((await runCli(['org', 'enable-security-log', 'bigday'], fixture.env)).code, 0);

  await context.clearCookies();
  await page.getByRole('link', { name: 'Access tokens' }).click();
  await page.getByText('Your session has ended').waitFor();
  await page.getByRole('heading', { name: 'Sign in to bigday' }).waitFor();
  await signInAsAdmin(page);
  await page.getByRole('heading', { name: 'Access tokens', level: 1 }).waitFor();
});

test('reads on a narrow window without scrolling sideways, every column of the lists still there', async () => {
  const narrow = await context.newPage();
  await narrow.setViewportSize({ width: 390, height: 844 });
  const views: [string, string[]][] = [
    [`/#/log?date=${today()}`, ['Time (UTC)', 'Who', 'What', 'Outcome']],
    ['/#/members', ['Name', 'Email', 'Role', 'Privileges']],
    ['/#/tokens', ['Name', 'Owner', 'Scopes', 'Created', 'Expires', 'Last used', 'Status']],
  ];
  for (const [address, columns] of views) {
    await narrow.goto('about:blank');
    await narrow.goto(address);
    await narrow.getByRole('table').waitFor();
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${address} is ${String(overflow)} px wider than the window`);
    for (const column of columns) assert.ok(await narrow.getByRole('columnheader', { name: column, exact: true }).isVisible(), `${address} shows ${column}`);
  }
  await narrow.goto(`/#/log?date=${today()}`);
  await narrow.getByRole('table').waitFor();
  await screenshot(narrow, '07-narrow-log');
  await narrow.goto('/#/login-settings');
  await narrow.getByRole('button', { name: 'Save login settings' }).waitFor();
  await screenshot(narrow, '08-narrow-login-settings');
  await narrow.close();
});

test('the skip link moves focus to the view and leaves the address alone', async () => {
  await page.goto('about:blank');
  await page.goto('/#/tokens');
  await page.getByRole('heading', { name: 'Access tokens', level: 1 }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  assert.ok(page.url().endsWith('#/tokens'), page.url());
  await page.getByRole('heading', { name: 'Access tokens', level: 1 }).waitFor();
});

test('a change of view that cannot reach the server says so, and a reload recovers', async () => {
  await page.goto('/#/tokens');
  await page.getByRole('heading', { name: 'Access tokens', level: 1 }).waitFor();
  await page.route('**/api/auth/session', (route) => route.abort('connectionrefused'));
  try {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The console could not be shown' }).waitFor();
  } finally {
    await page.unroute('**/api/auth/session');
  }
  await page.reload();
  await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
});

test('a change made after the session was replaced in another tab goes through with the new CSRF token', async () => {
  await page.goto('/#/groups');
  await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
  const other = await context.newPage();
  await other.goto('/');
  await other.getByRole('button', { name: 'Sign out' }).click();
  await other.getByText('You are signed out.').waitFor();
  await signInAsAdmin(other);
  await other.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
  await other.close();
  await page.getByLabel('Name', { exact: true }).fill('made after a new sign-in');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByText('Created the group made after a new sign-in.').waitFor();
});

test('signing out ends the session and writes no failed sign-in', async () => {
  const failedSignIns = async () => {
    const answer = await api('POST', '/api/audit-log/security-trail/', fixture.org.token, { ...dayBody(today()), eventTypes: ['login.failed'] });
    return ((await answer.json()) as { result: unknown[] }).result.length;
  };
  await page.goto(`/#/log?date=${today()}`);
  await page.getByRole('table').waitFor();
  const before = await failedSignIns();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
  await page.getByRole('heading', { name: 'Sign in to bigday' }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await failedSignIns(), before, 'nothing the page did after signing out was refused');
  assert.equal(await page.evaluate(() => fetch('/api/auth/session').then(async (response) => JSON.stringify(await response.json()))), '{"session":null}');
});

test('the API explorer on the same origin draws every operation within its own policy', async () => {
  const explorer = await watchedPage(fixture);
  try {
    await explorer.page.goto('/docs');
    await explorer.page.locator('.opblock').first().waitFor();
    assert.ok((await explorer.page.locator('.opblock').count()) >= 30, 'the operations are drawn');
    assert.deepEqual(explorer.problems, []);
  } finally {
    await explorer.context.close();
  }
});

test('the pages broke no Content-Security-Policy rule and threw nothing', () => {
  assert.deepEqual(problems, []);
});
