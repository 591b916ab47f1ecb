import fs from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Database } from '../db/database.js';
import { accountsRepository as accountsRepo } from '../modules/accounts/index.js';
import { exportAssessment, importAssessment } from '../modules/assessments/index.js';
import { assessmentJsonSchemaText } from '../modules/assessments/index.js';
import { KIND_LABELS, STATUS_LABELS } from '../modules/assessments/index.js';
import { createAssessmentsService } from '../modules/assessments/index.js';
import { ASSESSMENT_KINDS, type AssessmentKind } from '../db/schema.js';
import { createWorkspaceService } from '../modules/assessments/index.js';
import { organisationsRepository } from '../modules/organisations/index.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { isUuid } from '../db/ids.js';
import { createEvidenceStorage } from '../modules/evidence/index.js';

/** Every assessment command acts as the system, as a person running kloe on the server does. */
const CLI = { kind: 'system', label: 'cli' } as const;
const DEFAULT_FRAMEWORK = 'audit-commission-j2';

/** "ID" (the latest version) or "ID@VERSION". */
function frameworkOption(value: string): { id: string; version: number | undefined } {
  const match = /^([a-z0-9][a-z0-9-]*)(?:@([1-9]\d*))?$/.exec(value);
  if (!match)
    throw new InvalidArgumentError('must be a framework id, e.g. audit-commission-j2 or audit-commission-j2@1');
  return { id: match[1]!, version: match[2] === undefined ? undefined : Number(match[2]) };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export async function organisationByCode(db: Database, code: string) {
  const row = await organisationsRepository.findOrganisationByCode(db, code);
  if (!row) throw new CliError(`no organisation with the code ${code}`);
  return row;
}

export async function serviceByName(db: Database, organisationId: string, code: string, name: string) {
  const row = (await organisationsRepository.listServices(db, organisationId)).find((s) => s.name === name);
  if (!row) throw new CliError(`${code} has no service named "${name}"`);
  return row;
}

async function personByEmail(db: Database, email: string) {
  const user = await accountsRepo.findUserByEmail(db, email);
  if (!user) throw new CliError(`no person with the email address ${email}`);
  return user;
}

function assessmentId(value: string): string {
  if (!isUuid(value)) throw new CliError(`"${value}" is not an assessment id`);
  return value;
}

/** Reads and parses a JSON file, failing with one line that names it. */
export async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

export function registerAssessmentCommands(program: Command, cli: CliContext): void {
  const assessment = program
    .command('assessment')
    .description('list, show, open, export and import assessments (as the system)');

  assessment
    .command('list')
    .description('list assessments, most recently changed first')
    .option('--organisation <code>', 'only assessments of this organisation')
    .option('--json', 'print as JSON')
    .action(async (options: { organisation?: string; json?: boolean }) => {
      const rows = await cli.withDatabase(async ({ db }) => {
        const organisationId = options.organisation
          ? (await organisationByCode(db, options.organisation)).id
          : undefined;
        const service = createAssessmentsService({ db });
        const all = [];
        for (let offset = 0; ; offset += 200) {
          const page = await service.list(CLI, { organisationId, limit: 200, offset });
          all.push(...page.rows);
          if (all.length >= page.total || page.rows.length === 0) return all;
        }
      });
      if (options.json) {
        return cli.printJson(
          rows.map(({ assessment: a, organisationName, serviceName, frameworkId, frameworkVersion }) => ({
            id: a.id,
            revision: a.revision,
            kind: a.kind,
            status: a.status,
            title: a.title,
            organisation: organisationName,
            service: serviceName,
            framework: { id: frameworkId, version: frameworkVersion },
            updatedAt: a.updatedAt.toISOString(),
          })),
        );
      }
      if (rows.length === 0) return void cli.stdout.write('No assessments\n');
      for (const { assessment: a, organisationName, serviceName } of rows) {
        const fields = [a.id, a.kind, a.status, organisationName, serviceName, a.title];
        cli.stdout.write(`${fields.join('\t')}\n`);
      }
    });

  assessment
    .command('show')
    .description('show an assessment and its scorecard: each KLOE’s progress, suggested and final rating')
    .argument('<id>', 'the assessment id')
    .option('--json', 'print as JSON')
    .action(async (rawId: string, options: { json?: boolean }) => {
      const id = assessmentId(rawId);
      const { detail, overview } = await cli.withDatabase(async ({ db }) => ({
        detail: await createAssessmentsService({ db }).get(CLI, id),
        overview: await createWorkspaceService({ db }).overview(CLI, id),
      }));
      const a = detail.assessment;
      const rating = (r: { rating: string | null } | null) => r?.rating ?? null;
      const scorecard = {
        kloes: overview.kloes.map((k) => ({
          ref: k.leaf.kloe.ref,
          judged: k.judged,
          total: k.total,
          suggestedRating: rating(k.suggestion),
          finalRating: k.judgement.finalRating,
        })),
        keyQuestions: overview.keyQuestions.map((kq) => ({
          ref: kq.nodeRef,
          title: kq.title,
          suggestedRating: rating(kq.suggestion),
          finalRating: kq.judgement.finalRating,
        })),
        overall: {
          suggestedRating: rating(overview.overall.suggestion),
          finalRating: overview.overall.judgement.finalRating,
        },
        missingFinalRatings: overview.missingFinalRatings,
      };
      if (options.json) {
        return cli.printJson({
          id: a.id,
          revision: a.revision,
          kind: a.kind,
          status: a.status,
          title: a.title,
          organisation: detail.organisationName,
          service: detail.serviceName,
          framework: { id: detail.frameworkId, version: detail.frameworkVersion },
          scope: a.scope,
          team: detail.team.map(({ email, name, role }) => ({ email, name, role })),
          openChallenges: detail.openChallenges,
          ...scorecard,
        });
      }
      const out = (line: string) => cli.stdout.write(`${line}\n`);
      const shown = (value: string | null) => value ?? '—';
      out(`${a.title}`);
      out(`  id:           ${a.id} (revision ${a.revision})`);
      out(`  kind:         ${KIND_LABELS[a.kind]}`);
      out(`  status:       ${STATUS_LABELS[a.status]}`);
      out(`  organisation: ${detail.organisationName}`);
      out(`  service:      ${detail.serviceName}`);
      out(`  framework:    ${detail.frameworkId}@${detail.frameworkVersion}`);
      out(`  team:         ${detail.team.map((m) => `${m.name} <${m.email}> (${m.role})`).join(', ')}`);
      out('');
      out('KLOE\tjudged\tsuggested\tfinal');
      for (const k of scorecard.kloes)
        out(`${k.ref}\t${k.judged}/${k.total}\t${shown(k.suggestedRating)}\t${shown(k.finalRating)}`);
      out('');
      out('Key question\tsuggested\tfinal');
      for (const kq of scorecard.keyQuestions) out(`${kq.ref}\t${shown(kq.suggestedRating)}\t${shown(kq.finalRating)}`);
      out(`overall\t${shown(scorecard.overall.suggestedRating)}\t${shown(scorecard.overall.finalRating)}`);
    });

  assessment
    .command('create')
    .description('open an assessment of a service, pinned to a framework version (the latest unless given)')
    .requiredOption('--organisation <code>', 'code of the organisation')
    .requiredOption('--service <name>', 'name of the organisation’s service')
    .addOption(new Option('--kind <kind>', 'kind of assessment').choices([...ASSESSMENT_KINDS]).makeOptionMandatory())
    .requiredOption('--title <title>', 'title')
    .requiredOption('--lead <email>', 'email address of the lead')
    .option('--member <email>', 'email address of a team member (repeatable)', collect, [])
    .option(
      '--scope <ref>',
      'key question, group or KLOE in scope, e.g. 5 or 6.1 (repeatable; all when none)',
      collect,
      [],
    )
    .option('--framework <id[@version]>', `framework (default ${DEFAULT_FRAMEWORK}, latest version)`, frameworkOption)
    .action(
      async (options: {
        organisation: string;
        service: string;
        kind: AssessmentKind;
        title: string;
        lead: string;
        member: string[];
        scope: string[];
        framework?: { id: string; version: number | undefined };
      }) => {
        const created = await cli.withDatabase(async ({ db }) => {
          const organisation = await organisationByCode(db, options.organisation);
          const service = await serviceByName(db, organisation.id, options.organisation, options.service);
          const lead = await personByEmail(db, options.lead);
          const members = [];
          for (const email of options.member) members.push((await personByEmail(db, email)).id);
          return createAssessmentsService({ db }).create(CLI, {
            organisationId: organisation.id,
            serviceId: service.id,
            kind: options.kind,
            title: options.title,
            frameworkId: options.framework?.id ?? DEFAULT_FRAMEWORK,
            frameworkVersion: options.framework?.version,
            scope: options.scope.length > 0 ? options.scope : undefined,
            leadUserId: lead.id,
            memberUserIds: members,
          });
        });
        cli.stdout.write(`Created ${created.id}: ${created.title}\n`);
      },
    );

  assessment
    .command('export')
    .description('print an assessment in the kloe-assessment format')
    .argument('<id>', 'the assessment id')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--with-files', 'carry every evidence file’s bytes (base64), not only its SHA-256')
    .action(async (rawId: string, options: { output?: string; withFiles?: boolean }) => {
      const id = assessmentId(rawId);
      const document = await cli.withDatabase(({ db }, config) => {
        const storage = createEvidenceStorage(config.evidence);
        return exportAssessment(db, CLI, id, { readFile: options.withFiles ? storage.read : undefined });
      });
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (options.output) await fs.writeFile(options.output, text);
      else cli.stdout.write(text);
    });

  assessment
    .command('import')
    .description('restore an assessment from a kloe-assessment file, all or nothing')
    .argument('<file>', 'the file to import')
    .option('--as-new', 'import under new ids (a copy), even if the assessment exists here')
    .action(async (file: string, options: { asNew?: boolean }) => {
      const document = await readJson(file);
      const outcome = await cli.withDatabase(({ db }, config) =>
        importAssessment(db, CLI, document, {
          asNew: options.asNew ?? false,
          storage: createEvidenceStorage(config.evidence),
        }),
      );
      const c = outcome.counts;
      cli.stdout.write(
        `Imported ${outcome.id}: ${outcome.title} (${c.team} people, ${c.findings} findings, ${c.kloeJudgements} KLOE judgements, ${c.challenges} challenges, ${c.evidence} evidence ${c.evidence === 1 ? 'item' : 'items'})\n`,
      );
    });

  assessment
    .command('schema')
    .description('print the JSON Schema of the kloe-assessment format')
    .action(() => void cli.stdout.write(assessmentJsonSchemaText()));
}
