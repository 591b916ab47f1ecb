import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { builtinFrameworksFolder } from '../../paths.js';
import { FRAMEWORK_SCHEMA_FILE, frameworkJsonSchema, frameworkJsonSchemaText } from './framework.json-schema.js';

const published = path.join(builtinFrameworksFolder, FRAMEWORK_SCHEMA_FILE);
const builtin = JSON.parse(fs.readFileSync(path.join(builtinFrameworksFolder, 'audit-commission-j2.json'), 'utf8'));

describe('published JSON Schema of the framework format', () => {
  it('is the one generated from the zod schema (regenerate with `kloe framework schema`)', () => {
    expect(fs.readFileSync(published, 'utf8')).toBe(frameworkJsonSchemaText());
  });

  it('accepts the built-in framework and rejects a broken one, for tools that only speak JSON Schema', () => {
    const validate = new Ajv2020({ strict: false }).compile(frameworkJsonSchema());
    expect(validate(builtin), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(builtin);
    delete broken.keyQuestions[0].children[0].question;
    expect(validate(broken)).toBe(false);
  });
});
