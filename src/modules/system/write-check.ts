/**
 * Whether the database accepts a write, for /health: one committed row in system_settings, the time of the
 * last check. A ping (select 1) still answers when the database refuses writes (a full disk, a server
 * turned read-only or a standby after a failover), which is exactly when kloe cannot work.
 */
import type { Database } from '../../db/database.js';
import { systemSettings } from './system.tables.js';

const KEY = 'health_write_check';

export async function checkDatabaseWrites(db: Database): Promise<void> {
  const value = new Date().toISOString();
  await db
    .insert(systemSettings)
    .values({ key: KEY, value })
    .onConflictDoUpdate({ target: systemSettings.key, set: { value } });
}
