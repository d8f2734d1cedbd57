// Service accounts: the owners of tokens that belong to a system rather than a person.
import { call } from '../api.ts';
import { field, utcTime, h, select, show } from '../dom.ts';
import type { List, ServiceAccount } from '../types.ts';
import { actionForm, loadFailed, row, table } from './parts.ts';
import { ROLES } from './roles.ts';

export async function serviceAccountsView(into: HTMLElement): Promise<void> {
  let accounts: ServiceAccount[];
  try {
    accounts = (await call<List<ServiceAccount>>('GET', '/api/service-accounts')).result;
  } catch (error) {
    loadFailed(into, error);
    return;
  }
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '64' });
  const role = select('role', ROLES, 'reader');
  const list = h('div', {});
  const create = actionForm('Create a service account', [field('Name', name), field('Role', role)], 'Create service account', async () => {
    const created = await call<ServiceAccount>('POST', '/api/service-accounts', { name: name.value, role: role.value });
    name.value = '';
    show(list, accountTable((await call<List<ServiceAccount>>('GET', '/api/service-accounts')).result));
    return `Created ${created.name}. Give it a token under Access tokens.`;
  });
  show(list, accountTable(accounts));
  show(into, create, h('h2', {}, 'Service accounts'), list);
}

function accountTable(accounts: readonly ServiceAccount[]): HTMLElement {
  const rows = accounts.map((account) => row(account.name, account.role, utcTime(account.createdAt)));
  return table('Service accounts', ['Name', 'Role', 'Created'], rows, 'No service accounts yet.');
}
