// The changes a client can ask for, each a valid request that changes something (so that its
// answer promises exactly one event), chosen from what the client owns, and what an
// acknowledged answer changes in the client's model.
import { type ClientModel } from './client-model.ts';
import { permissionKey, type Access, type Role } from './platform-state.ts';
import type { Random } from './random-source.ts';
import type { ChangeEventType } from './trail-event.ts';

export interface ChangeRequest {
  readonly method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly eventType: ChangeEventType;
  /** Sent without a credential (accepting an invitation). */
  readonly anonymous?: boolean;
  /** What the acknowledged answer made (its id, for creations), and the model updated to match. */
  acknowledged(answer: unknown): string | null;
}

const ROLES: readonly Role[] = ['reader', 'writer', 'admin'];
const ACCESS: readonly (Access | 'none')[] = ['none', 'read', 'write', 'admin'];
const PRIVILEGES = ['members:invite', 'groups:manage', 'resources:create', 'permissions:manage', 'security-log:read'];

const idOf = (answer: unknown): string | null => {
  const id = (answer as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
};

export interface ChangeContext {
  readonly model: ClientModel;
  readonly random: Random;
  /** A name no other request uses (the request id). */
  readonly name: string;
  /** Invitation secrets the client holds, not accepted yet. */
  readonly invitations: string[];
}

type Maker = (context: ChangeContext) => ChangeRequest | null;

/** A POST that creates something; its id, once acknowledged, joins the client's list of them. */
const creating = (path: string, eventType: ChangeEventType, body: unknown, into: string[]): ChangeRequest => ({
  method: 'POST',
  path,
  body,
  eventType,
  acknowledged(answer) {
    const id = idOf(answer);
    if (id !== null) into.push(id);
    return id;
  },
});

const createGroup: Maker = ({ model, name }) => ({
  method: 'POST',
  path: '/api/groups',
  body: { name },
  eventType: 'group.created',
  acknowledged(answer) {
    const id = idOf(answer);
    if (id !== null) model.groups.set(id, new Set());
    return id;
  },
});

const changeGroupMembers: Maker = ({ model, random }) => {
  if (model.groups.size === 0 || model.members.size === 0) return null;
  const [groupId, members] = random.pick([...model.groups]);
  const userId = random.pick([...model.members.keys()]);
  const remove = members.has(userId);
  return {
    method: 'PATCH',
    path: `/api/groups/${groupId}/members`,
    body: remove ? { remove: [userId] } : { add: [userId] },
    eventType: 'group.membership.updated',
    acknowledged() {
      if (remove) members.delete(userId);
      else members.add(userId);
      return null;
    },
  };
};

const createResource: Maker = ({ model, name }) => creating('/api/resources', 'resource.created', { type: 'project', name }, model.resources);

const setPermission: Maker = ({ model, random }) => {
  if (model.resources.length === 0) return null;
  const resourceId = random.pick(model.resources);
  const subjects = [...[...model.members.keys()].map((id) => ({ kind: 'user' as const, id })), ...[...model.groups.keys()].map((id) => ({ kind: 'group' as const, id }))];
  if (subjects.length === 0) return null;
  const subject = random.pick(subjects);
  const key = permissionKey(resourceId, subject.kind, subject.id);
  const current = model.permissions.get(key) ?? 'none';
  const access = random.pick(ACCESS.filter((level) => level !== current));
  return {
    method: 'PUT',
    path: `/api/resources/${resourceId}/permissions`,
    body: { subject, access },
    eventType: 'permission.updated',
    acknowledged() {
      if (access === 'none') model.permissions.delete(key);
      else model.permissions.set(key, access);
      return null;
    },
  };
};

const changeRole: Maker = ({ model, random }) => {
  if (model.members.size === 0) return null;
  const [userId, member] = random.pick([...model.members]);
  const role = random.pick(ROLES.filter((candidate) => candidate !== member.role));
  return {
    method: 'PATCH',
    path: `/api/users/${userId}/role`,
    body: { role },
    eventType: 'user.role.updated',
    acknowledged() {
      member.role = role;
      return null;
    },
  };
};

const changePrivileges: Maker = ({ model, random }) => {
  if (model.members.size === 0) return null;
  const [userId, member] = random.pick([...model.members]);
  const privilege = random.pick(PRIVILEGES);
  const remove = member.privileges.has(privilege);
  return {
    method: 'PATCH',
    path: `/api/users/${userId}/privileges`,
    body: remove ? { remove: [privilege] } : { add: [privilege] },
    eventType: 'user.privileges.updated',
    acknowledged() {
      if (remove) member.privileges.delete(privilege);
      else member.privileges.add(privilege);
      return null;
    },
  };
};

const issueToken: Maker = ({ model, name }) => creating('/api/tokens', 'token.created', { name, scopes: ['security-log:read'] }, model.liveTokens);

const revokeToken: Maker = ({ model, random }) => {
  if (model.liveTokens.length === 0) return null;
  const tokenId = random.pick(model.liveTokens);
  return {
    method: 'DELETE',
    path: `/api/tokens/${tokenId}`,
    eventType: 'token.revoked',
    acknowledged() {
      model.liveTokens.splice(model.liveTokens.indexOf(tokenId), 1);
      return null;
    },
  };
};

const createServiceAccount: Maker = ({ name }) => ({
  method: 'POST',
  path: '/api/service-accounts',
  body: { name },
  eventType: 'service_account.created',
  acknowledged: idOf,
});

const invite: Maker = ({ name, invitations }) => ({
  method: 'POST',
  path: '/api/invitations',
  body: { email: `${name}@crash.test`, role: 'reader' },
  eventType: 'invitation.created',
  acknowledged(answer) {
    const url = (answer as { acceptUrl?: unknown } | null)?.acceptUrl;
    if (typeof url === 'string') invitations.push(url.slice(url.lastIndexOf('/') + 1));
    return idOf(answer);
  },
});

const acceptInvitation: Maker = ({ invitations, name }) => {
  // Taken whatever the outcome: a dropped accept may have been used already.
  const secret = invitations.shift();
  if (secret === undefined) return null;
  return {
    method: 'POST',
    path: `/api/invitations/${secret}/accept`,
    body: { name, password: 'correct horse battery staple' },
    eventType: 'invitation.accepted',
    anonymous: true,
    acknowledged(answer) {
      const id = (answer as { userId?: unknown } | null)?.userId;
      return typeof id === 'string' ? id : null;
    },
  };
};

/** Each kind of change with its weight: updates are frequent, creations fewer, sign-ups rare (Argon2 is slow). */
const MAKERS: readonly (readonly [Maker, number])[] = [
  [createGroup, 2],
  [changeGroupMembers, 4],
  [createResource, 2],
  [setPermission, 4],
  [changeRole, 3],
  [changePrivileges, 3],
  [issueToken, 2],
  [revokeToken, 2],
  [createServiceAccount, 1],
  [invite, 1],
  [acceptInvitation, 1],
];

/** A change the client can make now, drawn by weight among those its model allows. */
export function nextChange(context: ChangeContext): ChangeRequest {
  for (;;) {
    const total = MAKERS.reduce((sum, [, weight]) => sum + weight, 0);
    let draw = context.random.next() * total;
    for (const [make, weight] of MAKERS) {
      draw -= weight;
      if (draw < 0) {
        const request = make(context);
        if (request !== null) return request;
        break;
      }
    }
  }
}
