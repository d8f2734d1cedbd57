// Resources and who may use them: create a resource, grant a user or a group access to it.
import { call } from '../api.ts';
import { field, formatTime, h, select, show } from '../dom.ts';
import type { Group, List, Me, Member, Resource } from '../types.ts';
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
  const showResources = (items: readonly Resource[]) => {
    show(resource, items.map((item) => h('option', { value: item.id }, `${item.type}: ${item.name}`)));
    show(list, table('Resources', ['Type', 'Name', 'Created'], items.map((item) => row(item.type, item.name, formatTime(item.createdAt))), 'No resources yet.'));
    grant.hidden = !mayGrant || items.length === 0;
  };
  const create = actionForm('Create a resource', [field('Type', type, 'Lowercase, such as project or dashboard.'), field('Name', name)], 'Create resource', async () => {
    const created = await call<Resource>('POST', '/api/resources', { type: type.value, name: name.value });
    name.value = '';
    showResources((await call<List<Resource>>('GET', '/api/resources')).result);
    return `Created ${created.type} ${created.name}.`;
  });
  const subject = select('subject', [
    ...members.map((member): [string, string] => [`user:${member.id}`, `User: ${member.name}`]),
    ...groups.map((group): [string, string] => [`group:${group.id}`, `Group: ${group.name}`]),
  ]);
  const access = select('access', ACCESS, 'read');
  const grant = actionForm('Set access', [field('Resource', resource), field('User or group', subject), field('Access', access)], 'Set access', async () => {
    const [kind = '', id = ''] = subject.value.split(/:(.*)/s);
    const answer = await call<{ resource: { name: string }; subject: { name: string }; access: string }>(
      'PUT',
      `/api/resources/${encodeURIComponent(resource.value)}/permissions`,
      { subject: { kind, id }, access: access.value },
    );
    return answer.access === 'none'
      ? `${answer.subject.name} no longer has access to ${answer.resource.name}.`
      : `${answer.subject.name} now has ${answer.access} access to ${answer.resource.name}.`;
  });
  showResources(resources);
  show(into, create, grant, h('h2', {}, 'Resources'), list);
}
