// Service accounts: non-human members of an org that own tokens for automated integrations.
import { conflict } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import { displayName } from '../core/names.ts';
import type { Role, ServiceAccount } from '../core/platform-model.ts';
import { UniqueViolationError } from '../core/ports/store.ts';
import { newId } from './new-id.ts';
import type { PlatformDeps } from './platform-deps.ts';

export interface NewServiceAccount {
  readonly name: string;
  readonly role?: Role;
}

export async function createServiceAccount(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string,
  input: NewServiceAccount,
): Promise<ServiceAccount> {
  const account: ServiceAccount = {
    orgId,
    id: newId(),
    name: displayName(input.name, 'A service account name', 64),
    role: input.role ?? 'reader',
    createdAt: deps.clock.now(),
  };
  try {
    return await deps.store.transact(async (tx) => {
      await tx.createServiceAccount(account);
      tx.record(
        orgId,
        draftEvent('service_account.created', context, { serviceAccount: { id: account.id, name: account.name } }),
      );
      return account;
    });
  } catch (error) {
    if (error instanceof UniqueViolationError) throw conflict(`A service account named ${account.name} exists.`);
    throw error;
  }
}

export function serviceAccountView(account: ServiceAccount): Record<string, unknown> {
  return {
    id: account.id,
    name: account.name,
    role: account.role,
    createdAt: new Date(account.createdAt).toISOString(),
  };
}
