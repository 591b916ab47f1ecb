/**
 * The inspectorate's logo as kloe keeps it: whatever an administrator uploads is decoded by sharp (libvips)
 * and written again as a PNG of at most 600 × 200 pixels, without any of the upload's metadata (EXIF with
 * GPS, XMP, ICC profiles, text chunks). Only raster pictures are taken (PNG, JPEG, WebP), judged by their
 * bytes, never their name: an SVG could carry scripts and links into every report, so it is refused.
 */
import sharp from 'sharp';
import { AppError } from '../../errors.js';

/** The largest upload taken. A logo is a few tens of KB. */
export const LOGO_MAX_BYTES = 1024 * 1024;
/**
 * What an upload route reads at most. Above the logo's own limit, so a file a little too large is refused
 * by the form with the error summary rather than cut off while it is read.
 */
export const LOGO_UPLOAD_LIMIT = 4 * LOGO_MAX_BYTES;
/** The box a logo is fitted into (never enlarged): wide enough for a title page, small enough for every header. */
export const LOGO_MAX_WIDTH = 600;
export const LOGO_MAX_HEIGHT = 200;
/** More pixels than this is not a logo (and decoding it would cost hundreds of MB). */
const MAX_INPUT_PIXELS = 25_000_000;
const RASTER = new Set(['png', 'jpeg', 'webp']);

export interface LogoPicture {
  png: Buffer;
  width: number;
  height: number;
}

const refused = (status: number, message: string) =>
  new AppError('logo_refused', status, message, [{ field: 'logo', message }]);

export const logoTooLarge = () =>
  refused(413, `The logo must be ${Math.round(LOGO_MAX_BYTES / 1024 / 1024)} MB or smaller`);

/** Decodes, fits and re-encodes the upload; refuses anything but a PNG, JPEG or WebP picture. */
export async function sanitiseLogo(bytes: Buffer): Promise<LogoPicture> {
  if (bytes.length > LOGO_MAX_BYTES) throw logoTooLarge();
  let format: string | undefined;
  try {
    format = (await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    // libvips reads no SVG without a size: it is still an SVG, and said so.
    format = /<svg[\s>]/i.test(bytes.subarray(0, 4096).toString('latin1')) ? 'svg' : undefined;
  }
  if (!format || !RASTER.has(format)) {
    throw refused(
      415,
      format === 'svg'
        ? 'The logo must be a PNG, JPEG or WebP picture: SVG files are not accepted'
        : 'The logo must be a PNG, JPEG or WebP picture',
    );
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate() // upright by its EXIF orientation, before that is dropped
      .resize({ width: LOGO_MAX_WIDTH, height: LOGO_MAX_HEIGHT, fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch (error) {
    const reason = error instanceof Error && /pixel limit/i.test(error.message) ? ' (too many pixels)' : '';
    throw refused(422, `The logo could not be read as a picture${reason}`);
  }
}
