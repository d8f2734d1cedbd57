/// <reference lib="dom" />
// The console's other administration views in a real browser, as an admin sets an org up: a
// service account and a token it owns, a group and its members, a resource and who may use it
// (then the change's before and after in the log), and an SSO provider added in the login
// settings, whose button then signs a member in through a real OpenID provider.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startOidcProvider, type OidcTestProvider } from './support/oidc-test-provider.ts';
import { openConsoleFixture, openView, screenshot, signInAsAdmin, watchedPage, type ConsoleFixture } from './support/console-fixture.ts';

let fixture: ConsoleFixture;
let page: Page;
let provider: OidcTestProvider;
let problems: string[];

before(async () => {
  fixture = await openConsoleFixture(20);
  provider = await startOidcProvider({
    redirectUri: `${fixture.origin}/api/auth/sso/bigday-idp/callback`,
    accounts: [{ sub: 'ada', email: 'ada@bigday.test', email_verified: true, name: 'Ada Lovelace' }],
    browserAccount: 'ada',
  });
  ({ page, problems } = await watchedPage(fixture));
  await page.goto('/');
  await signInAsAdmin(page);
  await page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
});

after(async () => {
  await provider.close();
  await fixture.close();
});

test('creates a service account and gives it a token of its own', async () => {
  await openView(page, 'Service accounts');
  await page.getByLabel('Name', { exact: true }).fill('splunk-forwarder');
  await page.getByRole('button', { name: 'Create service account' }).click();
  await page.getByText('Created splunk-forwarder.').waitFor();
  await page.getByRole('row').filter({ hasText: 'splunk-forwarder' }).waitFor();

  await openView(page, 'Access tokens');
  await page.getByLabel('Name', { exact: true }).fill('splunk');
  await page.getByLabel('Owner').selectOption({ label: 'Service account: splunk-forwarder' });
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('textbox', { name: 'Token “splunk”' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: 'splunk-forwarder' });
  assert.match(await row.innerText(), /^splunk\tsplunk-forwarder\tsecurity-log:read\t/);
});

test('creates a group and adds and removes a member', async () => {
  await openView(page, 'Groups');
  await page.getByLabel('Name', { exact: true }).fill('Incident responders');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByText('Created the group Incident responders.').waitFor();
  await page.getByLabel('Member to add to Incident responders').selectOption({ label: 'admin' });
  await page.getByRole('button', { name: 'Add to Incident responders' }).click();
  await page.getByText('Incident responders has 1 member(s).').waitFor();
  await screenshot(page, '11-groups');
  await page.getByRole('button', { name: 'Remove admin from Incident responders' }).click();
  await page.getByText('Incident responders has 0 member(s).').waitFor();
});

test('creates a resource, gives the group write access, and sees the change side by side in the log', async () => {
  await openView(page, 'Resources');
  await page.getByLabel('Name', { exact: true }).fill('Payments');
  await page.getByRole('button', { name: 'Create resource' }).click();
  await page.getByText('Created project Payments.').waitFor();
  await page.getByText('Nobody has access yet.').waitFor();
  await page.getByLabel('User or group').selectOption({ label: 'Group: Incident responders' });
  await page.getByLabel('Access', { exact: true }).selectOption('write');
  await page.getByRole('button', { name: 'Set access' }).click();
  await page.getByText('Incident responders now has write access to Payments.').waitFor();
  const holders = page.getByRole('table', { name: 'Who has access' });
  await holders.waitFor();
  assert.deepEqual(await holders.getByRole('row').allInnerTexts(), ['Kind\tName\tAccess', 'Group\tIncident responders\twrite']);
  await screenshot(page, '12-resources');

  await openView(page, 'Security log');
  await page.getByLabel('Category').selectOption('permission');
  await page.getByRole('button', { name: "changed Incident responders's access to Payments from no access to write" }).click();
  const diff = page.getByRole('group', { name: 'Before and after' });
  assert.equal((await diff.locator('figure.before pre').innerText()).trim(), 'null');
  assert.match(await diff.locator('figure.after pre').innerText(), /"access": "write"/);
  await screenshot(page, '13-permission-diff');
});

test('adds an SSO provider in the login settings; its button then signs a member in through the provider', async () => {
  await openView(page, 'Members');
  await page.getByLabel('Email', { exact: true }).fill('ada@bigday.test');
  await page.getByRole('button', { name: 'Create invitation' }).click();
  await page.getByRole('textbox', { name: 'Invitation for ada@bigday.test' }).waitFor();
  const pending = page.getByRole('table', { name: 'Pending invitations' }).getByRole('row').filter({ hasText: 'ada@bigday.test' });
  assert.match(await pending.innerText(), /^ada@bigday\.test\treader\tadmin\t/);

  await openView(page, 'Login settings');
  await page.getByRole('button', { name: 'Add a provider' }).click();
  await page.getByLabel('Name', { exact: true }).fill('bigday-idp');
  await page.getByLabel('Issuer').fill(provider.issuer);
  await page.getByLabel('Client id').fill(provider.clientId);
  await page.getByLabel('Client secret').fill(provider.clientSecret);
  await page.getByRole('button', { name: 'Save login settings' }).click();
  await page.getByText('Saved.').waitFor();
  await page.reload();
  assert.equal(await page.getByLabel('Client secret').inputValue(), '***', 'the secret is never shown again');
  await screenshot(page, '14-login-settings');

  const visitor = await fixture.browser.newContext({ baseURL: fixture.origin, viewport: { width: 1280, height: 800 } });
  try {
    const ada = await visitor.newPage();
    await ada.goto('/');
    await ada.getByRole('link', { name: 'Sign in with bigday-idp' }).click();
    await ada.getByText('Ada Lovelace (reader)').waitFor();
    // A reader without privileges: no view to offer, and the page says so rather than failing.
    await ada.getByText('gives you nothing to see or manage here').waitFor();
    assert.equal(await ada.getByRole('navigation').count(), 0);
    await screenshot(ada, '15-signed-in-by-sso');
  } finally {
    await visitor.close();
  }
});

test('a sign-in through the provider that fails shows a page saying so, with the way back', async () => {
  const stranger = await watchedPage(fixture);
  try {
    // A callback this browser never started (a stale link, the back button): refused, and logged.
    const answer = await stranger.page.goto('/api/auth/sso/bigday-idp/callback?code=stale&state=stale');
    assert.equal(answer?.status(), 401);
    await stranger.page.getByRole('heading', { name: 'Sign-in failed', level: 1 }).waitFor();
    await stranger.page.getByText('UNAUTHENTICATED', { exact: true }).waitFor();
    await stranger.page.getByRole('alert').filter({ hasText: 'did not complete' }).waitFor();
    await screenshot(stranger.page, '16-sso-failed');
    await stranger.page.getByRole('link', { name: 'Back to sign-in' }).click();
    await stranger.page.getByRole('link', { name: 'Sign in with bigday-idp' }).waitFor();
    // The refusal's own 401 is the only error the browser noted.
    assert.deepEqual(stranger.problems, []);
  } finally {
    await stranger.context.close();
  }
});

test('the pages broke no Content-Security-Policy rule and threw nothing', () => {
  assert.deepEqual(problems, []);
});
