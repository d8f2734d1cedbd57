/// <reference lib="dom" />
// The console on a phone (390×844) in a real browser, as a new admin meets it: the sign-in page
// naming the org, every view without sideways scrolling, the chart's labels readable and apart,
// scopes, privileges, names and times never broken inside a word, and a day before the org
// existed said as such. Screenshots are checked not to be blank.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openConsoleFixture, openView, screenshot, signInAsAdmin, watchedPage, type ConsoleFixture } from './support/console-fixture.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

let fixture: ConsoleFixture;
let page: Page;
let problems: string[];

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${String(fixture.server.port)}${path}`, {
    method,
    headers: { authorization: `Bearer ${fixture.org.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${String(response.status)} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

/** What a new org has after its first hour: a second member with privileges, a group, a service account's token with both scopes, an invitation. */
async function setUpOrg(): Promise<void> {
  const invited = await api<{ acceptUrl: string }>('POST', '/api/invitations', { email: 'rosa.diaz@bigday.test', role: 'writer' });
  const secret = /sci_[A-Za-z0-9_-]+$/.exec(invited.acceptUrl)?.[0] ?? '';
  const joined = await fetch(`http://127.0.0.1:${String(fixture.server.port)}/api/invitations/${secret}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Rosa Diaz', password: 'a long enough password' }),
  });
  assert.equal(joined.status, 201, await joined.text());
  const members = (await api<{ result: { id: string; name: string }[] }>('GET', '/api/users')).result;
  const rosa = members.find((member) => member.name === 'Rosa Diaz');
  assert.ok(rosa !== undefined);
  await api('PATCH', `/api/users/${rosa.id}/privileges`, { add: ['groups:manage', 'permissions:manage', 'security-log:read'] });
  const group = await api<{ id: string }>('POST', '/api/groups', { name: 'Incident responders' });
  await api('PATCH', `/api/groups/${group.id}/members`, { add: members.map((member) => member.id) });
  const account = await api<{ id: string }>('POST', '/api/service-accounts', { name: 'splunk-forwarder' });
  await api('POST', '/api/tokens', { name: 'splunk', serviceAccountId: account.id, scopes: ['security-log:read', 'platform:admin'] });
  await api('POST', '/api/invitations', { email: 'pending.person@bigday.test', role: 'reader' });
}

before(async () => {
  fixture = await openConsoleFixture(20);
  await setUpOrg();
  ({ page, problems } = await watchedPage(fixture));
  await page.setViewportSize(PHONE);
});

after(async () => {
  await fixture.close();
});

const today = () => new Date().toISOString().slice(0, 10);

async function overflow(target: Page): Promise<number> {
  return target.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

interface Box {
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * How far apart the first and last line boxes of each element's text lie (0: all on one line), for
 * the elements the selector finds that are shown.
 */
async function lineSpreads(target: Page, selector: string): Promise<{ text: string; spread: number }[]> {
  return target.locator(selector).evaluateAll((elements) =>
    elements
      .map((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const tops = [...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => rect.top);
        return { text: element.textContent ?? '', spread: tops.length === 0 ? -1 : Math.max(...tops) - Math.min(...tops) };
      })
      .filter((measured) => measured.spread >= 0),
  );
}

/** Asserts each element's text sits on one line (a line here is about 21 px: half of one is a line break). */
async function assertOneLineEach(target: Page, selector: string, expected: readonly string[], where: string): Promise<void> {
  const spreads = await lineSpreads(target, selector);
  for (const text of expected) assert.ok(spreads.some((measured) => measured.text === text), `${where}: ${text} is shown (${spreads.map((measured) => measured.text).join(', ')})`);
  const broken = spreads.filter((measured) => measured.spread > 8);
  assert.deepEqual(broken, [], `${where}: each ${selector} on one line`);
}

test('the sign-in page names the org its address names, and only asks for one on an address naming none', async () => {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in to bigday', level: 1 }).waitFor();
  assert.match(await page.title(), /bigday/);
  assert.equal(await page.getByLabel('Organization').count(), 0, 'no question the address answers');
  assert.ok((await overflow(page)) <= 1, 'the sign-in page fits the phone');
  await screenshot(page, '21-phone-sign-in');

  const unnamed = await watchedPage(fixture, `http://127.0.0.1:${String(fixture.server.port)}`);
  try {
    await unnamed.page.goto('/');
    await unnamed.page.getByRole('heading', { name: 'Sign in to sectrail', level: 1 }).waitFor();
    await unnamed.page.getByLabel('Organization').waitFor();
    assert.deepEqual(unnamed.problems, []);
  } finally {
    await unnamed.context.close();
  }

  await signInAsAdmin(page);
  await page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
});

test("an invitation's page names the org it joins when its address names one", async () => {
  const path = `/invitations/sci_${'A'.repeat(43)}`;
  for (const [origin, heading] of [[fixture.origin, 'Join bigday on sectrail'], [`http://127.0.0.1:${String(fixture.server.port)}`, 'Join an organization on sectrail']] as const) {
    const visitor = await watchedPage(fixture, origin);
    try {
      await visitor.page.setViewportSize(PHONE);
      await visitor.page.goto(path);
      await visitor.page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await visitor.page.getByLabel('Your name').waitFor();
      assert.ok((await overflow(visitor.page)) <= 1, 'the page fits the phone');
      assert.deepEqual(visitor.problems, []);
    } finally {
      await visitor.context.close();
    }
  }
});

test('every view reads on a phone without scrolling sideways', async () => {
  for (const title of ['Security log', 'Access tokens', 'Service accounts', 'Members', 'Groups', 'Resources', 'Login settings']) {
    await openView(page, title);
    await page.locator('#main .view').locator('form, table, .empty').first().waitFor();
    assert.ok((await overflow(page)) <= 1, `${title} is ${String(await overflow(page))} px wider than the phone`);
    await screenshot(page, `22-phone-${title.toLowerCase().replace(/ /g, '-')}`);
  }
});

test("the chart's labels are readable, apart and inside the chart on a phone and on a desktop, for a day with events in every hour", async () => {
  // A day whose answer the page is given: events in each of the 24 hours, one hour with over a thousand.
  const date = today();
  const events = Array.from({ length: 24 }, (_, hour) => hour).flatMap((hour) =>
    Array.from({ length: hour === 14 ? 1_234 : 3 + ((hour * 7) % 11) }, (_, index) => ({
      id: `00000000-0000-7000-8000-${String(hour).padStart(4, '0')}${String(index).padStart(8, '0')}`,
      seq: hour * 10_000 + index,
      timestamp: `${date}T${String(hour).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00.000Z`,
      type: index % 4 === 0 ? 'login.failed' : 'login.succeeded',
      category: 'user_access',
      outcome: index % 4 === 0 ? 'failure' : 'success',
      user: null,
      ipAddress: '203.0.113.7',
      userAgent: null,
      endpoint: 'POST /api/auth/login',
      requestId: null,
      details: { method: 'password', ...(index % 4 === 0 ? { reason: 'invalid_credentials', attemptedEmail: 'someone@bigday.test' } : {}) },
    })));
  await page.route('**/api/audit-log/security-trail/', (route) => route.fulfill({ json: { result: events, nextPageToken: null, complete: false } }));
  try {
    await page.goto('about:blank');
    await page.goto(`/#/log?date=${date}`);
    await page.getByRole('table').getByText(`${String(events.length)} events`).waitFor();
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      // The chart is drawn again for its new width before the next frame.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      const where = `${String(viewport.width)} px wide`;
      // The chart first, then its labels. No named function inside: the compiler would name it with
      // a function (__name) that the page does not have.
      const [chart, ...labels] = await page.locator('svg.chart, svg.chart .axis').evaluateAll((elements) => elements.map((element) => {
        const rect = element.getBoundingClientRect();
        return { text: element.textContent ?? '', left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
      }));
      assert.ok(chart !== undefined);
      const texts = labels.map((label) => label.text);
      for (const text of ['1234', '0', '00h', '12h', '21h']) assert.ok(texts.includes(text), `${where}: the label ${text} is drawn (${texts.join(' ')})`);
      for (const label of labels) {
        assert.ok(label.bottom - label.top >= 11, `${where}: ${label.text} is ${(label.bottom - label.top).toFixed(1)} px high, too small to read`);
        assert.ok(label.left >= chart.left && label.right <= chart.right && label.top >= chart.top && label.bottom <= chart.bottom,
          `${where}: ${label.text} lies within the chart (${JSON.stringify(label)} in ${JSON.stringify(chart)})`);
      }
      const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const clashes = labels.flatMap((a, i) => labels.slice(i + 1).filter((b) => overlaps(a, b)).map((b) => `${a.text}/${b.text}`));
      assert.deepEqual(clashes, [], `${where}: no two labels overlap`);
    }
    await page.setViewportSize(PHONE);
    await page.locator('.chart-figure').scrollIntoViewIfNeeded();
    await screenshot(page, '23-phone-chart');
  } finally {
    await page.unroute('**/api/audit-log/security-trail/');
    await page.setViewportSize(PHONE);
  }
});

test('scopes, privileges, group members and times never break inside a word, on a phone or a desktop', async () => {
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    const where = (view: string) => `${view} at ${String(viewport.width)} px`;
    await page.goto('about:blank');
    await page.goto('/#/tokens');
    await page.getByRole('row').filter({ hasText: 'splunk' }).waitFor();
    await assertOneLineEach(page, '.scope', ['security-log:read', 'platform:admin'], where('the tokens'));
    assert.match(await page.getByRole('row').filter({ hasText: 'splunk' }).innerText(), /security-log:read, platform:admin/, 'the scopes read as a list');
    await assertOneLineEach(page, 'time.utc span', [], where('the tokens'));

    await openView(page, 'Members');
    await page.getByRole('table', { name: 'Pending invitations' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Rosa Diaz' }).getByText('groups:manage').first().click();
    await page.getByRole('group', { name: 'Privileges of Rosa Diaz' }).waitFor();
    await assertOneLineEach(page, '.scope', ['groups:manage', 'permissions:manage', 'security-log:read', 'members:invite'], where('the members'));
    await assertOneLineEach(page, 'time.utc span', [], where('the pending invitations'));

    await openView(page, 'Groups');
    await page.locator('.chips li').first().waitFor();
    await assertOneLineEach(page, '.chips li', ['admin×', 'Rosa Diaz×'], where('the groups'));
    await openView(page, 'Service accounts');
    await page.getByRole('row').filter({ hasText: 'splunk-forwarder' }).waitFor();
    await assertOneLineEach(page, 'time.utc span', [], where('the service accounts'));
  }
  await page.setViewportSize(PHONE);
  await openView(page, 'Access tokens');
  await page.locator('.table-wrap').evaluate((frame) => { frame.scrollLeft = frame.scrollWidth; });
  await screenshot(page, '24-phone-tokens');
});

test("the login settings' buttons stand apart from the form's Save", async () => {
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    await page.goto('about:blank');
    await page.goto('/#/login-settings');
    const add = await page.getByRole('button', { name: 'Add a provider' }).boundingBox();
    const save = await page.getByRole('button', { name: 'Save login settings' }).boundingBox();
    assert.ok(add !== null && save !== null);
    const apart = Math.max(save.x - (add.x + add.width), add.x - (save.x + save.width), save.y - (add.y + add.height), add.y - (save.y + save.height));
    assert.ok(apart >= 6, `at ${String(viewport.width)} px the buttons are ${apart.toFixed(1)} px apart`);
  }
  await page.setViewportSize(PHONE);
});

test('a seal badge that wraps on a phone keeps its text inside its rounded border', async () => {
  await page.goto('about:blank');
  await page.goto(`/#/log?date=${fixture.date}`);
  const badge = page.locator('.badge.verified');
  await badge.waitFor({ timeout: 30_000 });
  const measured = await badge.evaluate((element) => {
    const box = element.getBoundingClientRect();
    // The radius drawn: the one given, shrunk (as CSS does) to fit the box.
    const radius = Math.min(parseFloat(getComputedStyle(element).borderTopLeftRadius), box.width / 2, box.height / 2);
    const range = document.createRange();
    range.selectNodeContents(element);
    const lines = [...range.getClientRects()].filter((rect) => rect.width > 0);
    const first = lines[0];
    const last = lines[lines.length - 1];
    if (first === undefined || last === undefined) throw new Error('the badge has no text');
    // How far each outer corner of the text lies beyond the rounded border (positive: over the curve).
    const beyond = [[first.left, first.top], [first.right, first.top], [last.left, last.bottom], [last.right, last.bottom]].map(([x = 0, y = 0]) => {
      const dx = Math.max(0, Math.abs(x - (box.left + box.right) / 2) - (box.width / 2 - radius));
      const dy = Math.max(0, Math.abs(y - (box.top + box.bottom) / 2) - (box.height / 2 - radius));
      return Math.hypot(dx, dy) - radius;
    });
    return { lines: lines.length, beyond };
  });
  assert.ok(measured.lines >= 2, `the badge wraps on a phone (${String(measured.lines)} line)`);
  assert.ok(measured.beyond.every((distance) => distance <= 0), `the text stays inside the border: ${measured.beyond.map((distance) => distance.toFixed(1)).join(', ')}`);
});

test('a day before the org existed says so; an open day still says it is not sealed yet', async () => {
  const me = await api<{ org: { name: string; createdAt: string } }>('GET', '/api/me');
  const created = me.org.createdAt.slice(0, 10);
  await page.goto('about:blank');
  await page.goto('/#/log?date=2001-01-01');
  await page.getByText(`${me.org.name} did not exist yet on 2001-01-01: its log starts on ${created}.`).waitFor();
  assert.equal(await page.getByText('Not sealed yet').count(), 0);
  assert.equal(await page.getByText('No events on').count(), 0, 'said once');
  await screenshot(page, '25-phone-before-the-org');

  await page.goto('about:blank');
  await page.goto(`/#/log?date=${created}`);
  await page.getByRole('table').waitFor();
  assert.equal(await page.getByText('did not exist yet').count(), 0, 'the day the org was made is in its log');

  await page.goto('about:blank');
  await page.goto(`/#/log?date=${today()}`);
  await page.getByText('Not sealed yet: a day is sealed and signed after it ends.').waitFor();
  assert.equal(await page.getByText('did not exist yet').count(), 0);
});

test('the pages broke no Content-Security-Policy rule and threw nothing', () => {
  assert.deepEqual(problems, []);
});
