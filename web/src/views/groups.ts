// Groups: create one, add and remove members.
import { call, describe } from '../api.ts';
import { field, h, notice, select, show } from '../dom.ts';
import type { Group, List, Member } from '../types.ts';
import { actionForm, loadFailed, row, table } from './parts.ts';

export async function groupsView(into: HTMLElement): Promise<void> {
  let groups: Group[];
  let members: Member[];
  try {
    [groups, members] = await Promise.all([
      call<List<Group>>('GET', '/api/groups').then((list) => list.result),
      call<List<Member>>('GET', '/api/users').then((list) => list.result),
    ]);
  } catch (error) {
    loadFailed(into, error);
    return;
  }
  const status = h('div', { class: 'status', role: 'status' });
  const list = h('div', {});
  const refresh = async () => {
    show(list, groupTable((await call<List<Group>>('GET', '/api/groups')).result, members, status, refresh));
  };
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '100' });
  const create = actionForm('Create a group', [field('Name', name)], 'Create group', async () => {
    const created = await call<Group>('POST', '/api/groups', { name: name.value });
    name.value = '';
    await refresh();
    return `Created the group ${created.name}.`;
  });
  show(list, groupTable(groups, members, status, refresh));
  show(into, create, h('h2', {}, 'Groups'), status, list);
}

function groupTable(groups: readonly Group[], members: readonly Member[], status: HTMLElement, refresh: () => Promise<void>): HTMLElement {
  const change = (group: Group, body: { add?: string[]; remove?: string[] }) => {
    call<Group>('PATCH', `/api/groups/${encodeURIComponent(group.id)}/members`, body)
      .then(async (changed) => {
        await refresh();
        show(status, notice('success', `${changed.name} has ${String(changed.members.length)} member(s).`));
        // The control that was used is gone with the old list: the group's member picker takes focus.
        document.querySelector<HTMLElement>(`[aria-label="${CSS.escape(`Member to add to ${changed.name}`)}"]`)?.focus();
      })
      .catch((error: unknown) => { show(status, notice('error', describe(error))); });
  };
  const rows = groups.map((group) => {
    const inGroup = new Set(group.members.map((member) => member.id));
    const candidates = members.filter((member) => !inGroup.has(member.id));
    // Added with a button: an arrow key on the select must not change the group.
    const adder = select('member', [['', 'Choose a member…'], ...candidates.map((member): [string, string] => [member.id, member.name])]);
    adder.setAttribute('aria-label', `Member to add to ${group.name}`);
    const add = h('button', {
      type: 'button',
      class: 'secondary',
      'aria-label': `Add to ${group.name}`,
      onclick: () => { if (adder.value !== '') change(group, { add: [adder.value] }); },
    }, 'Add');
    const current = h('ul', { class: 'chips' }, group.members.map((member) =>
      h('li', {}, member.name ?? member.id ?? '', h('button', {
        type: 'button',
        class: 'link',
        'aria-label': `Remove ${member.name ?? ''} from ${group.name}`,
        onclick: () => { change(group, { remove: [member.id ?? ''] }); },
      }, '×'))));
    return row(group.name, current, h('div', { class: 'inline' }, adder, add));
  });
  return table('Groups', ['Name', 'Members', ''], rows, 'No groups yet.');
}
