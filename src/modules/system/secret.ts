/**
 * The secret that signs session cookies. KLOE_SECRET when given (required in production); otherwise one
 * generated on first start and kept in the database, so that every process sharing the database agrees
 * and sessions survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { systemSettings } from './system.tables.js';

const KEY = 'session_secret';

export async function resolveSecret(db: Database, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db
    .insert(systemSettings)
    .values({ key: KEY, value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(systemSettings).where(eq(systemSettings.key, KEY));
  return row!.value;
}
