// The platform's records in a store, by topic. Reads inside a transaction see its own writes; every
// write happens inside a transaction (see Store.transact). Unique constraints refuse a write with
// UniqueViolationError.
import type {
  AccessTokenRecord,
  Access,
  AuthSettings,
  Group,
  Invitation,
  LoginThrottle,
  Member,
  Org,
  PermissionSubject,
  Resource,
  Role,
  Scope,
  ServiceAccount,
  SessionRecord,
} from '../platform-model.ts';
import type { FailureFold } from '../failure-folding.ts';

export interface NewToken {
  readonly orgId: string;
  readonly id: string;
  readonly name: string;
  readonly hash: string;
  readonly ownerKind: AccessTokenRecord['ownerKind'];
  readonly ownerId: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: number;
  readonly expiresAt: number | null;
}

export interface OrgReads {
  countOrgs(): Promise<number>;
  orgById(orgId: string): Promise<Org | null>;
  orgBySlug(slug: string): Promise<Org | null>;
  /** The org's login settings; the defaults when never changed. */
  authSettings(orgId: string): Promise<AuthSettings>;
  /** Reads a setting of the whole installation, or null. */
  readSetting(key: string): Promise<Buffer | null>;
}

export interface OrgWrites {
  /** Creates the org and its event head (seq 0). Fails with a unique violation on a taken slug. */
  createOrg(org: Org): Promise<void>;
  setSecurityLogEnabled(orgId: string, enabled: boolean): Promise<void>;
  setAuthSettings(orgId: string, settings: AuthSettings): Promise<void>;
  /** Reads a setting, creating it with `create()` when absent. */
  setting(key: string, create: () => Buffer): Promise<Buffer>;
}

export interface MemberReads {
  memberById(orgId: string, userId: string): Promise<Member | null>;
  memberByEmail(orgId: string, email: string): Promise<Member | null>;
  /** The org's members, oldest first. */
  members(orgId: string): Promise<Member[]>;
}

export interface MemberWrites {
  createMember(member: Member): Promise<void>;
  setMemberRole(orgId: string, userId: string, role: Role): Promise<void>;
  setMemberPrivileges(orgId: string, userId: string, privileges: readonly string[]): Promise<void>;
}

export interface CredentialReads {
  serviceAccountById(orgId: string, id: string): Promise<ServiceAccount | null>;
  serviceAccountByName(orgId: string, name: string): Promise<ServiceAccount | null>;
  serviceAccounts(orgId: string): Promise<ServiceAccount[]>;
  tokenByHash(hash: string): Promise<AccessTokenRecord | null>;
  /** A token by id; in any org when `orgId` is null (the operator's CLI). */
  tokenById(orgId: string | null, id: string): Promise<AccessTokenRecord | null>;
  tokens(orgId: string): Promise<AccessTokenRecord[]>;
}

export interface CredentialWrites {
  createServiceAccount(account: ServiceAccount): Promise<void>;
  createToken(token: NewToken): Promise<void>;
  /** Sets revokedAt unless already set; true when this call revoked it. */
  revokeToken(orgId: string, id: string, at: number): Promise<boolean>;
  /** Records a use; true when the last logged use is at or before `logIfBefore` (or none), and marks it logged now. */
  touchToken(orgId: string, id: string, at: number, logIfBefore: number): Promise<boolean>;
}

export interface SessionReads {
  sessionByHash(hash: string): Promise<SessionRecord | null>;
}

export interface SessionWrites {
  createSession(session: SessionRecord): Promise<void>;
  /** Moves lastSeenAt forward (never back). */
  touchSession(orgId: string, id: string, at: number): Promise<void>;
  /** Sets revokedAt unless already set; true when this call revoked it. */
  revokeSession(orgId: string, id: string, at: number): Promise<boolean>;
}

