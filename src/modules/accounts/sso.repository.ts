/**
 * Single sign-on's rows: sign-ins in progress (in better-auth's verifications table, used once and
 * deleted), the provider identities linked to people (in accounts, provider id `oidc`), and the sessions
 * single sign-on made (sso_sessions), for signing out at the provider and for its back-channel logout.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { accounts, sessions, ssoSessions, verifications } from './accounts.tables.js';

/** What a sign-in in progress must remember until the provider sends the person back. */
export interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  next: string;
}

const pendingKey = (state: string) => `sso-state:${state}`;

export async function savePendingSignIn(
  db: Database,
  state: string,
  pending: PendingSignIn,
  expiresAt: Date,
): Promise<void> {
  const now = new Date();
  await db.insert(verifications).values({
    id: randomUUID(),
    identifier: pendingKey(state),
    value: JSON.stringify(pending),
    expiresAt,
    createdAt: now,
    updatedAt: now,
  });
}

/** The sign-in started with this state, removed so that it can be finished only once; undefined when expired. */
export async function takePendingSignIn(db: Database, state: string): Promise<PendingSignIn | undefined> {
  const rows = await db
    .delete(verifications)
    .where(eq(verifications.identifier, pendingKey(state)))
    .returning();
  const live = rows.find((row) => row.expiresAt > new Date());
  return live ? (JSON.parse(live.value) as PendingSignIn) : undefined;
}

export async function findLinkedUserId(db: Database, providerId: string, accountId: string) {
  const [row] = await db
    .select({ userId: accounts.userId })
    .from(accounts)
    .where(and(eq(accounts.providerId, providerId), eq(accounts.accountId, accountId)));
  return row?.userId;
}

export async function insertLink(db: Database, link: { userId: string; providerId: string; accountId: string }) {
  const now = new Date();
  await db.insert(accounts).values({ id: randomUUID(), ...link, createdAt: now, updatedAt: now });
}

/** A person's linked identities at one or more providers, oldest first. */
export async function listLinks(db: Database, userId: string, providerIds: readonly string[]) {
  return db
    .select({
      id: accounts.id,
      providerId: accounts.providerId,
      accountId: accounts.accountId,
      linkedAt: accounts.createdAt,
    })
    .from(accounts)
    .where(and(eq(accounts.userId, userId), inArray(accounts.providerId, [...providerIds])))
    .orderBy(asc(accounts.createdAt));
}

export async function deleteLink(db: Database, userId: string, linkId: string, providerIds: readonly string[]) {
  const [row] = await db
    .delete(accounts)
    .where(and(eq(accounts.id, linkId), eq(accounts.userId, userId), inArray(accounts.providerId, [...providerIds])))
    .returning({ providerId: accounts.providerId, accountId: accounts.accountId });
  return row;
}

export async function insertSsoSession(db: Database, row: typeof ssoSessions.$inferInsert): Promise<void> {
  await db.insert(ssoSessions).values(row);
}

export async function findSsoSession(db: Database, sessionId: string) {
  const [row] = await db.select().from(ssoSessions).where(eq(ssoSessions.sessionId, sessionId));
  return row;
}

/**
 * Ends the sessions single sign-on made for this subject at the provider: those of one provider session
 * when `sid` is given, else all of them (OpenID Connect Back-Channel Logout 1.0, §2.5). Returns how many.
 */
export async function deleteSsoSessionsOf(db: Database, subject: string | undefined, sid: string | undefined) {
  const conditions = [
    ...(subject ? [eq(ssoSessions.subject, subject)] : []),
    ...(sid ? [eq(ssoSessions.providerSessionId, sid)] : []),
  ];
  if (conditions.length === 0) return 0;
  const matching = db
    .select({ id: ssoSessions.sessionId })
    .from(ssoSessions)
    .where(and(...conditions));
  const deleted = await db.delete(sessions).where(inArray(sessions.id, matching)).returning({ id: sessions.id });
  return deleted.length;
}
