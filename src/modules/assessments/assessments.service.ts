/**
 * The life of an assessment: opening one (pinned to a framework version), its details, scope and team,
 * and its status (planning → fieldwork → moderation → published; reopening a published one makes the
 * next revision). Findings and ratings are in workspace.service.ts, challenges in moderation.service.ts.
 * Every change is checked against the policy and audited in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import type { FieldProblem } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { frameworksRepository as frameworksRepo } from '../frameworks/index.js';
import { organisationsRepository as organisationsRepo } from '../organisations/index.js';
import {
  allow,
  loadAssessment,
  loadFor,
  resolveAssessment,
  type AssessmentRef,
  type LoadedAssessment,
} from './assessment-access.js';
import { expandScope, kloesInScope, pinnedFramework, rollUpNodes } from './assessment-framework.js';
import { assessmentForbidden, EditConflict, invalidAssessmentInput, statusMoveRefused } from './assessments.errors.js';
import { assessmentScope, mayCreate, permissionsOn, type AssessmentActor } from './assessments.policy.js';
import {
  type AssessmentRow,
  type AssessmentSummary,
  copyAsNextRevision,
  insertAssessment,
  listAssessments,
  listRevisions,
  type NewAssessment,
  updateAssessment,
} from './assessments.repository.js';
import { findUsers, listTeam, replaceTeam } from './team.repository.js';
import { insertKloeJudgements, insertRollUps } from './judgements.repository.js';
import { countOpenChallenges } from './challenges.repository.js';
import type {
  CreateAssessmentInput,
  ListAssessmentsQuery,
  StatusInput,
  TeamInput,
  UpdateAssessmentInput,
} from './assessments.schemas.js';
import type { AssessmentKind, AssessmentStatus, TeamRole } from './assessments.tables.js';
import { missingFinalRatings, unexplainedFinalRatings } from './workspace.service.js';

/** An assessment loaded for someone as any reader sees it: with its names, without their place on the team. */
function summaryOf(loaded: LoadedAssessment): AssessmentSummary {
  const { assessment, organisationName, serviceName, frameworkId, frameworkVersion } = loaded;
  return { assessment, organisationName, serviceName, frameworkId, frameworkVersion };
}

/** What the audit trail keeps of an assessment's own fields. */
export function assessmentRecord(row: AssessmentRow) {
  const { id, revision, organisationId, serviceId, frameworkVersionId, kind, title, status, scope } = row;
  const { plannedStart, plannedEnd, sharedWithOrganisation } = row;
  return {
    ...{ id, revision, organisationId, serviceId, frameworkVersionId, kind, title, status, scope },
    ...{ plannedStart, plannedEnd, sharedWithOrganisation },
  };
}

/** The moves a status may make, and who makes them. Anything else is out of order. */
const MOVES: Record<AssessmentStatus, Partial<Record<AssessmentStatus, 'lead' | 'publish'>>> = {
  planning: { fieldwork: 'lead' },
  fieldwork: { moderation: 'lead' },
  moderation: { fieldwork: 'lead', published: 'publish' },
  published: {},
};

/** Who may be on the team of an assessment of this kind and organisation. */
function teamProblem(
  person: Awaited<ReturnType<typeof findUsers>>[number] | undefined,
  kind: AssessmentKind,
  organisationId: string,
): string | undefined {
  if (!person) return 'No such person';
  if (person.disabledAt) return `${person.name} cannot be on the team: their access is disabled`;
  if (person.role === 'inspector') return undefined;
  if (person.role === 'organisation_member' && kind !== 'inspection' && person.organisationId === organisationId) {
    return undefined;
  }
  return kind === 'inspection'
    ? `${person.name} cannot be on an inspection team: only inspectors can`
    : `${person.name} cannot be on this team: only inspectors and the organisation’s members can`;
}

