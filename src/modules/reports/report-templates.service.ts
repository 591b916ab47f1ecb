/**
 * Custom report templates: upload (checked in full before anything is kept, and audited), list,
 * download, delete, and which templates an assessment's report may use. No HTTP here.
 */
import { fileTooLarge } from '../../files/file-too-large.js';
import { readFile } from 'node:fs/promises';
import type { Database } from '../../db/database.js';
import { isUuid } from '../../db/ids.js';
import type { UserActor } from '../accounts/index.js';
import { resolveAssessment, type AssessmentRef } from '../assessments/index.js';
import type { AssessmentActor } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';

import type { Upload } from '../evidence/index.js';
import { organisationNotFound } from '../organisations/index.js';
import { noTemplateFile, sharedForbidden, templateForbidden, templateNotFound } from './report-templates.errors.js';
import { mayOn, templateScope, usableFor, type TemplateAction } from './report-templates.policy.js';
import * as repo from './report-templates.repository.js';
import type { TemplateUploadInput } from './report-templates.schemas.js';
import type { TemplateRenderer } from './template-renderer.js';

/** The largest template accepted; a styled Word template with a logo is a few hundred KB. */
export const TEMPLATE_MAX_BYTES = 5 * 1024 * 1024;

/** What the audit trail keeps of a template: everything but its bytes. */
const audited = (t: repo.TemplateSummary) => ({
  name: t.name,
  description: t.description,
  organisationId: t.organisationId,
  size: t.size,
  sha256: t.sha256,
  placeholders: t.placeholders,
});

/** A template for an assessment of this organisation, with its bytes; not found when it may not be used there. */
export async function templateForAssessment(db: Database, organisationId: string, id: string) {
  const row = isUuid(id) ? await repo.findTemplate(db, id) : undefined;
  if (!row || !usableFor(row, organisationId)) throw templateNotFound(id);
  return row;
}

export function createReportTemplatesService(deps: { db: Database; renderer: TemplateRenderer }) {
  const { db, renderer } = deps;

  async function visible(actor: UserActor, id: string, action: TemplateAction = 'view') {
    const found = isUuid(id) ? await repo.findSummary(db, id) : undefined;
    if (!found || !mayOn(actor, 'view', found.organisationId)) throw templateNotFound(id);
    if (!mayOn(actor, action, found.organisationId)) throw templateForbidden();
    return found;
  }

  /** The organisation a new template belongs to (null: shared), from what was asked and who asks. */
  function ownerOf(actor: UserActor, asked: TemplateUploadInput['organisationId']): string | null {
    const wanted =
      asked === undefined
        ? actor.role === 'administrator'
          ? null
          : actor.organisationId
        : asked === 'shared'
          ? null
          : asked;
    if (wanted === null) {
      if (!mayOn(actor, 'manage', null)) throw sharedForbidden();
      return null;
    }
    if (!mayOn(actor, 'view', wanted)) throw organisationNotFound(wanted);
    if (!mayOn(actor, 'manage', wanted)) throw templateForbidden();
    return wanted;
  }

  return {
    list: (actor: UserActor) => repo.listTemplates(db, templateScope(actor)),

    get: (actor: UserActor, id: string) => visible(actor, id),

    /** The template's file, to download. */
    async file(actor: UserActor, id: string) {
      const summary = await visible(actor, id);
      return { summary, bytes: (await repo.findTemplate(db, summary.id))!.bytes };
    },

    /** Checks the file in full (type, zip, placeholders, a trial fill) and keeps it; nothing is kept otherwise. */
    async create(actor: UserActor, input: TemplateUploadInput, uploads: Upload[]) {
      const organisationId = ownerOf(actor, input.organisationId);
      const upload = uploads.find((u) => u.size > 0);
      if (!upload || uploads.length !== 1) throw noTemplateFile();
      if (upload.size > TEMPLATE_MAX_BYTES) throw fileTooLarge(TEMPLATE_MAX_BYTES, 'file');
      const bytes = await readFile(upload.path);
      const { placeholders } = await renderer.inspect(bytes);
      const id = await db.transaction(async (tx) => {
        const row = await repo.insertTemplate(tx, {
          organisationId,
          name: input.name,
          description: input.description,
          bytes,
          size: upload.size,
          sha256: upload.sha256,
          placeholders,
          createdBy: actor.userId,
        });
        const summary = (await repo.findSummary(tx, row.id))!;
        await recordAudit(tx, {
          actor,
          action: 'report_template.created',
          entityType: 'report_template',
          entityId: row.id,
          after: audited(summary),
        });
        return row.id;
      });
      return (await repo.findSummary(db, id))!;
    },

    async remove(actor: UserActor, id: string) {
      const summary = await visible(actor, id, 'manage');
      await db.transaction(async (tx) => {
        await repo.deleteTemplate(tx, summary.id);
        await recordAudit(tx, {
          actor,
          action: 'report_template.deleted',
          entityType: 'report_template',
          entityId: summary.id,
          before: audited(summary),
        });
      });
      return summary;
    },

    /** The templates the report of this assessment may use (the assessment must be visible to the actor). */
    async usableFor(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      return repo.listUsable(db, assessment.organisationId);
    },

    /** What the upload form offers as owner: shared and every organisation (administrators), or their own. */
    async ownerChoices(actor: UserActor) {
      if (actor.role === 'administrator') {
        return [{ value: 'shared', text: 'Shared: every organisation can use it' }].concat(
          (await repo.organisationChoices(db)).map((o) => ({ value: o.id, text: o.name })),
        );
      }
      return [];
    },
  };
}

export type ReportTemplatesService = ReturnType<typeof createReportTemplatesService>;