export interface InvitationReads {
  invitationByHash(hash: string): Promise<Invitation | null>;
  /** The newest invitation for the email that is neither accepted nor expired at `now`. */
  pendingInvitation(orgId: string, email: string, now: number): Promise<Invitation | null>;
  /** The org's invitations neither accepted nor expired at `now`, newest first. */
  pendingInvitations(orgId: string, now: number): Promise<Invitation[]>;
}

export interface InvitationWrites {
  createInvitation(invitation: Invitation): Promise<void>;
  /** Marks it accepted by the user unless already accepted; true when this call accepted it. */
  acceptInvitation(orgId: string, id: string, at: number, userId: string): Promise<boolean>;
}

export interface GroupReads {
  groupById(orgId: string, id: string): Promise<Group | null>;
  groups(orgId: string): Promise<Group[]>;
  /** The user ids in the group, in no particular order. */
  groupMemberIds(orgId: string, groupId: string): Promise<string[]>;
}

export interface GroupWrites {
  createGroup(group: Group): Promise<void>;
  /** Adds the users not yet in the group and removes the given ones; unknown ids are the caller's concern. */
  changeGroupMembers(orgId: string, groupId: string, add: readonly string[], remove: readonly string[]): Promise<void>;
}

export interface ResourceReads {
  resourceById(orgId: string, id: string): Promise<Resource | null>;
  resources(orgId: string): Promise<Resource[]>;
  /** The subject's access to the resource, or null for none. */
  permission(orgId: string, resourceId: string, subject: PermissionSubject): Promise<Access | null>;
  /** Every subject with access to the resource: users first, then groups, each by id. */
  resourcePermissions(orgId: string, resourceId: string): Promise<Grant[]>;
}

/** A subject's access to a resource, as stored. */
export interface Grant {
  readonly subject: PermissionSubject;
  readonly access: Access;
}

export interface ResourceWrites {
  createResource(resource: Resource): Promise<void>;
  /** Sets the subject's access; null removes it. */
  setPermission(orgId: string, resourceId: string, subject: PermissionSubject, access: Access | null): Promise<void>;
}

/** An SSO sign-in between its start and its callback: single use, bound to the browser's cookie. */
export interface SsoAttempt {
  readonly orgId: string;
  /** SHA-256 of the handle in the browser's cookie. */
  readonly hash: string;
  readonly provider: string;
  readonly state: string;
  readonly nonce: string;
  /** The PKCE code verifier, sealed. */
  readonly sealedVerifier: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The client that started it (its address, an IPv6 client by its /64); null when unknown. */
  readonly clientKey: string | null;
}

export interface SsoAttemptWrites {
  /**
   * Writes the attempt, removes expired ones, and keeps at most `keepPerClient` open for its
   * (org, client): the oldest go, so no client can grow the table by starting sign-ins.
   */
  createSsoAttempt(attempt: SsoAttempt, keepPerClient: number): Promise<void>;
  /** Removes and returns the attempt; null when unknown or already used, so each is used once. */
  takeSsoAttempt(hash: string): Promise<SsoAttempt | null>;
}

/** The scope of sign-in counts that span every org (an address's failures), instead of an org id. */
export const INSTALLATION_WIDE = '*';

export interface ThrottleReads {
  loginThrottle(orgId: string, key: string): Promise<LoginThrottle | null>;
}

export interface ThrottleWrites {
  setLoginThrottle(orgId: string, key: string, state: LoginThrottle | null): Promise<void>;
  /**
   * Deletes the counts of every key whose last failure and block both ended before `before`, and
   * returns how many went: counts of addresses and emails that stopped failing do not pile up.
   */
  sweepLoginThrottle(before: number): Promise<number>;
}

