import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { preparedOnce } from '../../db/prepared.js';
import { organisations } from '../../db/schema.js';
import { accounts, apiTokens, sessions, users, type Role, type TokenScope } from './accounts.tables.js';

export type UserRow = typeof users.$inferSelect;

export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

export async function listUsers(db: Database): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.name));
}

export async function countUsersWithRole(db: Database, role: Role): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(users)
    .where(and(eq(users.role, role), isNull(users.disabledAt)));
  return row?.n ?? 0;
}

export async function insertUser(
  db: Database,
  values: { id: string; name: string; email: string; role: Role; organisationId: string | null },
): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ ...values, email: values.email.toLowerCase(), emailVerified: true })
    .returning();
  return row!;
}

export async function updateUser(
  db: Database,
  id: string,
  values: Partial<
    Pick<UserRow, 'name' | 'email' | 'role' | 'organisationId' | 'disabledAt' | 'failedSignIns' | 'lockedUntil'>
  >,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/** Sets (or replaces) the argon2id hash of a person's password. */
export async function setPasswordHash(db: Database, userId: string, passwordHash: string): Promise<void> {
  const now = new Date();
  const updated = await db
    .update(accounts)
    .set({ password: passwordHash, updatedAt: now })
    .where(and(eq(accounts.userId, userId), eq(accounts.providerId, 'credential')))
    .returning({ id: accounts.id });
  if (updated.length === 0) {
    await db.insert(accounts).values({
      id: crypto.randomUUID(),
      accountId: userId,
      providerId: 'credential',
      userId,
      password: passwordHash,
      createdAt: now,
      updatedAt: now,
    });
  }
}

export async function deleteSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function deleteSessionsOf(db: Database, userId: string): Promise<number> {
  const deleted = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  return deleted.length;
}

/** A live (unrevoked, unexpired) token with what an actor is made of: every API request reads this, so it reads nothing more. */
export async function findActiveToken(db: Database, tokenHash: string) {
  const query = preparedOnce(db, 'active_api_token', (db) =>
    db
      .select({
        tokenId: apiTokens.id,
        lastUsedAt: apiTokens.lastUsedAt,
        scope: apiTokens.scope,
        expiresAt: apiTokens.expiresAt,
        user: {
          id: users.id,
          email: users.email,
          name: users.name,
          role: users.role,
          organisationId: users.organisationId,
          disabledAt: users.disabledAt,
        },
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(
        and(
          eq(apiTokens.tokenHash, sql.placeholder('tokenHash')),
          isNull(apiTokens.revokedAt),
          gt(apiTokens.expiresAt, sql`now()`),
        ),
      )
      .prepare('active_api_token'),
  );
  const [row] = await query.execute({ tokenHash });
  return row;
}

/** Records a token's use, at most once a minute, so that busy integrations do not write on every request. */
export async function touchToken(db: Database, tokenId: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(apiTokens.id, tokenId),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

export async function insertToken(
  db: Database,
  values: { userId: string; name: string; prefix: string; tokenHash: string; scope: TokenScope; expiresAt: Date },
) {
  const [row] = await db.insert(apiTokens).values(values).returning();
  return row!;
}

export async function listTokensOf(db: Database, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scope: apiTokens.scope,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(asc(apiTokens.createdAt));
}

export async function revokeToken(db: Database, userId: string, tokenId: string) {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  return row;
}

/** Revokes every live token of a person (their password was reset, or they were disabled); returns how many. */
export async function revokeTokensOf(db: Database, userId: string): Promise<number> {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return revoked.length;
}

/** Organisations to choose from when giving someone a role in one (the select list on the people pages). */
export async function listOrganisationChoices(db: Database) {
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .orderBy(asc(organisations.name));
}

export async function organisationExists(db: Database, id: string): Promise<boolean> {
  const [row] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, id));
  return row !== undefined;
}

export async function findOrganisationIdByCode(db: Database, code: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.code, code.toUpperCase()));
  return row?.id;
}
