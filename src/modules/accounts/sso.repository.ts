/**
 * Single sign-on's rows: sign-ins in progress (in better-auth's verifications table, used once and
 * deleted) and the provider identities linked to people (in accounts, provider id `oidc`).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { accounts, verifications } from './accounts.tables.js';

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
