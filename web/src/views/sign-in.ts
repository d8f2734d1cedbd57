// Signing in: email and password (when the org allows it), a button per SSO provider the org
// enabled, and the org's slug when the address names no org; the org the address names, by name.
import { orgOfAddress } from '../address-org.ts';
import { ApiError, call, describe } from '../api.ts';
import { field, h, notice, show } from '../dom.ts';

interface Methods {
  /** Whether the address named an org; if not, the page asks for it. */
  readonly orgNamed: boolean;
  readonly password: boolean;
  readonly providers: string[];
}

function methodsFor(org: string | null): Promise<Methods> {
  return call<Methods>('GET', org === null ? '/api/auth/methods' : `/api/auth/methods?org=${encodeURIComponent(org)}`);
}

export async function signInView(into: HTMLElement, reason: string | null, signedIn: () => void): Promise<void> {
  const hostMethods = await methodsFor(null);
  const needsOrg = !hostMethods.orgNamed;
  const named = orgOfAddress(hostMethods.orgNamed);
  document.title = named === null ? 'Sign in · sectrail' : `Sign in · ${named} · sectrail`;
  const status = h('div', { class: 'status' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const org = h('input', { type: 'text', name: 'org', autocomplete: 'organization', required: true, pattern: '[a-z0-9\\-]+' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'card',
      'aria-label': 'Password sign-in',
      onsubmit: (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        const body = { email: email.value, password: password.value, ...(needsOrg ? { org: org.value } : {}) };
        call('POST', '/api/auth/login', body)
          .then(() => {
            password.value = '';
            signedIn();
          })
          .catch((error: unknown) => {
            submit.disabled = false;
            show(status, notice('error', error instanceof ApiError && error.status === 401 ? 'The email or the password is wrong.' : describe(error)));
          });
      },
    },
    needsOrg ? field('Organization', org, 'Its short name, as in its address.') : null,
    field('Email', email),
    field('Password', password),
    submit,
  );
  const methods = h('div', {});
  // What the org offers: known at once on its own address, else once its name is typed.
  const offer = (offered: Methods) => {
    const providers = offered.providers.map((name) =>
      h('a', { class: 'button secondary', href: `/api/auth/sso/${encodeURIComponent(name)}/start` }, `Sign in with ${name === 'google' ? 'Google' : name}`),
    );
    form.hidden = !offered.password;
    show(methods,
      offered.password ? null : notice('info', 'Password sign-in is turned off for this organization.'),
      providers.length === 0 ? null : h('div', { class: 'providers', role: 'group', 'aria-label': 'Single sign-on' }, providers));
  };
  offer(hostMethods);
  if (needsOrg) {
    org.addEventListener('change', () => {
      if (!org.checkValidity()) return;
      // Single sign-on starts on the org's own address; here only the password setting applies.
      methodsFor(org.value).then((offered) => { offer({ ...offered, providers: [] }); }, () => undefined);
    });
  }
  show(
    into,
    h(
      'main',
      { id: 'main', class: 'sign-in' },
      h('h1', {}, `Sign in to ${named ?? 'sectrail'}`),
      reason === null ? null : notice('info', reason),
      status,
      form,
      methods,
    ),
  );
  (needsOrg ? org : hostMethods.password ? email : methods.querySelector('a'))?.focus();
}
