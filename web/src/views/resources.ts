// Resources and who may use them: create a resource, see who has access to one, and grant a user
// or a group access to it.
import { call, describe } from '../api.ts';
import { field, utcTime, h, notice, select, show } from '../dom.ts';
import type { Grant, Group, List, Me, Member, Resource } from '../types.ts';
import { actionForm, loadFailed, row, table } from './parts.ts';

const ACCESS: readonly (readonly [string, string])[] = [
  ['read', 'Read'],
  ['write', 'Write'],
  ['admin', 'Admin'],
  ['none', 'None (remove access)'],
];

export async function resourcesView(into: HTMLElement, me: Me): Promise<void> {
  // Granting access needs the lists of members and groups, which only those who may grant can read.
  const mayGrant = me.user.role === 'admin' || me.user.privileges.includes('permissions:manage');
  let resources: Resource[];
  let members: Member[];
  let groups: Group[];
  try {
    [resources, members, groups] = await Promise.all([
      call<List<Resource>>('GET', '/api/resources').then((list) => list.result),
      mayGrant ? call<List<Member>>('GET', '/api/users').then((list) => list.result) : [],
      mayGrant ? call<List<Group>>('GET', '/api/groups').then((list) => list.result) : [],
    ]);
  } catch (error) {
    loadFailed(into, error);
    return;
  }
  const type = h('input', { type: 'text', name: 'type', required: true, pattern: '[a-z][a-z0-9_.\\-]{0,63}', value: 'project' });
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '100' });
  const resource = select('resource', []);
  const list = h('div', {});
  const holders = h('section', { 'aria-live': 'polite' });
  // Who has access to the resource chosen in the form; only an answer for the latest choice is drawn.
  let accessLoads = 0;
  const showAccess = async () => {
    const number = (accessLoads += 1);
    const chosen = resource.selectedOptions[0]?.textContent ?? '';
    if (!mayGrant || resource.value === '') {
      show(holders);
      return;
    }
    try {
      const grants = (await call<List<Grant>>('GET', `/api/resources/${encodeURIComponent(resource.value)}/permissions`)).result;
      if (number !== accessLoads) return;
      show(holders, h('h2', {}, `Who has access to ${chosen}`), grantTable(grants));
    } catch (error) {
      if (number === accessLoads) show(holders, notice('error', `Who has access could not be loaded: ${describe(error)}`));
    }
  };
  resource.addEventListener('change', () => void showAccess());
  const showResources = (items: readonly Resource[]) => {
    show(resource, items.map((item) => h('option', { value: item.id }, `${item.type}: ${item.name}`)));
    show(list, table('Resources', ['Type', 'Name', 'Created'], items.map((item) => row(item.type, item.name, utcTime(item.createdAt))), 'No resources yet.'));
    grant.hidden = !mayGrant || items.length === 0;
  };
  const create = actionForm('Create a resource', [field('Type', type, 'Lowercase, such as project or dashboard.'), field('Name', name)], 'Create resource', async () => {
    const created = await call<Resource>('POST', '/api/resources', { type: type.value, name: name.value });
    name.value = '';
    showResources((await call<List<Resource>>('GET', '/api/resources')).result);
    // The new resource is the one access is set for next, and whose (empty) access list shows.
    resource.value = created.id;
    await showAccess();
    return `Created ${created.type} ${created.name}.`;
  });
  const subject = select('subject', [
    ...members.map((member): [string, string] => [`user:${member.id}`, `User: ${member.name}`]),
    ...groups.map((group): [string, string] => [`group:${group.id}`, `Group: ${group.name}`]),
  ]);
  const level = select('access', ACCESS, 'read');
  const grant = actionForm('Set access', [field('Resource', resource), field('User or group', subject), field('Access', level)], 'Set access', async () => {
    const [kind = '', id = ''] = subject.value.split(/:(.*)/s);
    const answer = await call<{ resource: { name: string }; subject: { name: string }; access: string }>(
      'PUT',
      `/api/resources/${encodeURIComponent(resource.value)}/permissions`,
      { subject: { kind, id }, access: level.value },
    );
    await showAccess();
    return answer.access === 'none'
      ? `${answer.subject.name} no longer has access to ${answer.resource.name}.`
      : `${answer.subject.name} now has ${answer.access} access to ${answer.resource.name}.`;
  });
  showResources(resources);
  show(into, create, grant, holders, h('h2', {}, 'Resources'), list);
  await showAccess();
}

function grantTable(grants: readonly Grant[]): HTMLElement {
  const rows = grants.map((grant) => row(grant.subject.kind === 'user' ? 'User' : 'Group', grant.subject.name, grant.access));
  return table('Who has access', ['Kind', 'Name', 'Access'], rows, 'Nobody has access yet.');
}
