// Who is calling: an org, the member or service account acting, and the credential that proved it
// (an access token, or a person's sign-in session).
import type { Actor } from './events/envelope.ts';
import type { AccessTokenRecord, Org, Scope, SessionRecord, TokenOwner } from './platform-model.ts';

export type Credential =
  | { readonly kind: 'token'; readonly token: AccessTokenRecord }
  | { readonly kind: 'session'; readonly session: SessionRecord };

export interface Principal {
  readonly org: Org;
  readonly owner: TokenOwner;
  readonly credential: Credential;
}

export function actorOf(owner: TokenOwner): Actor {
  return owner.kind === 'user'
    ? { kind: 'user', id: owner.id, name: owner.name, email: owner.email ?? '' }
    : { kind: 'service_account', id: owner.id, name: owner.name, email: null };
}

/**
 * Scopes narrow what a token may do. A person's session is not narrowed: what a signed-in member
 * may do is decided by their role and privileges alone.
 */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.credential.kind === 'session' || principal.credential.token.scopes.includes(scope);
}
