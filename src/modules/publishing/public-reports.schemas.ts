/** Public reports: the withdrawal notice, and the open ratings data's columns (stable: documented in docs/public-reports.md). */
import { z } from 'zod';

export const withdrawBody = z.object({
  notice: z
    .string({ error: 'Say why the report is withdrawn' })
    .trim()
    .min(1, 'Say why the report is withdrawn')
    .max(2000, 'Enter no more than 2000 characters'),
});

/** One row per public report and rating (each key question, then "overall"); never reordered or renamed. */
export const OPEN_DATA_COLUMNS = [
  'report_id',
  'organisation_code',
  'organisation_name',
  'service_name',
  'report_title',
  'revision',
  'published_on',
  'framework',
  'rating_of',
  'rating_of_title',
  'rating',
  'rating_label',
  'report_url',
] as const;
