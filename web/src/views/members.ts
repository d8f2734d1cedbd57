// Members: their role and individual privileges, changed in place, and invitations (the link is
// shown once; delivering it is up to the admin).
import { call, describe } from '../api.ts';
import { field, h, notice, select, show } from '../dom.ts';
import type { List, Me, Member } from '../types.ts';
import { actionForm, loadFailed, row, secretOnce, table } from './parts.ts';
import { ROLES } from './service-accounts.ts';

interface Privilege {
  readonly name: string;
  readonly description: string;
}

export async function membersView(into: HTMLElement, me: Me): Promise<void> {
  let members: Member[];
  let catalogue: Privilege[];
  try {
    [members, catalogue] = await Promise.all([
      call<List<Member>>('GET', '/api/users').then((list) => list.result),
      call<List<Privilege>>('GET', '/api/privileges').then((list) => list.result),
    ]);
  } catch (error) {
    loadFailed(into, error);
    return;
  }
  const status = h('div', { class: 'status', role: 'status' });
  const revealed = h('div', {});
  const email = h('input', { type: 'email', name: 'email', required: true });
  const role = select('role', ROLES, 'reader');
  const invite = actionForm('Invite someone', [field('Email', email), field('Role', role)], 'Create invitation', async () => {
    const created = await call<{ email: string; acceptUrl: string; expiresAt: string }>('POST', '/api/invitations', { email: email.value, role: role.value });
    show(revealed, secretOnce(`Invitation for ${created.email}`, created.acceptUrl, `Send this link to ${created.email}: it is shown only once and works until ${created.expiresAt.slice(0, 10)}.`));
    email.value = '';
    return null;
  });
  const rows = members.map((member) => memberRow(member, member.id === me.user.id, catalogue, status));
  show(into, revealed, invite, h('h2', {}, 'Members'), status, table('Members', ['Name', 'Email', 'Role', 'Privileges'], rows, 'No members.'));
}

function memberRow(member: Member, isMe: boolean, catalogue: readonly Privilege[], status: HTMLElement): HTMLTableRowElement {
  const role = select('role', ROLES, member.role);
  role.setAttribute('aria-label', `Role of ${member.name}`);
  role.disabled = isMe;
  role.addEventListener('change', () => {
    call<Member>('PATCH', `/api/users/${encodeURIComponent(member.id)}/role`, { role: role.value })
      .then((changed) => { show(status, notice('success', `${changed.name} is now ${changed.role}.`)); })
      .catch((error: unknown) => {
        role.value = member.role;
        show(status, notice('error', describe(error)));
      });
  });
  return row(member.name + (isMe ? ' (you)' : ''), member.email, role, privilegeEditor(member, isMe, catalogue, status));
}

function privilegeEditor(member: Member, isMe: boolean, catalogue: readonly Privilege[], status: HTMLElement): HTMLElement {
  const held = new Set(member.privileges);
  const boxes = catalogue.map((privilege) => h('input', { type: 'checkbox', value: privilege.name, checked: held.has(privilege.name), disabled: isMe }));
  const summary = h('summary', {}, member.privileges.length === 0 ? 'none' : member.privileges.join(', '));
  const save = h('button', {
    type: 'button',
    disabled: isMe,
    onclick: () => {
      const add = boxes.filter((box) => box.checked && !held.has(box.value)).map((box) => box.value);
      const remove = boxes.filter((box) => !box.checked && held.has(box.value)).map((box) => box.value);
      call<Member>('PATCH', `/api/users/${encodeURIComponent(member.id)}/privileges`, { add, remove })
        .then((changed) => {
          held.clear();
          changed.privileges.forEach((name) => held.add(name));
          summary.textContent = changed.privileges.length === 0 ? 'none' : changed.privileges.join(', ');
          show(status, notice('success', `${changed.name}'s privileges are saved.`));
        })
        .catch((error: unknown) => { show(status, notice('error', describe(error))); });
    },
  }, 'Save privileges');
  return h(
    'details',
    {},
    summary,
    h('fieldset', {}, h('legend', {}, `Privileges of ${member.name}`),
      catalogue.map((privilege, index) => h('label', { class: 'check', title: privilege.description }, boxes[index] ?? null, privilege.name))),
    save,
  );
}
