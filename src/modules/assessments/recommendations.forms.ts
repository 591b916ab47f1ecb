/**
 * The recommendation form as posted by a browser: checkboxes arrive as one value or a list, and an area
 * for improvement is named "<KLOE ref>|<its position on the KLOE>" (its text may be long and contain
 * anything), turned back into its text from the KLOE's current areas.
 */
export interface LinkOption {
  ref: string;
  question: string;
  areas: string[];
}

const list = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

export const areaValue = (ref: string, index: number) => `${ref}|${index}`;

export function recommendationBodyFromForm(values: Record<string, unknown>, options: LinkOption[]) {
  const areas = list(values.areas).flatMap((value) => {
    const [ref, index] = value.split('|');
    const text = options.find((o) => o.ref === ref)?.areas[Number(index)];
    // A stale choice (the area was removed since the form was shown) is kept by value, so the service names it.
    return [{ kloeRef: ref ?? '', text: text ?? value }];
  });
  return {
    text: values.text,
    priority: values.priority === '' ? undefined : values.priority,
    outcome: values.outcome,
    kloeRefs: list(values.kloeRefs),
    areas,
    ...(values.version === undefined ? {} : { version: values.version }),
  };
}

/** A saved recommendation as the form's values. */
export function recommendationFormValues(
  row: {
    text: string;
    priority: string;
    outcome: string;
    kloeRefs: string[];
    areas: { kloeRef: string; text: string }[];
    version: number;
  },
  options: LinkOption[],
) {
  return {
    text: row.text,
    priority: row.priority,
    outcome: row.outcome,
    kloeRefs: row.kloeRefs,
    areas: row.areas.flatMap((area) => {
      const index = options.find((o) => o.ref === area.kloeRef)?.areas.indexOf(area.text) ?? -1;
      return index < 0 ? [] : [areaValue(area.kloeRef, index)];
    }),
    version: String(row.version),
  };
}
