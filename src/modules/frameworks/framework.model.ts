/**
 * The framework catalogue format ("kloe-framework/1").
 *
 * One document describes one version of a KLOE framework: its rating scale and its tree of
 * key questions → (optional KLOE groups) → leaf KLOEs → descriptors → statements. The zod schema
 * is the single source of truth: the TypeScript types, the API schemas and the published JSON
 * Schema (frameworks/kloe-framework.schema.json) are all derived from it.
 */
import { z } from 'zod';
import { judgementRulesSchema } from './judgement-rules.js';

export const FRAMEWORK_FORMAT = 'kloe-framework/1';

/** A KLOE reference such as "4", "5.1" or "5.2.4": dot-separated positive integers. */
const nodeRef = z.string().regex(/^\d+(\.\d+)*$/, 'must look like 4, 5.1 or 5.2.4');

export const ratingLevelSchema = z.object({
  /** Machine name, e.g. "promising". */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens'),
  /** Shown to people, e.g. "Promising". */
  label: z.string().min(1),
  /** One letter used in statement references, e.g. "P" in 5.2.2-P7. */
  code: z.string().regex(/^[A-Z]$/, 'must be one capital letter'),
  description: z.string().min(1),
  /** Whether the framework writes a descriptor for this level (false: judged by best fit). */
  hasDescriptor: z.boolean(),
});

export const subItemSchema = z.object({
  /** e.g. "5.2.4-P7.3" */
  ref: z.string().min(1),
  text: z.string().min(1),
});

export const statementSchema = z.object({
  /** Stable reference: KLOE ref, level code and position, e.g. "5.2.2-P7". */
  ref: z.string().min(1),
  /** Verbatim from the source: only whitespace is normalised. */
  text: z.string().min(1),
  items: z.array(subItemSchema).optional(),
});

export const descriptorSchema = z.object({
  /** The rating level id this descriptor characterises. */
  level: z.string().min(1),
  /** The lead-in printed above the list, e.g. "The service/organisation:", verbatim. */
  leadIn: z.string().optional(),
  statements: z.array(statementSchema).min(1),
});

export const kloeSchema = z.object({
  kind: z.literal('kloe'),
  ref: nodeRef,
  question: z.string().min(1),
  descriptors: z.array(descriptorSchema),
});

export const kloeGroupSchema = z.object({
  kind: z.literal('group'),
  ref: nodeRef,
  question: z.string().min(1),
  kloes: z.array(kloeSchema).min(1),
});

export const keyQuestionSchema = z.object({
  ref: nodeRef,
  title: z.string().min(1),
  children: z.array(z.discriminatedUnion('kind', [kloeSchema, kloeGroupSchema])).min(1),
});

export const frameworkDocumentSchema = z.object({
  format: z.literal(FRAMEWORK_FORMAT),
  /** Stable slug; versions of the same framework share it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a lower-case slug'),
  title: z.string().min(1),
  publisher: z.string().optional(),
  /** Ordered best to worst. */
  ratingScale: z.array(ratingLevelSchema).min(2),
  keyQuestions: z.array(keyQuestionSchema).min(1),
  /** The best-fit and roll-up rules assessments against this framework use; the defaults when absent. */
  judgementRules: judgementRulesSchema.optional(),
});

export type RatingLevel = z.infer<typeof ratingLevelSchema>;
export type SubItem = z.infer<typeof subItemSchema>;
export type Statement = z.infer<typeof statementSchema>;
export type Descriptor = z.infer<typeof descriptorSchema>;
export type Kloe = z.infer<typeof kloeSchema>;
export type KloeGroup = z.infer<typeof kloeGroupSchema>;
export type KeyQuestion = z.infer<typeof keyQuestionSchema>;
export type FrameworkDocument = z.infer<typeof frameworkDocumentSchema>;
