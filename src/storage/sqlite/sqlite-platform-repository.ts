// Platform tables on SQLite. One instance per connection: on the read connection it serves
// committed reads, on the write connection it also runs inside the caller's transaction.
import type Database from 'better-sqlite3';
import type { NewToken, PlatformReads, PlatformWrites } from '../../core/ports/store.ts';
import type { AccessTokenRecord, Member, Org, Role, Scope, ServiceAccount } from '../../core/platform-model.ts';
import { UniqueViolationError } from '../../core/ports/store.ts';

interface OrgRow {
  id: string;
  slug: string;
  name: string;
  security_log_enabled: number;
  created_at: number;
}
interface MemberRow {
  org_id: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  created_at: number;
}
interface ServiceAccountRow {
  org_id: string;
  id: string;
  name: string;
  role: Role;
  created_at: number;
}
interface TokenRow {
  org_id: string;
  id: string;
  name: string;
  hash: string;
  owner_kind: 'user' | 'service_account';
  owner_id: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  use_logged_at: number | null;
}

const toOrg = (row: OrgRow): Org => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  securityLogEnabled: row.security_log_enabled === 1,
  createdAt: row.created_at,
});
const toMember = (row: MemberRow): Member => ({
  orgId: row.org_id,
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
});
const toServiceAccount = (row: ServiceAccountRow): ServiceAccount => ({
  orgId: row.org_id,
  id: row.id,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
});
const toToken = (row: TokenRow): AccessTokenRecord => ({
  orgId: row.org_id,
  id: row.id,
  name: row.name,
  hash: row.hash,
  ownerKind: row.owner_kind,
  ownerId: row.owner_id,
  scopes: JSON.parse(row.scopes) as Scope[],
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
  useLoggedAt: row.use_logged_at,
});

function translateUnique(error: unknown): never {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    throw new UniqueViolationError((error as Error).message, { cause: error });
  }
  throw error;
}

export class SqlitePlatformRepository implements PlatformReads, PlatformWrites {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- names the row type a query returns
  private one<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  private run(sql: string, ...params: unknown[]): number {
    try {
      return this.statement(sql).run(...params).changes;
    } catch (error) {
      return translateUnique(error);
    }
  }

  async countOrgs(): Promise<number> {
    return this.one<{ n: number }>('SELECT count(*) AS n FROM orgs')?.n ?? 0;
  }

  async orgById(orgId: string): Promise<Org | null> {
    const row = this.one<OrgRow>('SELECT * FROM orgs WHERE id = ?', orgId);
    return row === undefined ? null : toOrg(row);
  }

  async orgBySlug(slug: string): Promise<Org | null> {
    const row = this.one<OrgRow>('SELECT * FROM orgs WHERE slug = ?', slug);
    return row === undefined ? null : toOrg(row);
  }

  async memberById(orgId: string, userId: string): Promise<Member | null> {
    const row = this.one<MemberRow>('SELECT * FROM members WHERE org_id = ? AND id = ?', orgId, userId);
    return row === undefined ? null : toMember(row);
  }

  async memberByEmail(orgId: string, email: string): Promise<Member | null> {
    const row = this.one<MemberRow>('SELECT * FROM members WHERE org_id = ? AND email = ?', orgId, email);
    return row === undefined ? null : toMember(row);
  }

  async serviceAccountById(orgId: string, id: string): Promise<ServiceAccount | null> {
    const row = this.one<ServiceAccountRow>('SELECT * FROM service_accounts WHERE org_id = ? AND id = ?', orgId, id);
    return row === undefined ? null : toServiceAccount(row);
  }

  async serviceAccountByName(orgId: string, name: string): Promise<ServiceAccount | null> {
    const row = this.one<ServiceAccountRow>(
      'SELECT * FROM service_accounts WHERE org_id = ? AND name = ?',
      orgId,
      name,
    );
    return row === undefined ? null : toServiceAccount(row);
  }

