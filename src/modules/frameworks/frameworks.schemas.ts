/** Request and response schemas of the framework routes; the OpenAPI document is generated from them. */
import { z } from 'zod';
import { frameworkDocumentSchema } from './framework.model.js';

export const frameworkIdParams = z.object({
  id: z.string().min(1).max(64).describe('Framework id (slug), e.g. audit-commission-j2'),
});

export const versionQuery = z.object({
  version: z.coerce.number().int().positive().optional().describe('Version number; the latest when omitted'),
});

export const kloeParams = frameworkIdParams.extend({
  ref: z.string().regex(/^\d+(\.\d+)*$/, 'must look like 4.1 or 5.2.4'),
});

export const frameworkSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  publisher: z.string().nullable(),
  latestVersion: z.number().int(),
  versionCount: z.number().int(),
  lastImportedAt: z.iso.datetime(),
});

export const versionSummarySchema = z.object({
  version: z.number().int(),
  contentHash: z.string().describe('SHA-256 of the canonical JSON document'),
  source: z.string(),
  importedAt: z.iso.datetime(),
});

export const frameworkCountsSchema = z.object({
  keyQuestions: z.number().int(),
  groups: z.number().int(),
  kloes: z.number().int(),
  statements: z.record(z.string(), z.number().int()).describe('Statements per rating level'),
  subItems: z.number().int(),
});

export const frameworkListResponse = z.object({ frameworks: z.array(frameworkSummarySchema) });

export const frameworkVersionResponse = versionSummarySchema.extend({
  id: z.string(),
  counts: frameworkCountsSchema,
  document: frameworkDocumentSchema,
});

export const versionListResponse = z.object({ id: z.string(), versions: z.array(versionSummarySchema) });
