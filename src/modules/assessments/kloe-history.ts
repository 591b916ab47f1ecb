/**
 * A KLOE save in plain words, in the framework's terms: "Ian Fletcher changed 4.2-P1 from not yet judged to
 * partly met". Each change of a kloe.updated audit entry (the KLOE's findings and judgement before and after)
 * becomes a sentence, never an id, a field name or JSON; assessment-history.ts words the other actions. Pure.
 */

export interface KloeHistoryLabels {
  /** Outcome id → label ("partly_met" → "Partly met"). */
  outcomes: Record<string, string>;
  /** Rating level id → label. */
  ratings: Record<string, string>;
  /** The best descriptor's level, lower case ("promising"), for the "exceeds" mark. */
  bestLevel: string;
}

interface KloeRecordShape {
  findings?: Record<string, { outcome?: string; note?: string | null }>;
  strengths?: string[];
  areasForImprovement?: string[];
  exceeded?: boolean;
  finalRating?: string | null;
  rationale?: string | null;
}

const isRecord = (value: unknown): value is KloeRecordShape =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** "Sam Second <sam@example.org>" → "Sam Second": the history names people, the audit pages say more. */
export const personName = (label: string) => label.replace(/\s*<[^>]*>\s*$/, '') || label;

/** Text someone wrote, in quotes, cut to 120 characters. */
export const quoted = (text: string) => `“${text.length > 120 ? `${text.slice(0, 117)}…` : text}”`;

/** The sentences of one KLOE save, in the page's order: findings, strengths, areas, the rating. */
export function kloeChanges(before: unknown, after: unknown, labels: KloeHistoryLabels): string[] {
  const was = isRecord(before) ? before : {};
  const now = isRecord(after) ? after : {};
  const outcome = (id: string | undefined) => (labels.outcomes[id ?? 'not_judged'] ?? id ?? '').toLowerCase();
  const rating = (id: string | null | undefined) => (id ? (labels.ratings[id] ?? id).toLowerCase() : 'not rated');
  const changes: string[] = [];

  const refs = [...new Set([...Object.keys(was.findings ?? {}), ...Object.keys(now.findings ?? {})])].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  for (const ref of refs) {
    const [old, next] = [was.findings?.[ref], now.findings?.[ref]];
    if ((old?.outcome ?? 'not_judged') !== (next?.outcome ?? 'not_judged')) {
      changes.push(`changed ${ref} from ${outcome(old?.outcome)} to ${outcome(next?.outcome)}`);
    }
    const [oldNote, newNote] = [old?.note ?? '', next?.note ?? ''];
    if (oldNote !== newNote) {
      changes.push(newNote ? `wrote the note on ${ref}: ${quoted(newNote)}` : `removed the note on ${ref}`);
    }
  }
  for (const [key, noun] of [
    ['strengths', 'strength'],
    ['areasForImprovement', 'area for improvement'],
  ] as const) {
    const [old, next] = [was[key] ?? [], now[key] ?? []];
    for (const line of next.filter((l) => !old.includes(l))) changes.push(`added the ${noun} ${quoted(line)}`);
    for (const line of old.filter((l) => !next.includes(l))) changes.push(`removed the ${noun} ${quoted(line)}`);
  }
  if (Boolean(was.exceeded) !== Boolean(now.exceeded)) {
    changes.push(
      now.exceeded
        ? `marked the service as exceeding the ${labels.bestLevel} descriptor`
        : `took away the mark that the service exceeds the ${labels.bestLevel} descriptor`,
    );
  }
  if ((was.finalRating ?? null) !== (now.finalRating ?? null)) {
    changes.push(`changed the final rating from ${rating(was.finalRating)} to ${rating(now.finalRating)}`);
  }
  if ((was.rationale ?? '') !== (now.rationale ?? '')) {
    changes.push(now.rationale ? `wrote the rationale ${quoted(now.rationale)}` : 'removed the rationale');
  }
  return changes;
}
