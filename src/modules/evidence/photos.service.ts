/**
 * A photo taken on a site visit or reality check, kept as evidence of one statement in one step: a new
 * evidence item (kind site visit, dated today, the note as its notes) holding the photo, linked to the
 * statement as supporting it. The photo's location and camera details are removed unless the person keeps
 * them (photo-metadata.ts). All or nothing: the item, its file and the link are written in one transaction.
 */
import type { Database } from '../../db/database.js';
import type { EvidenceConfig } from '../../config.js';
import { AppError } from '../../errors.js';
import { allow, assessmentIdOf, loadFor, resolveAssessment, type AssessmentRef } from '../assessments/index.js';
import { kloeNotInAssessment } from '../assessments/index.js';
import type { AssessmentActor } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import { checkUploads, type Upload } from './evidence-uploads.js';
import * as repo from './evidence.repository.js';
import type { EvidenceService } from './evidence.service.js';
import { statementsIn } from './evidence.service.js';
import type { FileType } from '../../files/file-types.js';
import { withoutMetadata } from './photo-metadata.js';
import type { PhotoInput } from './photos.schemas.js';
import { ukDay } from '../../dates.js';

export const PHOTO_FIELD = 'photo';
const PHOTO_TYPES: readonly FileType[] = ['jpeg', 'png'];

const problem = (field: string, message: string) => new AppError('invalid_request', 400, message, [{ field, message }]);

export function createPhotosService(deps: {
  db: Database;
  evidence: Pick<EvidenceService, 'insertItem' | 'afterFilesStored'>;
  limits: Pick<EvidenceConfig, 'maxBytes' | 'types'>;
}) {
  const { db, evidence, limits } = deps;
  const types = PHOTO_TYPES.filter((type) => limits.types.includes(type));

  /** The statement must be one of the KLOE's, and the KLOE in the assessment's scope. */
  async function statementOf(assessment: Parameters<typeof statementsIn>[1], kloeRef: string, statementRef: string) {
    const kloe = (await statementsIn(db, assessment)).find((k) => k.kloe.ref === kloeRef);
    if (!kloe) throw kloeNotInAssessment(kloeRef);
    const statement = kloe.statements.find((s) => s.ref === statementRef);
    if (!statement)
      throw problem('statementRef', `Choose a statement of KLOE ${kloeRef} ("${statementRef}" is not one)`);
    return statement;
  }

  return {
    /** Statements of the KLOE a photo may be evidence of (the photo page's list). */
    async statements(assessment: Parameters<typeof statementsIn>[1], kloeRef: string) {
      const kloe = (await statementsIn(db, assessment)).find((k) => k.kloe.ref === kloeRef);
      if (!kloe) throw kloeNotInAssessment(kloeRef);
      return kloe;
    },

    async add(
      actor: AssessmentActor,
      assessmentRef: AssessmentRef,
      kloeRef: string,
      input: PhotoInput,
      uploads: Upload[],
    ) {
      // Who may add evidence here is settled before any picture is read.
      allow(actor, 'judge', await resolveAssessment(db, actor, assessmentRef));
      const assessmentId = assessmentIdOf(assessmentRef);
      if (uploads.length !== 1) throw problem(PHOTO_FIELD, 'Take a photo or choose one');
      if (types.length === 0) throw problem(PHOTO_FIELD, 'This kloe does not accept images as evidence');
      const [checked] = await checkUploads(uploads, { maxBytes: limits.maxBytes, types }).catch((error: unknown) => {
        // checkUploads names the evidence form's field; here the file came in "photo".
        if (!(error instanceof AppError)) throw error;
        throw new AppError(
          error.code,
          error.status,
          error.message,
          error.problems.map((p) => ({ ...p, field: PHOTO_FIELD })),
        );
      });
      const photo = input.keepMetadata ? checked! : await withoutMetadata(checked!, PHOTO_FIELD);
      const { assessment, item, created, link } = await db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
        await statementOf(assessment, kloeRef, input.statementRef);
        const { item, created } = await evidence.insertItem(
          tx,
          actor,
          assessmentId,
          {
            title: `Photo for ${input.statementRef}`,
            kind: 'site_visit',
            source: null,
            evidenceDate: ukDay(),
            notes: input.note ?? null,
          },
          [photo],
        );
        const link = await repo.insertLink(tx, {
          itemId: item.id,
          assessmentId,
          kloeRef,
          statementRef: input.statementRef,
          stance: 'supports',
          createdBy: actor.kind === 'user' ? actor.userId : null,
        });
        await recordAudit(tx, {
          actor,
          action: 'evidence.linked',
          entityType: 'evidence_item',
          entityId: item.id,
          after: { target: input.statementRef, stance: 'supports', photo: true, metadataKept: input.keepMetadata },
        });
        return { assessment, item, created, link };
      });
      await evidence.afterFilesStored(assessment, item.id, created);
      return { item, link, file: { sha256: photo.sha256, size: photo.size }, metadataRemoved: !input.keepMetadata };
    },
  };
}

export type PhotosService = ReturnType<typeof createPhotosService>;
