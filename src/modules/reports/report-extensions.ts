/**
 * What other modules add to a report: the evidence behind each KLOE and its appendix (the evidence
 * module) and performance-indicator charts (the indicators module). A report renders whatever a source
 * gives and nothing when it gives nothing; wiring a module in is passing its source to
 * `registerReports(app, { …, sources: [evidenceReportSource, indicatorReportSource] })`.
 */

/** One evidence item cited for a KLOE (or one of its statements). */
export interface EvidenceRef {
  /** Matches an appendix entry's id, so the reference can point at it. */
  id: string;
  title: string;
  relation: 'supports' | 'contradicts';
  /** Set when the evidence bears on one statement rather than the whole KLOE. */
  statementRef?: string;
}

/** One row of the evidence appendix. */
export interface EvidenceAppendixEntry {
  id: string;
  title: string;
  /** document, interview, focus group, site visit, survey, performance data, observation, correspondence… */
  kind: string;
  /** Where it came from (a person, a system, a file name). */
  source: string;
  /** Calendar date, e.g. 2026-03-14; null when undated. */
  date: string | null;
  /** SHA-256 of the file in hexadecimal; null for evidence without a file. */
  sha256: string | null;
}

/** A table for people who cannot see the chart, beside it in every format. */
export interface DataTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** A server-side chart: the SVG as in the pages, what it shows in words, and its data. */
export interface IndicatorChart {
  id: string;
  title: string;
  svg: string;
  textAlternative: string;
  table: DataTable;
}

export interface ReportExtensions {
  /** By KLOE ref. */
  evidenceRefs: Record<string, EvidenceRef[]>;
  evidence: EvidenceAppendixEntry[];
  charts: IndicatorChart[];
}

/** A module's contribution to the report of one assessment (the caller may see it: checked before). */
export interface ReportSource {
  load(assessmentId: string): Promise<Partial<ReportExtensions>>;
}

export const emptyExtensions = (): ReportExtensions => ({ evidenceRefs: {}, evidence: [], charts: [] });

/** Every source's contribution, merged; a KLOE's references keep the sources' order. */
export async function loadExtensions(
  sources: readonly ReportSource[],
  assessmentId: string,
): Promise<ReportExtensions> {
  const merged = emptyExtensions();
  for (const part of await Promise.all(sources.map((s) => s.load(assessmentId)))) {
    for (const [ref, refs] of Object.entries(part.evidenceRefs ?? {})) {
      (merged.evidenceRefs[ref] ??= []).push(...refs);
    }
    merged.evidence.push(...(part.evidence ?? []));
    merged.charts.push(...(part.charts ?? []));
  }
  return merged;
}

/**
 * A source whose contribution depends only on what `key` names (e.g. a frozen snapshot), loaded once per key:
 * the indicator charts are drawn by ECharts, about 8 ms each, and a report page with 20 of them spent most of
 * its time drawing the same pictures again. The latest `max` keys are kept (least recently used out first);
 * no key (undefined) loads afresh. What is kept is shared: callers never change it.
 */
export function memoisedSource(
  source: ReportSource,
  key: (assessmentId: string) => Promise<string | undefined>,
  max = 32,
): ReportSource {
  const kept = new Map<string, Promise<Partial<ReportExtensions>>>();
  return {
    async load(assessmentId) {
      const k = await key(assessmentId);
      if (k === undefined) return source.load(assessmentId);
      let loaded = kept.get(k);
      if (loaded) {
        kept.delete(k); // to the back: the most recently used
      } else {
        loaded = source.load(assessmentId);
        // A failed load is not kept: the next request tries again.
        loaded.catch(() => kept.delete(k));
        if (kept.size >= max) kept.delete(kept.keys().next().value!);
      }
      kept.set(k, loaded);
      return loaded;
    },
  };
}
