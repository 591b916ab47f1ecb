import { randomBytes } from 'node:crypto';
import { Option, type Command } from 'commander';
import { ROLES, type Role } from '../db/schema.js';
import { createAccountsService, publicUser, type AccountsService } from '../modules/accounts/index.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

const roleOption = () => new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory();
const by = (command: string) => ({ kind: 'system', label: `kloe user ${command}` }) as const;
/** A password for someone who has none yet: 144 random bits, shown once. */
const generatedPassword = () => randomBytes(18).toString('base64url');

async function person(accounts: AccountsService, email: string) {
  const user = await accounts.findByEmail(email);
  if (!user) throw new CliError(`no person with the email address ${email}`);
  return user;
}

async function organisationId(accounts: AccountsService, code: string | undefined): Promise<string | null> {
  if (!code) return null;
  const id = await accounts.organisationIdByCode(code);
  if (!id) throw new CliError(`no organisation with the code ${code}`);
  return id;
}

export function registerUserCommands(program: Command, cli: CliContext): void {
  const user = program.command('user').description('manage the people who can sign in');

  user
    .command('create')
    .description('add a person (prints a generated password unless --password is given)')
    .requiredOption('--email <email>', 'their email address')
    .requiredOption('--name <name>', 'their full name')
    .addOption(roleOption())
    .option('--organisation <code>', 'code of their organisation (organisation members and viewers)')
    .option('--password <password>', 'their password (12+ characters, not a common one)')
    .action(async (options: { email: string; name: string; role: Role; organisation?: string; password?: string }) => {
      const password = options.password ?? generatedPassword();
      const created = await cli.withDatabase(async ({ db }) => {
        const accounts = createAccountsService({ db });
        return accounts.create(
          { ...options, organisationId: await organisationId(accounts, options.organisation), password },
          by('create'),
        );
      });
      cli.stdout.write(`Created ${created.email} (${created.role})`);
      cli.stdout.write(options.password ? '\n' : ` with the password ${password}\n`);
    });

  user
    .command('list')
    .description('list everyone who can sign in')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const people = await cli.withDatabase(({ db }) => createAccountsService({ db }).list());
      if (options.json) return cli.printJson(people.map(publicUser));
      for (const p of people) {
        const status = p.disabledAt ? 'disabled' : 'active';
        cli.stdout.write(`${p.email}\t${p.role}\t${status}\t${p.name}\n`);
      }
    });

  user
    .command('set-role')
    .description('change a person’s role')
    .argument('<email>', 'their email address')
    .argument('<role>', `one of ${ROLES.join(', ')}`)
    .option('--organisation <code>', 'code of their organisation (organisation members and viewers)')
    .option('--reason <reason>', 'why, for the audit trail')
    .action(async (email: string, role: string, options: { organisation?: string; reason?: string }) => {
      if (!ROLES.includes(role as Role)) throw new CliError(`"${role}" is not a role: use one of ${ROLES.join(', ')}`);
      await cli.withDatabase(async ({ db }) => {
        const accounts = createAccountsService({ db });
        const target = await person(accounts, email);
        const org = await organisationId(accounts, options.organisation);
        await accounts.setRole(target.id, role as Role, org, by('set-role'), options.reason);
      });
      cli.stdout.write(`${email} is now ${role}\n`);
    });

  user
    .command('reset-password')
    .description('set a new password (prints a generated one unless --password is given); ends their sessions')
    .argument('<email>', 'their email address')
    .option('--password <password>', 'the new password')
    .action(async (email: string, options: { password?: string }) => {
      const password = options.password ?? generatedPassword();
      await cli.withDatabase(async ({ db }) => {
        const accounts = createAccountsService({ db });
        await accounts.resetPassword((await person(accounts, email)).id, password, by('reset-password'));
      });
      cli.stdout.write(`New password set for ${email}${options.password ? '' : `: ${password}`}\n`);
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(name)
      .description(
        disabled ? 'stop a person signing in (ends their sessions and tokens)' : 'let a disabled person sign in again',
      )
      .argument('<email>', 'their email address')
      .option('--reason <reason>', 'why, for the audit trail')
      .action(async (email: string, options: { reason?: string }) => {
        await cli.withDatabase(async ({ db }) => {
          const accounts = createAccountsService({ db });
          await accounts.setDisabled((await person(accounts, email)).id, disabled, by(name), options.reason);
        });
        cli.stdout.write(`${email} is ${disabled ? 'disabled' : 'enabled'}\n`);
      });
  }
}