/** The windows of failure-event flood protection (see core/failure-folding.ts). Transaction only. */
export interface FailureFoldWrites {
  /**
   * The key's window, or null. Holds the key until the transaction ends, so that servers sharing
   * the store fold one key's failures one at a time and never count an attempt twice.
   */
  failureFold(orgId: string, key: string): Promise<FailureFold | null>;
  /** Writes the key's window, replacing the one stored. */
  saveFailureFold(fold: FailureFold): Promise<void>;
  deleteFailureFold(orgId: string, key: string): Promise<void>;
  /** Up to `limit` keys whose window started before `startedBefore`, oldest first. */
  failureFoldsStartedBefore(startedBefore: number, limit: number): Promise<{ orgId: string; key: string }[]>;
}

/** How far an org's days are sealed: the sealer's to-do list. */
export interface SealProgress {
  readonly orgId: string;
  readonly createdAt: number;
  /** The org's last sealed epoch day (the newest digest); null before its first. */
  readonly lastSealedDay: number | null;
}

/** A signing key the installation has used, as recorded when a server first signed with it. */
export interface SigningKeyRecord {
  readonly keyId: string;
  /** Base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string;
  readonly validFrom: number;
  readonly validUntil: number | null;
  /** For a rotated-in key: its KeyAnnouncement as JSON, signed by the key before it. */
  readonly announcement: string | null;
}

/**
 * What sealing keeps of a day's tree, so that a proof re-hashes one chunk of `chunkSize` leaves (a
 * power of two) only: the chunk roots and the nodes above them, 32-byte hashes end to end, laid
 * out by core/integrity/chunked-tree.ts.
 */
export interface DayTreeNodes {
  readonly chunkSize: number;
  readonly nodes: Buffer;
}

/** Some of the nodes kept of a day's tree: those at the positions asked, in that order. */
export interface KeptTreeNodes {
  readonly chunkSize: number;
  /** How many nodes are kept in all. */
  readonly nodeCount: number;
  /** Each 32 bytes; shorter when the position is past the last node. */
  readonly nodes: readonly Buffer[];
}

export interface SealReads {
  /** Every org with how far its days are sealed. */
  sealProgress(): Promise<SealProgress[]>;
  /** The stored digest of the org's day (its RFC 8785 JSON), or null when the day is not sealed. */
  digestJson(orgId: string, epochDay: number): Promise<string | null>;
  /**
   * The nodes kept of the org's sealed day's tree at these positions (reading those, not the whole
   * tree); null when none were kept (a day sealed before they were).
   */
  dayTreeNodes(orgId: string, epochDay: number, positions: readonly number[]): Promise<KeptTreeNodes | null>;
  /** Every key ever recorded, oldest first. */
  signingKeys(): Promise<SigningKeyRecord[]>;
}

export interface SealWrites {
  /**
   * Closes the org's days up to this one: from now on no event is stamped on or before it (the
   * appender's floor moves to the next day). Waits for the org's appends under way. Never moves back.
   */
  closeDaysThrough(orgId: string, epochDay: number): Promise<void>;
  /** Stores the day's digest unless one exists; true when this call stored it. Digests are never changed. */
  saveDigest(orgId: string, epochDay: number, digestJson: string): Promise<boolean>;
  /** Stores the day's tree nodes unless some are stored; true when this call stored them. Never changed. */
  saveDayTreeNodes(orgId: string, epochDay: number, tree: DayTreeNodes): Promise<boolean>;
  /** Records a key (if new) valid from `at`, and ends every other open key's validity at `at`. */
  useSigningKey(key: Pick<SigningKeyRecord, 'keyId' | 'publicKey' | 'announcement'>, at: number): Promise<void>;
}

export interface PlatformReads
  extends OrgReads,
    SealReads,
    MemberReads,
    CredentialReads,
    SessionReads,
    InvitationReads,
    GroupReads,
    ResourceReads,
    ThrottleReads {}

export interface PlatformWrites
  extends OrgWrites,
    SealWrites,
    MemberWrites,
    CredentialWrites,
    SessionWrites,
    InvitationWrites,
    GroupWrites,
    ResourceWrites,
    ThrottleWrites,
    FailureFoldWrites,
    SsoAttemptWrites {}
