// Realistic event drafts for the benchmark day: a mix of sign-ins, failures, role, permission and
// group changes from a few hundred users, each with a full request context (~450-byte envelopes),
// and one new service account in 10,000 events (a rare type, for the filtered reads).
import { randomUUID } from 'node:crypto';
import { draftEvent, type Actor, type EventDraft, type RequestContext } from '../src/core/events/envelope.ts';

interface Person {
  readonly actor: Extract<Actor, { kind: 'user' }>;
  readonly ref: { readonly id: string; readonly name: string; readonly email: string };
  readonly ipAddress: string;
  readonly userAgent: string;
}

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman'];
// Browsers and the API clients that make most calls of a busy org.
const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'python-requests/2.31.0',
  'curl/8.5.0',
  'Terraform/1.8.2',
];
const ROLES = ['reader', 'writer', 'admin'] as const;
const ACCESS = ['read', 'write', 'admin'] as const;

function pick<T>(items: readonly T[], index: number): T {
  return items[index % items.length]!;
}

function people(count: number): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `${pick(FIRST, i)} ${pick(LAST, Math.floor(i / FIRST.length))}`;
    const email = `${name.toLowerCase().replace(' ', '.')}@acme.test`;
    const id = randomUUID();
    return {
      actor: { kind: 'user', id, name, email },
      ref: { id, name, email },
      ipAddress: `203.0.${113 + (i % 3)}.${(i * 37) % 254 + 1}`,
      userAgent: pick(USER_AGENTS, i),
    };
  });
}

/** Makes draft number `n` of the day; deterministic apart from ids. */
/** The rare type of the mix: one event in RARE_EVERY, the first early enough for a small day. */
export const RARE_TYPE = 'service_account.created';
const RARE_EVERY = 10_000;
const RARE_AT = 1_000;

export class EventMix {
  private readonly people = people(300);
  private readonly groups = Array.from({ length: 20 }, (_, i) => ({ id: randomUUID(), name: `team-${i}` }));
  private readonly resources = Array.from({ length: 50 }, (_, i) => ({ type: 'dashboard', id: randomUUID(), name: `Dashboard ${i}` }));

  private context(person: Person | null, endpoint: string, n: number): RequestContext {
    const source = person ?? pick(this.people, n * 7);
    return {
      actor: person === null ? null : person.actor,
      ipAddress: source.ipAddress,
      userAgent: source.userAgent,
      endpoint,
      requestId: randomUUID(),
    };
  }

  draft(n: number): EventDraft {
    const person = pick(this.people, n * 13 + (n >> 7));
    const other = pick(this.people, n * 31 + 5);
    const slot = n % 20;
    if (n % RARE_EVERY === RARE_AT) {
      const details = { serviceAccount: { id: randomUUID(), name: `automation-${String(n)}` } };
      return draftEvent(RARE_TYPE, this.context(person, 'POST /api/service-accounts', n), details);
    }
    if (slot < 10) {
      return draftEvent('login.succeeded', this.context(person, 'POST /api/auth/login', n), { method: 'password' });
    }
    if (slot < 15) {
      const details = { method: 'password', reason: 'invalid_credentials', attemptedEmail: person.ref.email } as const;
      return draftEvent('login.failed', this.context(null, 'POST /api/auth/login', n), details, 'failure');
    }
    if (slot < 17) {
      const details = { target: other.ref, before: pick(ROLES, n), after: pick(ROLES, n + 1) };
      return draftEvent('user.role.updated', this.context(person, 'PATCH /api/users/:id/role', n), details);
    }
    if (slot < 18) {
      const group = pick(this.groups, n);
      const details = {
        resource: pick(this.resources, n),
        subject: { kind: 'group', ...group } as const,
        before: { access: pick(ACCESS, n) },
        after: { access: pick(ACCESS, n + 1) },
      };
      return draftEvent('permission.updated', this.context(person, 'PUT /api/resources/:type/:id/permissions', n), details);
    }
    if (slot < 19) {
      const details = { group: pick(this.groups, n), added: [other.ref], removed: [] };
      return draftEvent('group.membership.updated', this.context(person, 'PATCH /api/groups/:id/members', n), details);
    }
    return draftEvent('logout', this.context(person, 'POST /api/auth/logout', n), { method: 'password' });
  }
}
