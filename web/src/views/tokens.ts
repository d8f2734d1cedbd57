// Access tokens: create one (name, scopes, expiry, owner), see its secret once, list them with
// their last use, revoke.
import { call, describe } from '../api.ts';
import { field, utcTime, h, notice, select, show } from '../dom.ts';
import type { List, Me, ServiceAccount, Token } from '../types.ts';
import { actionForm, loadFailed, row, scopeList, secretOnce, table } from './parts.ts';

const SCOPES = ['security-log:read', 'platform:admin'] as const;

function status(token: Token): HTMLElement | string {
  if (token.revokedAt !== null) return h('span', {}, 'revoked ', utcTime(token.revokedAt));
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

export async function tokensView(into: HTMLElement, me: Me): Promise<void> {
  let tokens: Token[];
  let accounts: ServiceAccount[];
  try {
    [tokens, accounts] = await Promise.all([
      call<List<Token>>('GET', '/api/tokens').then((list) => list.result),
      call<List<ServiceAccount>>('GET', '/api/service-accounts').then((list) => list.result),
    ]);
  } catch (error) {
    loadFailed(into, error);
    return;
  }
  const revealed = h('div', {});
  const listStatus = h('div', { class: 'status', role: 'status' });
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '100' });
  const scopes = SCOPES.map((scope) => h('input', { type: 'checkbox', name: 'scopes', value: scope, checked: scope === 'security-log:read' }));
  const expiry = h('input', { type: 'number', name: 'expiresInDays', min: '1', max: '3650', value: '90' });
  const owner = select('owner', [['', `Me (${me.user.name})`], ...accounts.map((account): [string, string] => [account.id, `Service account: ${account.name}`])]);
  const create = actionForm(
    'Create a token',
    [
      field('Name', name),
      h('fieldset', {}, h('legend', {}, 'Scopes'), scopes.map((box) => h('label', { class: 'check' }, box, h('span', { class: 'scope' }, box.value)))),
      field('Expires after (days)', expiry, 'Empty for a token that never expires.'),
      field('Owner', owner),
    ],
    'Create token',
    async () => {
      const body = {
        name: name.value,
        scopes: scopes.filter((box) => box.checked).map((box) => box.value),
        ...(expiry.value === '' ? {} : { expiresInDays: Number(expiry.value) }),
        ...(owner.value === '' ? {} : { serviceAccountId: owner.value }),
      };
      const created = await call<Token & { token: string }>('POST', '/api/tokens', body);
      const panel = secretOnce(`Token “${created.name}”`, created.token, 'Copy this token now: it is shown only once, and sectrail keeps only its hash.', name);
      show(revealed, panel);
      panel.querySelector('input')?.focus();
      name.value = '';
      await refreshList();
      return null;
    },
  );
  const list = h('div', {});
  // Only the list is drawn again after a change: a secret not copied yet stays on screen.
  const refreshList = async () => {
    const fresh = await call<List<Token>>('GET', '/api/tokens');
    show(list, tokenTable(fresh.result, revoke));
  };
  const revoke = (token: Token) => {
    if (!window.confirm(`Revoke the token “${token.name}”? Anything using it stops working.`)) return;
    call('DELETE', `/api/tokens/${encodeURIComponent(token.id)}`)
      .then(async () => {
        await refreshList();
        show(listStatus, notice('success', `Revoked ${token.name}.`));
      })
      .catch((error: unknown) => { show(listStatus, notice('error', `${token.name} was not revoked: ${describe(error)}`)); });
  };
  show(list, tokenTable(tokens, revoke));
  show(into, revealed, create, h('h2', {}, 'Tokens'), listStatus, list);
}

function tokenTable(tokens: readonly Token[], revoke: (token: Token) => void): HTMLElement {
  const rows = tokens.map((token) =>
    row(
      token.name,
      token.owner.name ?? token.owner.id ?? '',
      scopeList(token.scopes),
      utcTime(token.createdAt),
      token.expiresAt === null ? 'never' : utcTime(token.expiresAt),
      utcTime(token.lastUsedAt),
      status(token),
      token.revokedAt === null
        ? h('button', {
            type: 'button',
            class: 'danger',
            'aria-label': `Revoke ${token.name}`,
            onclick: () => { revoke(token); },
          }, 'Revoke')
        : '',
    ),
  );
  return table('Access tokens', ['Name', 'Owner', 'Scopes', 'Created', 'Expires', 'Last used', 'Status', ''], rows, 'No tokens yet.');
}
