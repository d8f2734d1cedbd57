// Who is calling: an authenticated access token, its org and its owner, and the actor that events
// name for it.
import type { Actor } from './events/envelope.ts';
import type { AccessTokenRecord, Org, Scope, TokenOwner } from './platform-model.ts';

export interface Principal {
  readonly org: Org;
  readonly token: AccessTokenRecord;
  readonly owner: TokenOwner;
}

export function actorOf(owner: TokenOwner): Actor {
  return owner.kind === 'user'
    ? { kind: 'user', id: owner.id, name: owner.name, email: owner.email ?? '' }
    : { kind: 'service_account', id: owner.id, name: owner.name, email: null };
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.token.scopes.includes(scope);
}
