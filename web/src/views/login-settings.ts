// Login settings: password sign-in, Google, and the org's own OpenID Connect providers. Client
// secrets are write-only: the server shows them as ***, and leaving *** keeps the stored one.
import { call } from '../api.ts';
import { field, h, show } from '../dom.ts';
import type { AuthSettings, Provider } from '../types.ts';
import { actionForm, loadFailed } from './parts.ts';

interface ProviderInputs {
  readonly row: HTMLElement;
  readonly name: HTMLInputElement;
  readonly issuer: HTMLInputElement;
  readonly clientId: HTMLInputElement;
  readonly clientSecret: HTMLInputElement;
}

function providerInputs(provider: Provider | null, remove: (inputs: ProviderInputs) => void): ProviderInputs {
  const name = h('input', { type: 'text', required: true, pattern: '[a-z0-9\\-]{1,32}', value: provider?.name ?? '' });
  const issuer = h('input', { type: 'url', required: true, value: provider?.issuer ?? '' });
  const clientId = h('input', { type: 'text', required: true, value: provider?.clientId ?? '' });
  // new-password: a password manager must not fill the admin's own password in here.
  const clientSecret = h('input', { type: 'password', autocomplete: 'new-password', value: provider?.clientSecret ?? '', placeholder: provider === null ? '' : '*** (kept)' });
  const inputs: ProviderInputs = { row: h('fieldset', { class: 'provider' }), name, issuer, clientId, clientSecret };
  inputs.row.append(
    h('legend', {}, provider === null ? 'New provider' : `Provider ${provider.name}`),
    field('Name', name, 'Lowercase letters, digits and dashes.'),
    field('Issuer', issuer),
    field('Client id', clientId),
    field('Client secret', clientSecret, provider === null ? 'Required for a new provider.' : 'Leave as is to keep the stored secret.'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { remove(inputs); } }, 'Remove provider'),
  );
  return inputs;
}

export async function loginSettingsView(into: HTMLElement): Promise<void> {
  let settings: AuthSettings;
  try {
    settings = await call<AuthSettings>('GET', '/api/org/auth-settings');
  } catch (error) {
    loadFailed(into, error);
    return;
  }
  const plainLogin = h('input', { type: 'checkbox', checked: settings.plainLogin });
  const googleOAuth = h('input', { type: 'checkbox', checked: settings.googleOAuth });
  const providerList = h('div', {});
  const providers: ProviderInputs[] = [];
  const remove = (inputs: ProviderInputs) => {
    providers.splice(providers.indexOf(inputs), 1);
    inputs.row.remove();
  };
  const add = (provider: Provider | null) => {
    const inputs = providerInputs(provider, remove);
    providers.push(inputs);
    providerList.append(inputs.row);
    return inputs;
  };
  settings.sso?.providers.forEach((provider) => add(provider));
  const form = actionForm(
    'How people sign in',
    [
      h('label', { class: 'check' }, plainLogin, 'Password sign-in'),
      h('label', { class: 'check' }, googleOAuth, 'Sign in with Google (needs the operator’s Google client)'),
      h('h3', {}, 'Single sign-on (OpenID Connect)'),
      providerList,
      // A line of its own: beside the form's submit button it would read as one control with it.
      h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => { add(null).name.focus(); } }, 'Add a provider')),
    ],
    'Save login settings',
    async () => {
      const sso = providers.length === 0 ? null : {
        providers: providers.map((inputs) => ({
          name: inputs.name.value,
          issuer: inputs.issuer.value,
          clientId: inputs.clientId.value,
          ...(inputs.clientSecret.value === '' ? {} : { clientSecret: inputs.clientSecret.value }),
        })),
      };
      await call<AuthSettings>('PATCH', '/api/org/auth-settings', { plainLogin: plainLogin.checked, googleOAuth: googleOAuth.checked, sso });
      return 'Saved.';
    },
  );
  show(into, form);
}
