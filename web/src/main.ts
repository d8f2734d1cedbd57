// The console's shell: who is signed in, the navigation, and which view the address names
// (`#/log`, `#/tokens`, …). Signed out, the sign-in form; on an invitation's link, its accept form.
import { ApiError, call, describe, useCsrfToken, whenSessionLost } from './api.ts';
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

/**
 * Stops following the address: nothing may call the API for a session that is ending or gone.
 * Signing out also forgets the view; a session that ended keeps it, to come back to after signing in.
 */
function stopRouting(forgetView: boolean): void {
  window.onhashchange = null;
  if (forgetView) history.replaceState(null, '', window.location.pathname);
}

async function signOut(status: HTMLElement): Promise<void> {
  try {
    await call('POST', '/api/auth/logout');
  } catch (error) {
    // Only a session that is already gone counts as signed out; anything else is said, not hidden.
    if (!(error instanceof ApiError && error.status === 401)) {
      show(status, notice('error', `Signing out failed: ${describe(error)}`));
      return;
    }
  }
  stopRouting(true);
  useCsrfToken(null);
  await start('You are signed out.');
}

function header(me: Me): HTMLElement {
  const entitlement = me.org.securityLogEnabled
    ? h('span', { class: 'badge ok', title: 'The operator enabled the security log for this organization.' }, 'Security log: enabled')
    : h('span', { class: 'badge warn', title: 'An operator enables it with: sectrail org enable-security-log ' + me.org.slug }, 'Security log: not enabled');
  const status = h('span', { class: 'status' });
  return h(
    'header',
    { class: 'top' },
    h('span', { class: 'brand' }, 'sectrail'),
    h('span', { class: 'org' }, me.org.name),
    entitlement,
    h('span', { class: 'who' }, `${me.user.name} (${me.user.role})`),
    h('button', { type: 'button', class: 'secondary', onclick: () => void signOut(status) }, 'Sign out'),
    status,
  );
}

/**
 * Shows the view the address names, for who is signed in now (asked again each time, so a role,
 * a privilege or the entitlement changed meanwhile shows at once). `moveFocus` after a change of
 * view, so a screen reader and the keyboard start at its heading rather than on a link now gone.
 */
let renders = 0;

async function render(moveFocus: boolean, known?: Me): Promise<void> {
  // Only the latest change of view may draw: an earlier one still waiting must not draw over it.
  const number = (renders += 1);
  // The view being left takes no more input while the next one is read: what is typed now is for that one.
  const leaving = document.getElementById('main');
  if (leaving !== null) {
    leaving.inert = true;
    leaving.setAttribute('aria-busy', 'true');
  }
  const me = known ?? (await call<{ session: Me | null }>('GET', '/api/auth/session')).session;
  if (number !== renders) return;
  if (me === null) {
    stopRouting(false);
    useCsrfToken(null);
    await start('Your session has ended (it expired, or you signed out elsewhere). Sign in again.');
    return;
  }
  useCsrfToken(me.csrfToken ?? null);
  const views = viewsFor(me);
  const view = viewFor(views, window.location.hash);
  const main = h('main', { id: 'main', tabindex: '-1' });
  if (view === undefined) {
    const nothing = notice('info', `Your role (${me.user.role}) gives you nothing to see or manage here. An admin can grant you privileges.`);
    show(app(), header(me), main);
    main.append(h('h1', {}, me.org.name), nothing);
    return;
  }
  main.append(h('h1', {}, view.title));
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

/** Draws the view the address names; if that fails (the network, the server), says so in place of it. */
function draw(moveFocus: boolean, known?: Me): void {
  render(moveFocus, known).catch((error: unknown) => {
    show(app(), notice('error', `The console could not be shown: ${describe(error)}. Reload the page to try again.`));
  });
}

/** Follows the address from now on; `known`: the session just read, so the first view need not ask again. */
function follow(moveFocus: boolean, known?: Me): void {
  // Only view addresses (#/…) route; "#main" is the skip link's target.
  window.onhashchange = () => {
    if (window.location.hash.startsWith('#/') || window.location.hash === '') draw(true);
  };
  draw(moveFocus, known);
}

/** Starts the console: `reason` says why the sign-in form is shown (signed out, a session that ended). */
async function start(reason: string | null): Promise<void> {
  const invitation = /^\/invitations\/([^/]+)$/.exec(window.location.pathname);
  if (invitation?.[1] !== undefined) {
    await invitationView(app(), decodeURIComponent(invitation[1]));
    return;
  }
  // Asking /api/auth/session rather than /api/me: a page not signed in yet is not a failed sign-in.
  const { session } = await call<{ session: Me | null }>('GET', '/api/auth/session');
  if (session === null) {
    await signInView(app(), reason, () => { follow(true); });
    return;
  }
  follow(false, session);
}

// The skip link moves focus to the view without touching the address (which names the view).
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('a.skip') : null;
  if (target === null) return;
  event.preventDefault();
  document.getElementById('main')?.focus();
});

whenSessionLost(() => {
  stopRouting(false);
  useCsrfToken(null);
  void start('Your session has ended (it expired, or you signed out elsewhere). Sign in again.');
});

start(null).catch((error: unknown) => {
  show(app(), notice('error', `The console could not start: ${describe(error)}`));
});