async function checkedTeam(
  db: Database,
  lead: string,
  members: string[],
  kind: AssessmentKind,
  organisationId: string,
): Promise<{ userId: string; role: TeamRole }[]> {
  const memberIds = [...new Set(members)].filter((id) => id !== lead);
  const people = new Map((await findUsers(db, [lead, ...memberIds])).map((p) => [p.id, p]));
  const problems: FieldProblem[] = [];
  const leadProblem = teamProblem(people.get(lead), kind, organisationId);
  if (leadProblem) problems.push({ field: 'leadUserId', message: leadProblem });
  memberIds.forEach((id, i) => {
    const problem = teamProblem(people.get(id), kind, organisationId);
    if (problem) problems.push({ field: `memberUserIds.${i}`, message: problem });
  });
  if (problems.length > 0) throw invalidAssessmentInput('Check the team', problems);
  return [{ userId: lead, role: 'lead' }, ...memberIds.map((userId) => ({ userId, role: 'member' as const }))];
}

function scopeOrRefuse(doc: Awaited<ReturnType<typeof pinnedFramework>>, refs: string[] | undefined) {
  const { kloeRefs, unknown } = expandScope(doc, refs ?? []);
  if (unknown.length > 0) {
    throw invalidAssessmentInput('Check the scope', [
      { field: 'scope', message: `Not in this framework: ${unknown.join(', ')}` },
    ]);
  }
  return kloeRefs;
}

/** Someone else changed the assessment since the caller read it. */
function assessmentConflict(row: AssessmentRow) {
  return new EditConflict({
    version: row.version,
    updatedByLabel: null,
    updatedAt: row.updatedAt,
    record: assessmentRecord(row),
  });
}

/** What another module carries over to a new revision (the evidence), inside the reopening's transaction. */
export type RevisionCopier = (tx: Database, fromId: string, toId: string) => Promise<void>;

/**
 * What another module asks before an assessment is published (the factual accuracy check): what stands in
 * the way, in words, and what it keeps when the lead publishes anyway with a reason.
 */
export interface PublishCheck {
  blocker(db: Database, assessmentId: string): Promise<string | undefined>;
  overridden(tx: Database, assessmentId: string, reason: string): Promise<void>;
}

/**
 * What another module does when an assessment is published, inside the publishing transaction (the reports
 * module adds the job that renders the published report), so it happens exactly when the publishing commits.
 */
export type PublishedHook = (tx: Database, assessmentId: string) => Promise<void>;

