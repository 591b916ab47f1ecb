import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { builtinFrameworksFolder } from '../../paths.js';
import { PLAN_FORMAT, parsePlanFile, planExportSchema } from './plan-exchange.js';
import { PLAN_SCHEMA_FILE, planJsonSchema, planJsonSchemaText } from './plan-exchange.json-schema.js';

const example = {
  format: PLAN_FORMAT,
  exportedAt: '2026-03-14T09:30:00.000Z',
  organisation: { id: '6e3f8a52-1c1b-4d59-8f0e-2f4a9b7c3d11', code: 'E07000901', name: 'Ashdown District Council' },
  service: { id: '7d4a9b63-2d2c-4e6a-9a1f-3a5bac8d4e22', name: 'Housing repairs' },
  aims: [
    {
      title: 'Repairs right first time',
      description: '',
      kloeRefs: ['5.1.2'],
      recommendations: [],
      actions: [
        {
          ref: '1.1',
          title: 'Survey tenants',
          ownerEmail: 'member@example.org',
          startDate: '2026-04-01',
          dueDate: '2027-03-31',
          resources: '',
          milestones: [{ title: 'Survey live', date: '2026-06-30' }],
          measures: [{ indicatorCode: 'SAT', baseline: 70, target: 80, targetPeriod: '2026/27' }],
          dependsOn: [],
          statusSet: { status: 'at_risk', reason: 'Contractor late' },
          progress: [{ recordedOn: '2026-05-01', note: 'Started', milestonesReached: [] }],
        },
      ],
    },
  ],
};

describe('published JSON Schema of the plan format', () => {
  it('is the one generated from the zod schema (regenerate with `kloe plan schema > frameworks/kloe-plan.schema.json`)', () => {
    expect(fs.readFileSync(path.join(builtinFrameworksFolder, PLAN_SCHEMA_FILE), 'utf8')).toBe(planJsonSchemaText());
  });

  it('agrees with the zod schema on a valid document and a broken one', () => {
    expect(planExportSchema.safeParse(example).success).toBe(true);
    const validate = new Ajv2020({ strict: false, logger: false }).compile(planJsonSchema());
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(example);
    (broken.aims[0]!.actions[0]!.statusSet as { status: string }).status = 'nearly';
    expect(validate(broken)).toBe(false);
    expect(() => parsePlanFile(broken)).toThrow(/not imported/);
    try {
      parsePlanFile(broken);
    } catch (error) {
      expect((error as { problems: { field: string }[] }).problems[0]!.field).toBe('aims.0.actions.0.statusSet.status');
    }
  });
});
