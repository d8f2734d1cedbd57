// The shapes the console reads from the HTTP API (docs/api.md).
export interface Me {
  readonly user: { readonly id: string; readonly name: string; readonly email: string | null; readonly role: string; readonly privileges: string[] };
  readonly org: {
    readonly id: string;
    readonly slug: string;
    readonly name: string;
    readonly securityLogEnabled: boolean;
    /** When the org was made (ISO 8601, UTC): its log starts on that day. */
    readonly createdAt: string;
  };
  readonly via: 'session' | 'token';
  readonly csrfToken?: string;
}

export interface Ref {
  readonly kind?: string;
  readonly id?: string;
  readonly name?: string;
  readonly email?: string | null;
}

export interface Token {
  readonly id: string;
  readonly name: string;
  readonly scopes: string[];
  readonly owner: Ref;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface ServiceAccount {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly createdAt: string;
}

export interface Member {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly privileges: string[];
}

export interface PendingInvitation {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  readonly invitedBy: Ref;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface Grant {
  readonly subject: { readonly kind: 'user' | 'group'; readonly id: string; readonly name: string };
  readonly access: string;
}

export interface Group {
  readonly id: string;
  readonly name: string;
  readonly members: Ref[];
  readonly createdAt: string;
}

export interface Resource {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface Provider {
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
}

export interface AuthSettings {
  readonly plainLogin: boolean;
  readonly googleOAuth: boolean;
  readonly sso: { readonly providers: Provider[] } | null;
}

export interface TrailEvent {
  readonly id: string;
  readonly seq: number;
  readonly timestamp: string;
  readonly type: string;
  readonly category: string;
  readonly outcome: string;
  readonly actor?: Ref | null;
  readonly user?: Ref | null;
  readonly ipAddress?: string | null;
  readonly userAgent?: string | null;
  readonly endpoint?: string | null;
  readonly details?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface List<T> {
  readonly result: T[];
}