export function createAssessmentsService(deps: {
  db: Database;
  revisionCopiers?: readonly RevisionCopier[];
  publishChecks?: readonly PublishCheck[];
  onPublished?: readonly PublishedHook[];
}) {
  const { db, revisionCopiers = [], publishChecks = [], onPublished = [] } = deps;

  /** Saves a change to the assessment's own fields at the version the caller saw, or says who got there first. */
  async function updateAt(tx: Database, current: AssessmentRow, version: number, values: Partial<NewAssessment>) {
    const updated = await updateAssessment(tx, current.id, version, values);
    if (!updated) throw assessmentConflict(current);
    return updated;
  }

  return {
    list: (actor: AssessmentActor, query: ListAssessmentsQuery) => listAssessments(db, assessmentScope(actor), query),

    /** The assessment with its organisation's and service's names: what a page header shows. */
    async summary(actor: AssessmentActor, assessmentRef: AssessmentRef): Promise<AssessmentSummary> {
      return summaryOf(await resolveAssessment(db, actor, assessmentRef));
    },

    /** The assessment with its names, team, revisions and what the actor may do with it. */
    async get(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const { assessment, teamRole } = loaded;
      const [team, revisions, openChallenges] = await Promise.all([
        listTeam(db, assessment.id),
        listRevisions(db, assessment.seriesId),
        countOpenChallenges(db, assessment.id),
      ]);
      return {
        ...summaryOf(loaded),
        team,
        revisions,
        openChallenges,
        teamRole,
        can: permissionsOn(actor, assessment, teamRole),
      };
    },

    async create(actor: AssessmentActor, input: CreateAssessmentInput) {
      if (!mayCreate(actor, input.kind, input.organisationId)) {
        throw assessmentForbidden(`open a ${input.kind.replace('_', '-')} of this organisation`);
      }
      const service = await organisationsRepo.findService(db, input.organisationId, input.serviceId);
      if (!service) {
        throw invalidAssessmentInput('Check the service', [
          { field: 'serviceId', message: 'Choose a service of this organisation' },
        ]);
      }
      const version = await frameworksRepo.findVersion(db, input.frameworkId, input.frameworkVersion);
      if (!version) {
        throw invalidAssessmentInput('Check the framework', [
          {
            field: 'frameworkId',
            message: `No framework ${input.frameworkId}${input.frameworkVersion ? ` version ${input.frameworkVersion}` : ''}`,
          },
        ]);
      }
      const doc = await pinnedFramework(db, version.id);
      const scope = scopeOrRefuse(doc, input.scope);
      const lead =
        input.leadUserId ?? (actor.kind === 'user' && actor.role !== 'administrator' ? actor.userId : undefined);
      if (!lead) throw invalidAssessmentInput('Check the team', [{ field: 'leadUserId', message: 'Choose the lead' }]);

      return db.transaction(async (tx) => {
        const team = await checkedTeam(tx, lead, input.memberUserIds ?? [], input.kind, input.organisationId);
        const id = randomUUID();
        const row = await insertAssessment(tx, {
          id,
          seriesId: id,
          organisationId: input.organisationId,
          serviceId: input.serviceId,
          frameworkVersionId: version.id,
          kind: input.kind,
          title: input.title,
          scope,
          plannedStart: input.plannedStart ?? null,
          plannedEnd: input.plannedEnd ?? null,
          sharedWithOrganisation: input.sharedWithOrganisation ?? false,
          createdBy: actor.kind === 'user' ? actor.userId : null,
        });
        await replaceTeam(tx, id, team);
        await insertKloeJudgements(
          tx,
          id,
          kloesInScope(doc, scope).map((leaf) => leaf.kloe.ref),
        );
        await insertRollUps(tx, id, rollUpNodes(doc, scope));
        await recordAudit(tx, {
          actor,
          action: 'assessment.created',
          entityType: 'assessment',
          entityId: id,
          after: { ...assessmentRecord(row), team },
        });
        return row;
      });
    },

    /** Title, dates, scope and sharing, at the version the caller saw. */
    async update(actor: AssessmentActor, id: string, input: UpdateAssessmentInput) {
      return db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, id, 'manage');
        const doc = await pinnedFramework(tx, assessment.frameworkVersionId);
        const { version, scope: scopeRefs, ...fields } = input;
        const scope = scopeRefs === undefined ? undefined : scopeOrRefuse(doc, scopeRefs);
        const start = fields.plannedStart === undefined ? assessment.plannedStart : fields.plannedStart;
        const end = fields.plannedEnd === undefined ? assessment.plannedEnd : fields.plannedEnd;
        if (start && end && start > end) {
          throw invalidAssessmentInput('Check the dates', [
            { field: 'plannedEnd', message: 'The end date must be on or after the start date' },
          ]);
        }
        const values = Object.fromEntries(
          Object.entries({ ...fields, scope }).filter(([, value]) => value !== undefined),
        ) as Partial<NewAssessment>;
        const updated = await updateAt(tx, assessment, version, values);
        // KLOEs brought into scope get their (empty) judgement rows; ones taken out keep theirs, unshown.
        await insertKloeJudgements(
          tx,
          id,
          kloesInScope(doc, updated.scope).map((leaf) => leaf.kloe.ref),
        );
        await insertRollUps(tx, id, rollUpNodes(doc, updated.scope));
        await recordAudit(tx, {
          actor,
          action: 'assessment.updated',
          entityType: 'assessment',
          entityId: id,
          before: assessmentRecord(assessment),
          after: assessmentRecord(updated),
        });
        return updated;
      });
    },

    async setTeam(actor: AssessmentActor, id: string, input: TeamInput) {
      return db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, id, 'manage');
        const before = await listTeam(tx, id);
        const team = await checkedTeam(
          tx,
          input.leadUserId,
          input.memberUserIds,
          assessment.kind,
          assessment.organisationId,
        );
        await updateAt(tx, assessment, input.version, {});
        await replaceTeam(tx, id, team);
        await recordAudit(tx, {
          actor,
          action: 'assessment.team_changed',
          entityType: 'assessment',
          entityId: id,
          before: { team: before.map(({ userId, role }) => ({ userId, role })) },
          after: { team },
        });
        return listTeam(tx, id);
      });
    },

    /** What other modules say stands in the way of publishing (a reason lets the lead publish anyway). */
    async publishBlockers(actor: AssessmentActor, assessmentRef: AssessmentRef): Promise<string[]> {
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      const found = await Promise.all(publishChecks.map((check) => check.blocker(db, assessment.id)));
      return found.filter((b): b is string => b !== undefined);
    },

    /** One step along planning → fieldwork → moderation → published (or moderation back to fieldwork). */
    async moveStatus(actor: AssessmentActor, id: string, input: StatusInput) {
      return db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'update' });
        const { assessment } = loaded;
        const from = assessment.status;
        const needs = MOVES[from][input.status];
        if (!needs) {
          const allowed = Object.keys(MOVES[from]);
          throw statusMoveRefused(
            from,
            input.status,
            allowed.length > 0
              ? `from ${from} it can only move to ${allowed.join(' or ')}`
              : 'a published assessment is reopened as a new revision instead',
          );
        }
        allow(actor, needs, loaded);
        if (input.status === 'published') {
          const open = await countOpenChallenges(tx, id);
          if (open > 0)
            throw statusMoveRefused(
              from,
              'published',
              `${open} challenge${open === 1 ? ' is' : 's are'} not yet resolved`,
            );
          const missing = await missingFinalRatings(tx, assessment);
          if (missing.length > 0)
            throw statusMoveRefused(from, 'published', `these have no final rating yet: ${missing.join(', ')}`);
          const unexplained = await unexplainedFinalRatings(tx, assessment);
          if (unexplained.length > 0)
            throw statusMoveRefused(
              from,
              'published',
              `these final ratings differ from their suggestion with no rationale written since it last changed: ${unexplained.join(', ')}`,
            );
          for (const check of publishChecks) {
            const blocker = await check.blocker(tx, id);
            if (!blocker) continue;
            if (!input.reason) {
              throw statusMoveRefused(from, 'published', `${blocker}: record why it should be published now`);
            }
            await check.overridden(tx, id, input.reason);
          }
        }
        const updated = await updateAt(tx, assessment, input.version, {
          status: input.status,
          ...(input.status === 'published'
            ? { publishedAt: new Date(), publishedBy: actor.kind === 'user' ? actor.userId : null }
            : {}),
        });
        await recordAudit(tx, {
          actor,
          action: input.status === 'published' ? 'assessment.published' : 'assessment.status_changed',
          entityType: 'assessment',
          entityId: id,
          before: { status: from },
          after: { status: input.status },
          reason: input.reason ?? null,
        });
        if (input.status === 'published') for (const hook of onPublished) await hook(tx, id);
        return updated;
      });
    },

    /**
     * Reopens a published assessment as its next revision, in fieldwork, with the findings, judgements,
     * team and (through revisionCopiers) evidence carried over. The published revision stays exactly as it was.
     */
    async reopen(actor: AssessmentActor, id: string, reason: string | null) {
      return db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'update' });
        allow(actor, 'lead', loaded);
        const { assessment } = loaded;
        if (assessment.status !== 'published') {
          throw statusMoveRefused(assessment.status, 'a new revision', 'only a published assessment is reopened');
        }
        const [latest] = await listRevisions(tx, assessment.seriesId);
        if (latest!.id !== id) {
          throw statusMoveRefused('published', 'a new revision', `revision ${latest!.revision} is already open`);
        }
        const next = await copyAsNextRevision(tx, assessment);
        for (const copy of revisionCopiers) await copy(tx, assessment.id, next.id);
        await recordAudit(tx, {
          actor,
          action: 'assessment.reopened',
          entityType: 'assessment',
          entityId: next.id,
          before: { revisionOf: assessment.id, revision: assessment.revision },
          after: assessmentRecord(next),
          reason,
        });
        return next;
      });
    },
  };
}

export type AssessmentsService = ReturnType<typeof createAssessmentsService>;
