// The console's shell: who is signed in, the navigation, and which view the address names
// (`#/log`, `#/tokens`, …). Signed out, the sign-in form; on an invitation's link, its accept form.
import { call, describe, useCsrfToken, whenSessionLost } from './api.ts';
import { h, notice, show } from './dom.ts';
import type { Me } from './types.ts';
import { invitationView } from './views/invitation.ts';
import { signInView } from './views/sign-in.ts';
import { viewsFor, type View } from './views/view-list.ts';

const app = (): HTMLElement => {
  const element = document.getElementById('app');
  if (element === null) throw new Error('the page has no #app');
  return element;
};

/** The view the address names (`#/tokens`, `#/log?date=…`), else the first one usable. */
function viewFor(views: readonly View[], hash: string): View | undefined {
  const name = hash.replace(/^#\/?/, '').replace(/\?.*$/, '');
  return views.find((view) => view.path === name) ?? views[0];
}

function navigation(views: readonly View[], current: View | undefined): HTMLElement {
  return h(
    'nav',
    { 'aria-label': 'Console' },
    h('ul', {}, views.map((view) => h('li', {}, h('a', { href: `#/${view.path}`, 'aria-current': view === current ? 'page' : null }, view.title)))),
  );
}

async function signOut(): Promise<void> {
  try {
    await call('POST', '/api/auth/logout');
  } finally {
    useCsrfToken(null);
    window.location.hash = '';
    await start(null);
  }
}

function header(me: Me): HTMLElement {
  const entitlement = me.org.securityLogEnabled
    ? h('span', { class: 'badge ok', title: 'The operator enabled the security log for this organization.' }, 'Security log: enabled')
    : h('span', { class: 'badge warn', title: 'An operator enables it with: sectrail org enable-security-log ' + me.org.slug }, 'Security log: not enabled');
  return h(
    'header',
    { class: 'top' },
    h('span', { class: 'brand' }, 'sectrail'),
    h('span', { class: 'org' }, me.org.name),
    entitlement,
    h('span', { class: 'who' }, `${me.user.name} (${me.user.role})`),
    h('button', { type: 'button', class: 'secondary', onclick: () => void signOut() }, 'Sign out'),
  );
}

/** Shows the view the address names; `moveFocus` after a change of view, so a screen reader and
 * the keyboard start at its heading rather than on a link that is gone. */
async function render(me: Me, moveFocus: boolean): Promise<void> {
  const views = viewsFor(me);
  const view = viewFor(views, window.location.hash);
  if (view === undefined) {
    const nothing = notice('info', `Your role (${me.user.role}) gives you nothing to see or manage here. An admin can grant you privileges.`);
    show(app(), header(me), h('main', { id: 'main' }, h('h1', {}, me.org.name), nothing));
    return;
  }
  const main = h('main', { id: 'main', tabindex: '-1' }, h('h1', {}, view.title));
  show(app(), header(me), navigation(views, view), main);
  document.title = `${view.title} · ${me.org.name} · sectrail`;
  const body = h('div', { class: 'view' });
  main.append(body);
  if (moveFocus) main.focus();
  try {
    await view.render(body, me);
  } catch (error) {
    show(body, notice('error', `This view could not be shown: ${describe(error)}`));
  }
}

/** Starts the console: `notice` says why the sign-in form is shown (a session that expired). */
async function start(reason: string | null): Promise<void> {
  const invitation = /^\/invitations\/([^/]+)$/.exec(window.location.pathname);
  if (invitation?.[1] !== undefined) {
    invitationView(app(), decodeURIComponent(invitation[1]));
    return;
  }
  // Asking /api/auth/session rather than /api/me: a page not signed in yet is not a failed sign-in.
  const { session } = await call<{ session: Me | null }>('GET', '/api/auth/session');
  if (session === null) await signInView(app(), reason, begin);
  else begin(session);
}

function begin(me: Me): void {
  useCsrfToken(me.csrfToken ?? null);
  window.onhashchange = () => void render(me, true);
  void render(me, false);
}

whenSessionLost(() => {
  useCsrfToken(null);
  window.onhashchange = null;
  void start('Your session has ended (it expired, or you signed out elsewhere). Sign in again.');
});

start(null).catch((error: unknown) => {
  show(app(), notice('error', `The console could not start: ${String(error)}`));
});
