/** The published JSON Schema of the kloe-assessment format, derived from the zod schema so the two never drift. */
import { z } from 'zod';
import { ASSESSMENT_FORMAT, assessmentExportSchema } from './assessment-export.schema.js';

export const ASSESSMENT_SCHEMA_FILE = 'kloe-assessment.schema.json';

export function assessmentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(assessmentExportSchema, { target: 'draft-2020-12' }),
    title: `KLOE assessment export (${ASSESSMENT_FORMAT})`,
    description:
      'One revision of one assessment with everything needed to restore it elsewhere: details, organisation, service, framework version, team (by email), findings, KLOE judgements, roll-ups, moderation challenges and (optionally) recommendations, evidence (items, links, and files by SHA-256, with their bytes in base64 when exported with them), the executive summary and the factual accuracy check with the organisation.',
  };
}

export function assessmentJsonSchemaText(): string {
  return `${JSON.stringify(assessmentJsonSchema(), null, 2)}\n`;
}
