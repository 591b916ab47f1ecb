/**
 * `kloe backup FILE` and `kloe restore FILE` for the embedded database: one file holding the database and the
 * evidence files, checked file by file on restore, then the audit trail verified. While kloe serves, the backup
 * is made by the serving process (src/backup/backup-socket.ts); otherwise by this one, on the folder directly.
 * On PostgreSQL, docs/operations.md says how to use pg_dump with the evidence folder instead.
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { BackupError } from '../backup/backup-error.js';
import { backupServerListening, requestBackup } from '../backup/backup-socket.js';
import { restoreBackup } from '../backup/restore-backup.js';
import { writeBackup } from '../backup/write-backup.js';
import type { Config } from '../config.js';
import { openDatabase } from '../db/client.js';
import { createAuditService } from '../modules/audit/index.js';

function embeddedOnly(config: Config, command: string): void {
  if (config.databaseUrl) {
    throw new BackupError(
      `kloe ${command} is for the embedded database; with DATABASE_URL use pg_dump and copy the evidence folder (docs/operations.md, Backups)`,
    );
  }
  if (config.evidence.s3) {
    throw new BackupError(
      `kloe ${command} copies the evidence folder; with KLOE_EVIDENCE_STORE back up the bucket with the store’s own tools (docs/deployment.md)`,
    );
  }
}

/** Writes the backup to `out`: asked of the serving kloe when there is one, else made here. */
async function backUp(config: Config, out: Writable): Promise<void> {
  if (await backupServerListening(config.dataDir)) return requestBackup(config.dataDir, out);
  // Not migrated: a backup taken before an upgrade must hold the database as the old version left it.
  const database = await openDatabase({ dataDir: config.dataDir, migrate: false });
  try {
    await writeBackup({ dumpDatabase: () => database.dumpDataDir!(), evidenceDir: config.evidence.dir }, out);
  } finally {
    await database.close();
  }
}

/** Makes the database from the backup's dump and checks its audit trail; a broken chain refuses the restore. */
async function openAndVerify(config: Config, dump: Blob) {
  const database = await openDatabase({ dataDir: config.dataDir, startFrom: dump });
  try {
    const result = await createAuditService({ db: database.db }).verify();
    if (result.problems.length > 0)
      throw new BackupError(`audit trail broken: ${result.problems.map((p) => p.message).join('; ')}`);
    return result;
  } finally {
    await database.close();
  }
}

export function registerBackupCommands(program: Command, cli: CliContext): void {
  program
    .command('backup')
    .description('back up the embedded database and the evidence files into one file, while kloe serves or not')
    .argument('<file>', 'the backup file to write (it must not exist)')
    .action(async (file: string) => {
      const config = cli.config();
      embeddedOnly(config, 'backup');
      if (fs.existsSync(file)) throw new BackupError(`${file} already exists; name a new file`);
      // Written under another name and renamed when complete: a file named FILE is always a whole backup.
      const partial = `${file}.part`;
      let out: fs.WriteStream;
      try {
        out = fs.createWriteStream(partial, { flags: 'wx' });
        await new Promise((resolve, reject) => out.once('open', resolve).once('error', reject));
      } catch (error) {
        throw new BackupError(`cannot write ${partial}: ${(error as NodeJS.ErrnoException).code}`);
      }
      try {
        await backUp(config, out);
        fs.renameSync(partial, file);
      } catch (error) {
        out.destroy();
        fs.rmSync(partial, { force: true });
        throw error;
      }
      cli.stdout.write(`Backed up ${config.dataDir} to ${file} (${fs.statSync(file).size} bytes)\n`);
    });

  program
    .command('restore')
    .description('restore a backup into an empty DATA_DIR, checking every file’s SHA-256 and the audit trail')
    .argument('<file>', 'the backup file written by kloe backup')
    .action(async (file: string) => {
      const config = cli.config();
      embeddedOnly(config, 'restore');
      const { manifest, checked } = await restoreBackup(
        file,
        { dataDir: config.dataDir, evidenceDir: config.evidence.dir },
        (dump) => openAndVerify(config, dump),
      );
      const evidence = manifest.files.length - 1;
      cli.stdout.write(
        `Restored ${file} (made ${manifest.createdAt}) into ${config.dataDir}: the database and ${evidence} evidence files, every SHA-256 checked; audit trail intact: ${checked.checked} entries checked\n`,
      );
    });
}
