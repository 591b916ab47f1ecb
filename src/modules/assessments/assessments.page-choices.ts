/**
 * What the assessments' pages (assessments.pages.ts, assessment-settings.pages.ts) share: the choices their forms
 * offer (services, people, the framework), the conflict message of a save someone else beat, the header's
 * names, the planned-date inputs and the views' folder.
 */
import type { FieldProblem } from '../../errors.js';
import type { AccountsService } from '../accounts/index.js';
import type { UserActor } from '../accounts/index.js';
import type { FrameworksService } from '../frameworks/index.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { EditConflict } from './assessments.errors.js';
import type { AssessmentPageDeps } from './assessments.page-context.js';
import type { AssessmentRow } from './assessments.repository.js';
import type { AssessmentKind } from './assessments.tables.js';
import { FRAMEWORK_ID } from './assessments.forms.js';
import { plainDateTime } from '../../dates.js';

/** What these pages need besides the assessments' own services: the choices their forms offer. */
export interface AssessmentPagesDeps extends AssessmentPageDeps {
  organisations: Pick<OrganisationsService, 'list' | 'listServices'>;
  accounts: Pick<AccountsService, 'list'>;
  frameworks: Pick<FrameworksService, 'getVersion'>;
}

export const view = (name: string) => `assessments/views/${name}.njk`;

/** The planned dates, typed as GOV.UK date inputs, with their labels as a sentence starts them. */
export const PLANNED_DATES = { plannedStart: 'The planned start', plannedEnd: 'The planned end' };

/** The assessment with the names the header shows. */
export const headed = (d: { assessment: AssessmentRow; organisationName: string; serviceName: string }) => ({
  ...d.assessment,
  organisationName: d.organisationName,
  serviceName: d.serviceName,
});

export function assessmentPageChoices(deps: AssessmentPagesDeps) {
  const { organisations, accounts, frameworks } = deps;

  /** "Organisation — Service" for every service of the organisations the actor may see. */
  async function serviceChoices(actor: UserActor) {
    const { rows } = await organisations.list(actor, { limit: 200, offset: 0 });
    const lists = await Promise.all(
      rows.map(async (o) =>
        (await organisations.listServices(actor, o.id)).map((s) => ({
          value: `${o.id}:${s.id}`,
          text: `${o.name} — ${s.name}`,
        })),
      ),
    );
    return { choices: lists.flat(), organisationNames: new Map(rows.map((o) => [o.id, o.name])) };
  }

  /** Who may be on a team: inspectors, and the organisation's members unless it is an inspection. */
  async function peopleChoices(options: {
    organisationId?: string;
    kind?: AssessmentKind;
    names?: Map<string, string>;
  }) {
    const people = (await accounts.list()).filter(
      (p) =>
        !p.disabledAt &&
        (p.role === 'inspector' ||
          (p.role === 'organisation_member' &&
            options.kind !== 'inspection' &&
            (options.organisationId === undefined || p.organisationId === options.organisationId))),
    );
    return people.map((p) => ({
      value: p.id,
      text:
        p.role === 'inspector'
          ? `${p.name} (inspector)`
          : `${p.name} (${options.names?.get(p.organisationId ?? '') ?? 'organisation member'})`,
    }));
  }

  async function latestFramework() {
    return (await frameworks.getVersion(FRAMEWORK_ID)).document;
  }

  /** Says who changed the assessment first, and when, from its audit trail. */
  async function conflictProblem(id: string, conflict: EditConflict, field: string): Promise<FieldProblem> {
    const { entries } = await deps.audit.historyOf('assessment', id, { limit: 1 });
    const who = entries[0]?.actorLabel ?? 'someone else';
    const when = plainDateTime(entries[0]?.at ?? conflict.current.updatedAt);
    return {
      field,
      message: `${who} changed this assessment on ${when}, after you opened this page. Their version is shown below: check it, then save again to replace it with yours`,
    };
  }

  return { serviceChoices, peopleChoices, latestFramework, conflictProblem };
}
