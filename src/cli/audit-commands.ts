import { InvalidArgumentError, type Command } from 'commander';
import type { ChainAnchor } from '../modules/audit/index.js';
import { entryJson } from '../modules/audit/index.js';
import { createAuditService, type AuditFilters } from '../modules/audit/index.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a whole number of 1 or more');
  return Number(value);
}

/** "TYPE:ID" (one record) or "TYPE" (every record of a type); ids may themselves hold colons. */
function entityOption(value: string): Pick<AuditFilters, 'entityType' | 'entityId'> {
  const [type, ...rest] = value.split(':');
  if (!type) throw new InvalidArgumentError('must be TYPE:ID, e.g. user:3f2b…, or TYPE alone');
  return rest.length === 0 ? { entityType: type } : { entityType: type, entityId: rest.join(':') };
}

/** "ID:HASH", as printed by an earlier `kloe audit verify`. */
function anchorOption(value: string): ChainAnchor {
  const match = /^([1-9]\d*):([0-9a-f]{64})$/.exec(value);
  if (!match) throw new InvalidArgumentError('must be ENTRY:HASH as printed by an earlier `kloe audit verify`');
  return { entryId: Number(match[1]), hash: match[2]! };
}

export function registerAuditCommands(program: Command, cli: CliContext): void {
  const audit = program.command('audit').description('read and check the audit trail');

  audit
    .command('verify')
    .description('check the hash chain of the whole audit trail; exits 1 naming every entry edited or deleted')
    .option(
      '--anchor <entry:hash>',
      'also fail unless this entry, noted from an earlier check, is unchanged (every anchor printed in a published report is checked anyway)',
      anchorOption,
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: { anchor?: ChainAnchor; json?: boolean }) => {
      const result = await cli.withDatabase(({ db }) => createAuditService({ db }).verify({ anchor: options.anchor }));
      if (options.json) cli.printJson(result);
      const { problems } = result;
      if (problems.length > 0) {
        const where = problems.length === 1 ? '' : ` in ${problems.length} places`;
        throw new CliError(`audit trail broken${where}: ${problems.map((p) => p.message).join('; ')}`);
      }
      if (options.json) return;
      cli.stdout.write(`Audit trail intact: ${result.checked} entries checked\n`);
      if (result.head) {
        const anchor = `${result.head.entryId}:${result.head.hash}`;
        cli.stdout.write(`Keep this anchor outside kloe to detect later deletions: --anchor ${anchor}\n`);
      }
    });

  audit
    .command('list')
    .description('list audit trail entries, newest first')
    .option('--entity <type:id>', 'only entries about this record (TYPE:ID) or type of record (TYPE)', entityOption)
    .option('--actor <id>', 'only entries made by the person with this user id')
    .option('--limit <n>', 'how many entries at most', positiveInteger, 50)
    .option('--json', 'print as JSON')
    .action(async (options: { entity?: AuditFilters; actor?: string; limit: number; json?: boolean }) => {
      const filters = { ...options.entity, actorId: options.actor };
      const { entries } = await cli.withDatabase(({ db }) =>
        createAuditService({ db }).list(filters, { pageSize: options.limit }),
      );
      if (options.json) return cli.printJson(entries.map(entryJson));
      if (entries.length === 0) return void cli.stdout.write('No entries\n');
      for (const e of entries) {
        const fields = [e.id, e.at.toISOString(), e.actorLabel, e.action, `${e.entityType}:${e.entityId}`, e.reason];
        cli.stdout.write(`${fields.map((field) => field ?? '').join('\t')}\n`);
      }
    });
}
