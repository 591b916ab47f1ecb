import { AppError } from '../../errors.js';

/** A change to the work of a KLOE that has been signed off. */
export const kloeReviewed = (ref: string) =>
  new AppError(
    'kloe_reviewed',
    409,
    `KLOE ${ref} has been reviewed and signed off: reopen it, with a reason, before changing it`,
  );
