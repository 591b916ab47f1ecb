import { AppError, notFound, type FieldProblem } from '../../errors.js';

/** Also the answer for an assessment that exists but that the actor may not see (see the policy). */
export const assessmentNotFound = (id: string) => notFound('assessment_not_found', `No assessment with id "${id}"`);

export const kloeNotInAssessment = (ref: string) =>
  notFound('kloe_not_in_assessment', `KLOE ${ref} is not in this assessment's framework version and scope`);

export const assessmentForbidden = (what: string) => new AppError('forbidden', 403, `You may not ${what}`);

export const assessmentPublished = () =>
  new AppError(
    'assessment_published',
    409,
    'This assessment is published and cannot be changed; reopen it to make a new revision',
  );

export const invalidAssessmentInput = (message: string, problems: FieldProblem[]) =>
  new AppError('invalid_request', 400, message, problems);

export const statusMoveRefused = (from: string, to: string, reason: string) =>
  new AppError('status_move_refused', 409, `Cannot move from ${from} to ${to}: ${reason}`, [
    { field: 'status', message: reason },
  ]);

/**
 * Someone else saved first. Carries who, when and what they saved, so the page and the API can show
 * "changed by X at T — here is their version" instead of overwriting it.
 */
export class EditConflict extends AppError {
  constructor(readonly current: { version: number; updatedByLabel: string | null; updatedAt: Date; record: unknown }) {
    const who = current.updatedByLabel ?? 'someone else';
    super(
      'edit_conflict',
      409,
      `This was changed by ${who} at ${current.updatedAt.toISOString()} since you opened it; here is their version`,
      [{ field: 'version', message: `Changed by ${who} since you opened it` }],
      { current },
    );
  }
}
