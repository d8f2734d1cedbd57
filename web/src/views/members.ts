// Members: their role and individual privileges, each changed with an explicit button (an arrow
// key on a select must not change anyone's rights), and invitations (the link is shown once;
// delivering it is up to the admin) with the ones still pending.
import { call, describe } from '../api.ts';
import { field, utcTime, h, notice, select, show } from '../dom.ts';
import type { List, Me, Member, PendingInvitation } from '../types.ts';
import { actionForm, loadFailed, row, scopeList, secretOnce, table } from './parts.ts';
import { ROLES } from './roles.ts';

interface Privilege {
  readonly name: string;
  readonly description: string;
}

const RANK: Readonly<Record<string, number>> = { reader: 0, writer: 1, admin: 2 };

export async function membersView(into: HTMLElement, me: Me): Promise<void> {
  const isAdmin = me.user.role === 'admin';
  const mayInvite = isAdmin || me.user.privileges.includes('members:invite');
  const loadPending = async () => (mayInvite ? (await call<List<PendingInvitation>>('GET', '/api/invitations')).result : []);
  let members: Member[];
  let catalogue: Privilege[];
  let pending: PendingInvitation[];
  try {
    [members, catalogue, pending] = await Promise.all([
      call<List<Member>>('GET', '/api/users').then((list) => list.result),
      call<List<Privilege>>('GET', '/api/privileges').then((list) => list.result),
      loadPending(),
    ]);
  } catch (error) {
    loadFailed(into, error);
    return;
  }
  const pendingList = h('div', {});
  const status = h('div', { class: 'status', role: 'status' });
  const revealed = h('div', {});
  const email = h('input', { type: 'email', name: 'email', required: true });
  // An invitation may not carry a role above the inviter's own.
  const role = select('role', ROLES.filter(([value]) => (RANK[value] ?? 0) <= (RANK[me.user.role] ?? 0)), 'reader');
  const invite = actionForm('Invite someone', [field('Email', email), field('Role', role)], 'Create invitation', async () => {
    const created = await call<{ email: string; acceptUrl: string; expiresAt: string }>('POST', '/api/invitations', { email: email.value, role: role.value });
    const panel = secretOnce(`Invitation for ${created.email}`, created.acceptUrl, `Send this link to ${created.email}: it is shown only once and works until ${created.expiresAt.slice(0, 10)}.`, email);
    show(revealed, panel);
    email.value = '';
    panel.querySelector('input')?.focus();
    // The invitation exists whatever happens here: a list that fails to reload says so on its own.
    loadPending().then(
      (list) => { show(pendingList, invitationTable(list)); },
      (error: unknown) => { show(pendingList, notice('error', `The pending invitations could not be reloaded: ${describe(error)}`)); },
    );
    return null;
  });
  show(pendingList, invitationTable(pending));
  const rows = members.map((member) => memberRow(member, isAdmin && member.id !== me.user.id, member.id === me.user.id, catalogue, status));
  show(
    into,
    revealed,
    mayInvite ? invite : null,
    h('h2', {}, 'Members'),
    status,
    table('Members', ['Name', 'Email', 'Role', 'Privileges'], rows, 'No members.'),
    mayInvite ? h('h2', {}, 'Pending invitations') : null,
    mayInvite ? pendingList : null,
  );
}

/** Invitations neither accepted nor expired; their links were shown once and are not kept. */
function invitationTable(pending: readonly PendingInvitation[]): HTMLElement {
  const rows = pending.map((invitation) => row(invitation.email, invitation.role, invitation.invitedBy.name ?? '', utcTime(invitation.createdAt), utcTime(invitation.expiresAt)));
  return table('Pending invitations', ['Email', 'Role', 'Invited by', 'Sent', 'Expires'], rows, 'No pending invitations.');
}

function roleEditor(member: Member, editable: boolean, status: HTMLElement): HTMLElement {
  let current = member.role;
  const role = select('role', ROLES, current);
  role.setAttribute('aria-label', `Role of ${member.name}`);
  role.disabled = !editable;
  const apply = h('button', {
    type: 'button',
    class: 'secondary',
    disabled: !editable,
    'aria-label': `Change the role of ${member.name}`,
    onclick: () => {
      if (role.value === current) return;
      if (role.value === 'admin' && !window.confirm(`Make ${member.name} an admin? An admin can change everything in the organization.`)) return;
      call<Member>('PATCH', `/api/users/${encodeURIComponent(member.id)}/role`, { role: role.value })
        .then((changed) => {
          current = changed.role;
          show(status, notice('success', `${changed.name} is now ${changed.role}.`));
        })
        .catch((error: unknown) => {
          role.value = current;
          show(status, notice('error', describe(error)));
        });
    },
  }, 'Change');
  return h('div', { class: 'inline' }, role, editable ? apply : null);
}

function memberRow(member: Member, editable: boolean, isMe: boolean, catalogue: readonly Privilege[], status: HTMLElement): HTMLTableRowElement {
  return row(member.name + (isMe ? ' (you)' : ''), member.email, roleEditor(member, editable, status), privilegeEditor(member, editable, catalogue, status));
}

function privilegeEditor(member: Member, editable: boolean, catalogue: readonly Privilege[], status: HTMLElement): HTMLElement {
  const held = new Set(member.privileges);
  const heldList = () => (held.size === 0 ? 'none' : scopeList(catalogue.filter((privilege) => held.has(privilege.name)).map((privilege) => privilege.name)));
  const summary = h('summary', {}, heldList());
  if (!editable) return h('span', {}, heldList());
  const boxes = catalogue.map((privilege) => h('input', { type: 'checkbox', value: privilege.name, checked: held.has(privilege.name) }));
  const save = h('button', {
    type: 'button',
    'aria-label': `Save the privileges of ${member.name}`,
    onclick: () => {
      const add = boxes.filter((box) => box.checked && !held.has(box.value)).map((box) => box.value);
      const remove = boxes.filter((box) => !box.checked && held.has(box.value)).map((box) => box.value);
      call<Member>('PATCH', `/api/users/${encodeURIComponent(member.id)}/privileges`, { add, remove })
        .then((changed) => {
          held.clear();
          changed.privileges.forEach((name) => held.add(name));
          show(summary, heldList());
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
      catalogue.map((privilege, index) => h('label', { class: 'check', title: privilege.description }, boxes[index] ?? null, h('span', { class: 'scope' }, privilege.name)))),
    save,
  );
}
