/** Request and response shapes of the inspectorate's branding, shared by the API and the form. */
import { z } from 'zod';

/** The form's fields (multipart, so every value arrives as text); the logo is the file field `logo`. */
export const brandingBody = z.object({
  name: z
    .string()
    .trim()
    .max(120, { error: 'The name must be 120 characters or fewer' })
    .optional()
    .transform((value) => value || null),
  /** "true" (a checkbox, or the API) removes the logo kept now; a logo uploaded at the same time wins. */
  removeLogo: z
    .enum(['true', 'false'], { error: 'removeLogo must be true or false' })
    .optional()
    .transform((value) => value === 'true'),
});
export type BrandingInput = z.output<typeof brandingBody>;

export const brandingJson = z.object({
  name: z.string().nullable().describe('The inspectorate’s name, on every report’s title page and header'),
  logo: z
    .object({
      width: z.number().int(),
      height: z.number().int(),
      size: z.number().int().describe('Bytes of the PNG kloe made from the upload'),
      sha256: z.string(),
      dataUri: z.string().describe('The PNG as a data: URI'),
    })
    .nullable(),
  updatedAt: z.string().nullable(),
});
