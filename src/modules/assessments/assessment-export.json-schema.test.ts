import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { builtinFrameworksFolder } from '../../paths.js';
import { ASSESSMENT_FORMAT, assessmentExportSchema } from './assessment-export.schema.js';
import {
  ASSESSMENT_SCHEMA_FILE,
  assessmentJsonSchema,
  assessmentJsonSchemaText,
} from './assessment-export.json-schema.js';

const published = path.join(builtinFrameworksFolder, ASSESSMENT_SCHEMA_FILE);

const at = '2026-03-14T09:30:00.000Z';
const example = {
  format: ASSESSMENT_FORMAT,
  exportedAt: at,
  assessment: {
    id: '0b9f7c1e-4a43-4f5e-9a51-3c2f8e1d6a70',
    seriesId: '0b9f7c1e-4a43-4f5e-9a51-3c2f8e1d6a70',
    revision: 1,
    kind: 'inspection',
    title: 'Housing repairs inspection',
    status: 'fieldwork',
    scope: ['4.1'],
    plannedStart: '2026-03-01',
    plannedEnd: null,
    sharedWithOrganisation: false,
    createdAt: at,
    updatedAt: at,
    publishedAt: null,
    createdByEmail: null,
    publishedByEmail: null,
  },
  organisation: { id: '6e3f8a52-1c1b-4d59-8f0e-2f4a9b7c3d11', code: 'E07000901', name: 'Ashdown District Council' },
  service: { id: '7d4a9b63-2d2c-4e6a-9a1f-3a5bac8d4e22', name: 'Housing repairs' },
  framework: { id: 'audit-commission-j2', version: 1, contentHash: 'a'.repeat(64) },
  team: [{ email: 'lead@example.test', name: 'Lee Ead', role: 'lead' }],
  findings: [
    {
      statementRef: '4.1-P1',
      kloeRef: '4.1',
      outcome: 'met',
      note: null,
      updatedAt: at,
      updatedByEmail: 'lead@example.test',
    },
  ],
  kloeJudgements: [],
  rollUps: [],
  challenges: [],
};

describe('published JSON Schema of the assessment format', () => {
  it('is the one generated from the zod schema (regenerate with `kloe assessment schema > frameworks/kloe-assessment.schema.json`)', () => {
    expect(fs.readFileSync(published, 'utf8')).toBe(assessmentJsonSchemaText());
  });

  it('agrees with the zod schema on a valid document and a broken one', () => {
    expect(assessmentExportSchema.safeParse(example).success).toBe(true);
    const validate = new Ajv2020({ strict: false, logger: false }).compile(assessmentJsonSchema());
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(example) as Record<string, unknown> & { team: { role: string }[] };
    broken.team[0]!.role = 'boss';
    expect(validate(broken)).toBe(false);
    expect(assessmentExportSchema.safeParse(broken).success).toBe(false);
  });
});
