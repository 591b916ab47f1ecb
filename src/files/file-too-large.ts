/** The answer to an upload with a file over the size limit: 413, naming the field and the limit in MB. */
import { AppError } from '../errors.js';

export const fileTooLarge = (maxBytes: number, field = 'files') =>
  new AppError('file_too_large', 413, `A file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB`, [
    { field, message: `Each file must be ${Math.round(maxBytes / 1024 / 1024)} MB or smaller` },
  ]);
