/**
 * The Audit Commission's Judgement 2 ("Prospects for Improvement"): the identity and rating scale of the
 * built-in framework. The seed documents hold only the KLOE table, so these come from the publication.
 */
import type { RatingLevel } from './framework.model.js';

export const JUDGEMENT_2_FRAMEWORK = {
  id: 'audit-commission-j2',
  title: 'Service Inspection Key Lines of Enquiry — Judgement 2: Prospects for Improvement',
  publisher: 'Audit Commission',
} as const;

/** Best to worst. Descriptors are written only for the middle two levels; the outer two are judged by best fit. */
export const JUDGEMENT_2_RATING_SCALE: readonly RatingLevel[] = [
  {
    id: 'excellent',
    label: 'Excellent',
    code: 'E',
    description:
      'Judged by best fit: the service shows all the characteristics of promising prospects for improvement and exceeds them.',
    hasDescriptor: false,
  },
  {
    id: 'promising',
    label: 'Promising',
    code: 'P',
    description: 'The service shows the characteristics of an organisation with promising prospects for improvement.',
    hasDescriptor: true,
  },
  {
    id: 'uncertain',
    label: 'Uncertain',
    code: 'U',
    description: 'The service shows the characteristics of an organisation with uncertain prospects for improvement.',
    hasDescriptor: true,
  },
  {
    id: 'poor',
    label: 'Poor',
    code: 'O',
    description:
      'Judged by best fit: the service falls short of even the characteristics of uncertain prospects for improvement.',
    hasDescriptor: false,
  },
];

/** The levels of the seed table's descriptor columns, left to right after the KLOE column. */
export const JUDGEMENT_2_DESCRIPTOR_COLUMNS = ['promising', 'uncertain'] as const;
