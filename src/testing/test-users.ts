/**
 * People for tests, made straight in the database with an API token each, so that a test can call
 * any route as them through the real authentication (Authorization: Bearer …).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import * as repo from '../modules/accounts/accounts.repository.js';
import type { Role } from '../modules/accounts/accounts.tables.js';
import type { UserActor } from '../modules/accounts/actor.js';
import { generateApiToken, TOKEN_EXPIRY_DAYS } from '../modules/accounts/api-tokens.js';

export interface TestUser {
  actor: UserActor;
  token: string;
  /** Headers for app.inject. */
  headers: { authorization: string };
}

export async function createTestUser(
  db: Database,
  role: Role,
  options: { organisationId?: string | null; name?: string; email?: string } = {},
): Promise<TestUser> {
  const id = randomUUID();
  const user = await repo.insertUser(db, {
    id,
    name: options.name ?? `Test ${role}`,
    email: options.email ?? `${role}-${id.slice(0, 8)}@example.test`,
    role,
    organisationId: options.organisationId ?? null,
  });
  return withToken(db, user);
}

/** Someone already in the database (a demo person, say) with an API token, to call routes as them. */
export async function existingTestUser(db: Database, email: string): Promise<TestUser> {
  const user = await repo.findUserByEmail(db, email);
  if (!user) throw new Error(`no user ${email}`);
  return withToken(db, user);
}

async function withToken(
  db: Database,
  user: Pick<UserActor, 'email' | 'name' | 'role' | 'organisationId'> & { id: string },
): Promise<TestUser> {
  const { token, prefix, tokenHash } = generateApiToken();
  // Read and write for a year, the longest a token may live: tests call every route as these people.
  const expiresAt = new Date(Date.now() + TOKEN_EXPIRY_DAYS.max * 86_400_000);
  await repo.insertToken(db, { userId: user.id, name: 'test', prefix, tokenHash, scope: 'write', expiresAt });
  return {
    actor: {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organisationId: user.organisationId,
      via: 'token',
      sessionId: null,
      token: { scope: 'write', expiresAt },
    },
    token,
    headers: { authorization: `Bearer ${token}` },
  };
}
