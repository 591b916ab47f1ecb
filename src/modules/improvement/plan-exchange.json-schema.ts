/** The published JSON Schema of the kloe-plan format, derived from the zod schema so the two never drift. */
import { z } from 'zod';
import { PLAN_FORMAT, planExportSchema } from './plan-exchange.js';

export const PLAN_SCHEMA_FILE = 'kloe-plan.schema.json';

export function planJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planExportSchema, { target: 'draft-2020-12' }),
    title: `KLOE improvement plan (${PLAN_FORMAT})`,
    description:
      'One service’s improvement plan: aims (with the KLOEs and recommendations they answer), their actions (owner by email, dates, resources, milestones, indicator measures, dependencies by ref, a status set by a person with its reason) and the actions’ progress updates.',
  };
}

export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