  async serviceAccounts(orgId: string): Promise<ServiceAccount[]> {
    return this.all<ServiceAccountRow>(
      'SELECT * FROM service_accounts WHERE org_id = ? ORDER BY created_at, id',
      orgId,
    ).map(toServiceAccount);
  }

  async tokenByHash(hash: string): Promise<AccessTokenRecord | null> {
    const row = this.one<TokenRow>('SELECT * FROM access_tokens WHERE hash = ?', hash);
    return row === undefined ? null : toToken(row);
  }

  async tokenById(orgId: string | null, id: string): Promise<AccessTokenRecord | null> {
    const row =
      orgId === null
        ? this.one<TokenRow>('SELECT * FROM access_tokens WHERE id = ?', id)
        : this.one<TokenRow>('SELECT * FROM access_tokens WHERE org_id = ? AND id = ?', orgId, id);
    return row === undefined ? null : toToken(row);
  }

  async tokens(orgId: string): Promise<AccessTokenRecord[]> {
    return this.all<TokenRow>('SELECT * FROM access_tokens WHERE org_id = ? ORDER BY created_at, id', orgId).map(
      toToken,
    );
  }

  async createOrg(org: Org): Promise<void> {
    this.run(
      'INSERT INTO orgs (id, slug, name, security_log_enabled, created_at) VALUES (?, ?, ?, ?, ?)',
      org.id,
      org.slug,
      org.name,
      org.securityLogEnabled ? 1 : 0,
      org.createdAt,
    );
    this.run('INSERT INTO org_heads (org_id, last_seq, last_ts) VALUES (?, 0, 0)', org.id);
  }

  async setSecurityLogEnabled(orgId: string, enabled: boolean): Promise<void> {
    this.run('UPDATE orgs SET security_log_enabled = ? WHERE id = ?', enabled ? 1 : 0, orgId);
  }

  async createMember(member: Member): Promise<void> {
    this.run(
      'INSERT INTO members (org_id, id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      member.orgId,
      member.id,
      member.email,
      member.name,
      member.role,
      member.passwordHash,
      member.createdAt,
    );
  }

  async createServiceAccount(account: ServiceAccount): Promise<void> {
    this.run(
      'INSERT INTO service_accounts (org_id, id, name, role, created_at) VALUES (?, ?, ?, ?, ?)',
      account.orgId,
      account.id,
      account.name,
      account.role,
      account.createdAt,
    );
  }

  async createToken(token: NewToken): Promise<void> {
    this.run(
      `INSERT INTO access_tokens (org_id, id, name, hash, owner_kind, owner_id, scopes, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      token.orgId,
      token.id,
      token.name,
      token.hash,
      token.ownerKind,
      token.ownerId,
      JSON.stringify(token.scopes),
      token.createdAt,
      token.expiresAt,
    );
  }

  async revokeToken(orgId: string, id: string, at: number): Promise<boolean> {
    return (
      this.run(
        'UPDATE access_tokens SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL',
        at,
        orgId,
        id,
      ) === 1
    );
  }

  async touchToken(orgId: string, id: string, at: number, logIfBefore: number): Promise<boolean> {
    this.run('UPDATE access_tokens SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE org_id = ? AND id = ?', at, orgId, id);
    return (
      this.run(
        `UPDATE access_tokens SET use_logged_at = ?
         WHERE org_id = ? AND id = ? AND (use_logged_at IS NULL OR use_logged_at <= ?)`,
        at,
        orgId,
        id,
        logIfBefore,
      ) === 1
    );
  }

  async setting(key: string, create: () => Buffer): Promise<Buffer> {
    const row = this.one<{ value: Buffer }>('SELECT value FROM settings WHERE key = ?', key);
    if (row !== undefined) return row.value;
    const value = create();
    this.run('INSERT INTO settings (key, value) VALUES (?, ?)', key, value);
    return value;
  }
}
