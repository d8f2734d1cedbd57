// Service accounts: non-human members of an org that own tokens for automated integrations.
import { conflict } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import { displayName } from '../core/names.ts';
import type { Role, ServiceAccount } from '../core/platform-model.ts';
import type { Clock } from '../core/ports/clock.ts';
import { UniqueViolationError, type Transaction } from '../core/ports/store.ts';
import { newId } from './new-id.ts';
import type { PlatformDeps } from './platform-deps.ts';

export interface NewServiceAccount {
  readonly name: string;
  readonly role?: Role;
}

export function prepareServiceAccount(clock: Clock, orgId: string, input: NewServiceAccount): ServiceAccount {
  return {
    orgId,
    id: newId(),
    name: displayName(input.name, 'A service account name', 64),
    role: input.role ?? 'reader',
    createdAt: clock.now(),
  };
}

/** Writes the account and its event in the caller's transaction. */
export async function addServiceAccount(tx: Transaction, context: RequestContext, account: ServiceAccount): Promise<void> {
  try {
    await tx.createServiceAccount(account);
  } catch (error) {
    if (error instanceof UniqueViolationError) throw conflict(`A service account named ${account.name} exists.`);
    throw error;
  }
  const serviceAccount = { id: account.id, name: account.name };
  tx.record(account.orgId, draftEvent('service_account.created', context, { serviceAccount }));
}

export async function createServiceAccount(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string,
  input: NewServiceAccount,
): Promise<ServiceAccount> {
  const account = prepareServiceAccount(deps.clock, orgId, input);
  await deps.store.transact((tx) => addServiceAccount(tx, context, account));
  return account;
}

export function serviceAccountView(account: ServiceAccount): Record<string, unknown> {
  return {
    id: account.id,
    name: account.name,
    role: account.role,
    createdAt: new Date(account.createdAt).toISOString(),
  };
}
