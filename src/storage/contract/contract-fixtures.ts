// Records and events the contract suite writes: small, valid, and easy to tell apart.
import { draftEvent, type EventDraft, type RequestContext } from '../../core/events/envelope.ts';
import type { Org } from '../../core/platform-model.ts';
import type { Store, Transaction } from '../../core/ports/store.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

let counter = 0;
const unique = () => `${Date.now().toString(36)}-${(counter++).toString(36)}`;

export const CONTEXT: RequestContext = {
  actor: { kind: 'user', id: 'u-1', name: 'Ada Admin', email: 'ada@acme.test' },
  ipAddress: '203.0.113.7',
  userAgent: 'contract-suite',
  endpoint: 'POST /contract',
  requestId: 'r-1',
};

export function newOrg(createdAt = 0): Org {
  const id = `org-${unique()}`;
  return { id, slug: id.toLowerCase(), name: 'Contract org', securityLogEnabled: true, createdAt };
}

export function loginEvent(attemptedEmail = 'someone@acme.test'): EventDraft {
  return draftEvent(
    'login.failed',
    CONTEXT,
    { method: 'password', reason: 'invalid_credentials', attemptedEmail },
    'failure',
  );
}

export function roleEvent(): EventDraft {
  const target = { id: 'u-2', name: 'Bo', email: 'bo@acme.test' };
  return draftEvent('user.role.updated', CONTEXT, { target, before: 'reader', after: 'admin' });
}

export function logoutEvent(): EventDraft {
  return draftEvent('logout', CONTEXT, { method: 'password' });
}

export async function createOrgIn(tx: Transaction, org: Org = newOrg()): Promise<Org> {
  await tx.createOrg(org);
  return org;
}

/** Opens a store for one case and always disposes of it. */
export async function withStore(target: StoreContractTarget, clock: Clock, body: (store: Store) => Promise<void>): Promise<void> {
  const opened = await target.open(clock);
  try {
    await body(opened.store);
  } finally {
    await opened.dispose();
  }
}
