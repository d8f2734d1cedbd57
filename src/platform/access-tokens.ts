// Access tokens: issued with a name, scopes and an optional expiry, shown once, kept only as a
// SHA-256 hash, revoked for good. Every issue and revocation is an event in the same transaction.
import { generateTokenSecret, hashToken } from '../core/access-token.ts';
import { invalidRequest, notFound } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { OwnerRef } from '../core/events/refs.ts';
import { displayName } from '../core/names.ts';
import {
  isScope,
  memberOwner,
  serviceAccountOwner,
  type AccessTokenRecord,
  type Scope,
  type TokenOwner,
} from '../core/platform-model.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { PlatformReads, Transaction } from '../core/ports/store.ts';
import { newId } from './new-id.ts';
import type { PlatformDeps } from './platform-deps.ts';

const MS_PER_DAY = 86_400_000;
export const MAX_TOKEN_DAYS = 3650;

export interface NewToken {
  readonly name: string;
  readonly owner: TokenOwner;
  readonly scopes: readonly string[];
  readonly expiresInDays?: number | undefined;
}

export interface IssuedToken {
  readonly record: AccessTokenRecord;
  /** The secret: returned once, to the caller, and never stored or logged. */
  readonly secret: string;
}

function checkedScopes(scopes: readonly string[]): Scope[] {
  if (scopes.length === 0) throw invalidRequest('A token needs at least one scope.');
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) throw invalidRequest(`Unknown scope: ${unknown.join(', ')}.`);
  return [...new Set(scopes as Scope[])];
}

function checkedExpiry(days: number | undefined, nowMs: number): number | null {
  if (days === undefined) return null;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    throw invalidRequest(`expiresInDays must be an integer from 1 to ${MAX_TOKEN_DAYS}.`);
  }
  return nowMs + days * MS_PER_DAY;
}

function ownerRef(owner: TokenOwner): OwnerRef {
  return owner.kind === 'user'
    ? { kind: 'user', id: owner.id, name: owner.name, email: owner.email }
    : { kind: 'service_account', id: owner.id, name: owner.name };
}

function tokenRef(record: AccessTokenRecord) {
  return {
    id: record.id,
    name: record.name,
    scopes: [...record.scopes],
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
  };
}

/** A token record and its secret, not yet written. */
export function prepareToken(clock: Clock, orgId: string, input: NewToken): IssuedToken {
  const now = clock.now();
  const secret = generateTokenSecret();
  const record: AccessTokenRecord = {
    orgId,
    id: newId(),
    name: displayName(input.name, 'A token name'),
    hash: hashToken(secret),
    ownerKind: input.owner.kind,
    ownerId: input.owner.id,
    scopes: checkedScopes(input.scopes),
    createdAt: now,
    expiresAt: checkedExpiry(input.expiresInDays, now),
    revokedAt: null,
    lastUsedAt: null,
    useLoggedAt: null,
  };
  return { record, secret };
}

/** Writes the token (its hash, never the secret) and its event in the caller's transaction. */
export async function addToken(tx: Transaction, context: RequestContext, record: AccessTokenRecord, owner: TokenOwner): Promise<void> {
  await tx.createToken(record);
  tx.record(record.orgId, draftEvent('token.created', context, { token: tokenRef(record), owner: ownerRef(owner) }));
}

export async function issueToken(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string,
  input: NewToken,
): Promise<IssuedToken> {
  const issued = prepareToken(deps.clock, orgId, input);
  await deps.store.transact((tx) => addToken(tx, context, issued.record, input.owner));
  return issued;
}

/** Revokes a token of the org (any org when `orgId` is null: the operator). A second revoke changes nothing. */
export async function revokeToken(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string | null,
  tokenId: string,
): Promise<AccessTokenRecord> {
  return deps.store.transact(async (tx) => {
    const record = await tx.tokenById(orgId, tokenId);
    if (record === null) throw notFound('The token');
    const at = deps.clock.now();
    if (!(await tx.revokeToken(record.orgId, record.id, at))) return record;
    const owner = await tokenOwner(tx, record);
    tx.record(
      record.orgId,
      draftEvent('token.revoked', context, { token: tokenRef(record), owner: ownerRef(owner) }),
    );
    return { ...record, revokedAt: at };
  });
}

/** The token's owner, whether a member or a service account. */
export async function tokenOwner(reads: PlatformReads | Transaction, record: AccessTokenRecord): Promise<TokenOwner> {
  if (record.ownerKind === 'service_account') {
    const account = await reads.serviceAccountById(record.orgId, record.ownerId);
    if (account === null) throw new Error(`token ${record.id} has no owner`);
    return serviceAccountOwner(account);
  }
  const member = await reads.memberById(record.orgId, record.ownerId);
  if (member === null) throw new Error(`token ${record.id} has no owner`);
  return memberOwner(member);
}

/** A token as the API and CLI show it: never its hash, never its secret. */
export function tokenView(record: AccessTokenRecord, owner: TokenOwner): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: record.id,
    name: record.name,
    scopes: record.scopes,
    owner: ownerRef(owner),
    createdAt: iso(record.createdAt),
    expiresAt: iso(record.expiresAt),
    lastUsedAt: iso(record.lastUsedAt),
    revokedAt: iso(record.revokedAt),
  };
}

/**
 * The org's tokens with their owners, named from one read of the members and the service
 * accounts: a read per token would make the list's cost grow twice with the org.
 */
export async function listTokens(deps: PlatformDeps, orgId: string): Promise<Record<string, unknown>[]> {
  const reads = deps.store.platform;
  const [records, members, accounts] = await Promise.all([reads.tokens(orgId), reads.members(orgId), reads.serviceAccounts(orgId)]);
  const owners = new Map<string, TokenOwner>([
    ...accounts.map((account): [string, TokenOwner] => [`service_account:${account.id}`, serviceAccountOwner(account)]),
    ...members.map((member): [string, TokenOwner] => [`user:${member.id}`, memberOwner(member)]),
  ]);
  return Promise.all(
    records.map(async (record) => tokenView(record, owners.get(`${record.ownerKind}:${record.ownerId}`) ?? (await tokenOwner(reads, record)))),
  );
}
