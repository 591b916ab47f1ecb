/** Request and response shapes of report templates, shared by the API and the upload form. */
import { z } from 'zod';

export const templateParams = z.object({ templateId: z.uuid({ error: 'Not a template id' }) });

/** The form's fields (multipart, so every value arrives as text). */
export const templateUploadBody = z.object({
  name: z
    .string({ error: 'Enter a name for the template' })
    .trim()
    .min(1, { error: 'Enter a name for the template' })
    .max(120, { error: 'The name must be 120 characters or fewer' }),
  description: z
    .string()
    .trim()
    .max(1000, { error: 'The description must be 1000 characters or fewer' })
    .optional()
    .transform((value) => value || null),
  /** "shared" (administrators), an organisation id, or absent: a member's own organisation, an administrator's shared library. */
  organisationId: z
    .union([z.literal('shared'), z.uuid()], { error: 'Choose "shared" or an organisation id' })
    .optional(),
});
export type TemplateUploadInput = z.output<typeof templateUploadBody>;

export const templateJson = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  organisationId: z.uuid().nullable().describe('null: a shared template, usable for every organisation'),
  organisationName: z.string().nullable(),
  size: z.number().int(),
  sha256: z.string(),
  placeholders: z.array(z.string()).describe('The template’s commands, each once, e.g. "INS organisation.name"'),
  createdAt: z.string(),
  file: z.string().describe('Where to download the template'),
});

export const templateListJson = z.object({ templates: z.array(templateJson) });
