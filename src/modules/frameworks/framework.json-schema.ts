/** The published JSON Schema of the kloe-framework format, derived from the zod schema so the two never drift. */
import { z } from 'zod';
import { FRAMEWORK_FORMAT, frameworkDocumentSchema } from './framework.model.js';

export const FRAMEWORK_SCHEMA_FILE = 'kloe-framework.schema.json';

export function frameworkJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(frameworkDocumentSchema, { target: 'draft-2020-12' }),
    title: `KLOE framework catalogue (${FRAMEWORK_FORMAT})`,
    description:
      'One version of a framework of Key Lines of Enquiry: rating scale, key questions, KLOE groups, KLOEs, descriptors and statements.',
  };
}

export function frameworkJsonSchemaText(): string {
  return `${JSON.stringify(frameworkJsonSchema(), null, 2)}\n`;
}
