/**
 * A photo's metadata removed before it is kept: EXIF (with the GPS position and the camera's make, model
 * and serial number), XMP and IPTC. sharp (libvips) writes the picture again without them; it is turned
 * upright first, since the EXIF orientation that told a viewer how to turn it goes too. The colour profile
 * stays. The new file is written beside the upload (in the request's own folder) and hashed again.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { FieldProblem } from '../../errors.js';
import { filesRefused } from './evidence.errors.js';
import type { CheckedUpload } from './evidence-uploads.js';

// One photo at a time per request, nothing kept between them: a phone's photo is 10–50 MB decoded.
sharp.cache(false);

export async function withoutMetadata(photo: CheckedUpload, field = 'photo'): Promise<CheckedUpload> {
  const target = `${photo.path}.stripped`;
  try {
    const image = sharp(photo.path, { failOn: 'error' }).rotate().keepIccProfile();
    await (photo.type === 'png' ? image.png() : image.jpeg({ quality: 92 })).toFile(target);
  } catch {
    const problem: FieldProblem = { field, message: `${photo.name} could not be read as a photo` };
    throw filesRefused([problem]);
  }
  const bytes = await readFile(target);
  return { ...photo, path: target, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
