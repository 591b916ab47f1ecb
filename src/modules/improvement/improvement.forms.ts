/**
 * The aim and action forms as a browser posts them, turned into the API's bodies. Checkboxes arrive as one
 * value or a list; an action's milestones and measures are numbered rows ("milestones.0.title"), of which
 * the blank ones are left out; a blank owner or date means "not yet known".
 */
import { z } from 'zod';
import type { ActionRow, AimRow } from './improvement.repository.js';
import {
  actionBody,
  aimBody,
  commentBody,
  progressBody,
  updateActionBody,
  updateAimBody,
} from './improvement.schemas.js';

/** How many blank milestone and measure rows the action form offers (it works without JavaScript). */
const BLANK_ROWS = { milestones: 2, measures: 1 };
/** The most rows read back from a post: as many as the API takes. */
const MAX_ROWS = { milestones: 20, measures: 10 };

/** How many rows of each group the form shows for these values: those filled in, and some blank ones. */
export function rowCounts(values: Record<string, unknown>) {
  const filled = (group: 'milestones' | 'measures') =>
    Math.max(0, ...Object.keys(values).map((k) => (k.startsWith(`${group}.`) ? Number(k.split('.')[1]) + 1 : 0)));
  return {
    milestones: Math.min(MAX_ROWS.milestones, filled('milestones') + BLANK_ROWS.milestones),
    measures: Math.min(MAX_ROWS.measures, filled('measures') + BLANK_ROWS.measures),
  };
}

type Values = Record<string, unknown>;

/** The action form's GOV.UK date inputs (date-input-fields.ts reads them): its dates and each milestone's. */
export const ACTION_DATES: Record<string, string> = {
  startDate: 'The start date',
  dueDate: 'The due date',
  ...Object.fromEntries(
    Array.from({ length: MAX_ROWS.milestones }, (_, i) => [`milestones.${i}.date`, `The date of milestone ${i + 1}`]),
  ),
};
export const PROGRESS_DATES = { recordedOn: 'The date of the progress' };

const list = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const orNull = (value: unknown) => (text(value) === '' ? null : text(value));
const withVersion = (values: Values) => (values.version === undefined ? {} : { version: values.version });

/**
 * The posted values with each group's blank rows taken out and the rest numbered from 0, so that a problem
 * the save finds in "milestones.1.date" is shown beside the row the person filled in, whichever they skipped.
 */
export function compactRows(values: Values): Values {
  const out: Values = {};
  const groups: Record<string, Map<number, Values>> = { milestones: new Map(), measures: new Map() };
  for (const [name, value] of Object.entries(values)) {
    const [group, index, field] = name.split('.');
    const rowsOfGroup = group === undefined ? undefined : groups[group];
    if (!rowsOfGroup || index === undefined || field === undefined || !/^\d+$/.test(index)) {
      out[name] = value;
      continue;
    }
    if (!rowsOfGroup.has(Number(index))) rowsOfGroup.set(Number(index), {});
    rowsOfGroup.get(Number(index))![field] = value;
  }
  for (const [group, rowsOfGroup] of Object.entries(groups)) {
    const filled = [...rowsOfGroup.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, row]) => row)
      .filter((row) => Object.values(row).some((v) => text(v) !== ''));
    filled.forEach((row, i) => {
      for (const [field, value] of Object.entries(row)) out[`${group}.${i}.${field}`] = value;
    });
  }
  return out;
}

/** The non-blank numbered rows of a repeated group of fields. */
function rows(values: Values, group: string, count: number, fields: readonly string[]) {
  const out: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    const row = Object.fromEntries(fields.map((f) => [f, text(values[`${group}.${i}.${f}`])]));
    if (Object.values(row).some((v) => v !== '')) out.push(row);
  }
  return out;
}

export function aimBodyFromForm(values: Values) {
  return {
    title: values.title,
    description: values.description,
    kloeRefs: list(values.kloeRefs),
    recommendationIds: list(values.recommendationIds),
    ...withVersion(values),
  };
}

export function actionBodyFromForm(values: Values) {
  return {
    title: values.title,
    ownerId: orNull(values.ownerId),
    startDate: orNull(values.startDate),
    dueDate: orNull(values.dueDate),
    resources: values.resources,
    milestones: rows(values, 'milestones', MAX_ROWS.milestones, ['title', 'date']),
    measures: rows(values, 'measures', MAX_ROWS.measures, ['indicatorCode', 'baseline', 'target', 'targetPeriod']),
    dependsOn: list(values.dependsOn),
    ...withVersion(values),
  };
}

export const progressForm = z.preprocess(
  (values: Values) => ({
    recordedOn: values.recordedOn,
    note: values.note,
    milestonesReached: list(values.milestonesReached),
    evidenceItemIds: list(values.evidenceItemIds),
  }),
  progressBody,
);
export const commentForm = z.preprocess(
  (values: Values) => ({ body: values.body, actionId: orNull(values.actionId) }),
  commentBody,
);

export const aimForm = z.preprocess(aimBodyFromForm, aimBody);
export const updateAimForm = z.preprocess(aimBodyFromForm, updateAimBody);
export const actionForm = z.preprocess(actionBodyFromForm, actionBody);
export const updateActionForm = z.preprocess(actionBodyFromForm, updateActionBody);

/** A saved aim as the form's values. */
export const aimFormValues = (aim: AimRow): Values => ({
  title: aim.title,
  description: aim.description,
  kloeRefs: aim.kloeRefs,
  recommendationIds: aim.recommendationIds,
  version: String(aim.version),
});

/** A saved action as the form's values, its milestones and measures in numbered rows. */
export function actionFormValues(action: ActionRow): Values {
  const values: Values = {
    title: action.title,
    ownerId: action.ownerId ?? '',
    startDate: action.startDate ?? '',
    dueDate: action.dueDate ?? '',
    resources: action.resources,
    dependsOn: action.dependsOn,
    version: String(action.version),
  };
  action.milestones.forEach((m, i) => {
    values[`milestones.${i}.title`] = m.title;
    values[`milestones.${i}.date`] = m.date;
  });
  action.measures.forEach((m, i) => {
    for (const [field, value] of Object.entries(m)) values[`measures.${i}.${field}`] = String(value);
  });
  return values;
}
