// Accepting an invitation from its link: a name and a password make the new member, who then signs
// in; the org joined is named when the link's address names it.
import { orgOfThisAddress } from '../address-org.ts';
import { call, describe } from '../api.ts';
import { field, h, notice, show } from '../dom.ts';

export async function invitationView(into: HTMLElement, token: string): Promise<void> {
  // Not knowing the org is no reason to keep someone from joining it.
  const org = await orgOfThisAddress().catch(() => null);
  document.title = org === null ? 'Join · sectrail' : `Join ${org} · sectrail`;
  const status = h('div', { class: 'status' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true, maxlength: '100' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: '12' });
  const submit = h('button', { type: 'submit' }, 'Join');
  const form = h(
    'form',
    {
      class: 'card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        call('POST', `/api/invitations/${encodeURIComponent(token)}/accept`, { name: name.value, password: password.value })
          .then(() => {
            // The link's secret is spent: it leaves the address bar and the history.
            history.replaceState(null, '', '/');
            show(status, notice('success', 'Welcome. You can now sign in.'), h('a', { href: '/', class: 'button' }, 'Go to sign-in'));
            form.remove();
          })
          .catch((error: unknown) => {
            submit.disabled = false;
            show(status, notice('error', describe(error)));
          });
      },
    },
    field('Your name', name),
    field('Password', password, 'At least 12 characters.'),
    submit,
  );
  show(into, h('main', { id: 'main', class: 'sign-in' }, h('h1', {}, org === null ? 'Join an organization on sectrail' : `Join ${org} on sectrail`), status, form));
  name.focus();
}
