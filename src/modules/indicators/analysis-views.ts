/**
 * What the analysis page shows of an organisation — the analysis, its figures by KLOE, its charts and the
 * comparator groups to choose from — remembered under the mark of everything it is made from
 * (`analysisVersion`: recomputes, trend window, values generations, definitions, organisations, groups).
 * The mark is read on every request, after the actor's right to see the organisation is checked, and before
 * the figures, so a remembered view is never older than its mark: an import, a recompute, a renamed
 * organisation or a new group gives a new mark, and the next request builds the view again. Building one
 * at national scale (200 indicators, 16 organisations) reads thousands of rows and draws hundreds of
 * sparklines; a remembered one costs the mark's query. Views are immutable (render-memo.ts), so the
 * page rendered from one is remembered too. Several requests for a view not yet built share one build.
 */
import { immutableContent, RenderMemo } from '../../web/render-memo.js';
import type { UserActor } from '../accounts/index.js';
import type { Analysis } from './analysis.types.js';
import { renderCharts } from './charts.js';
import type { ComparatorGroupsService } from './comparator-groups.service.js';
import { kloeFigures } from './kloe-figures.js';
import type { IndicatorsService } from './indicators.service.js';

export interface AnalysisView {
  analysis: Analysis;
  figures: { kloe: string; lines: string[] }[];
  charts: ReturnType<typeof renderCharts>;
  groups: { id: string; name: string }[];
  /** When the results were last recomputed (ISO), or null before the first recompute. */
  recomputedAt: string | null;
  /** Roughly the characters the view holds: what the store is bounded by. */
  length: number;
}

/** Some dozens of views of 200 indicators each (a view is counted by the length of its JSON and SVG). */
const VIEWS_LENGTH = 24 * 1024 * 1024;

export function createAnalysisViews(
  deps: { indicators: IndicatorsService; groups: Pick<ComparatorGroupsService, 'list'> },
  maxLength = VIEWS_LENGTH,
) {
  const views = new RenderMemo<AnalysisView>(maxLength);
  const building = new Map<string, Promise<AnalysisView>>();

  async function build(
    actor: UserActor,
    organisationId: string,
    groupId: string | undefined,
    recomputedAt: Date | null,
  ) {
    const analysis = await deps.indicators.analysis(actor, organisationId, { groupId });
    const groups = (await deps.groups.list()).map(({ id, name }) => ({ id, name }));
    const charts = renderCharts(analysis);
    const figures = Object.entries(kloeFigures(analysis)).map(([kloe, lines]) => ({ kloe, lines }));
    const length =
      JSON.stringify(analysis).length +
      Object.values(charts.sparklines).reduce((sum, svg) => sum + svg.length, 0) +
      (charts.quadrant?.svg.length ?? 0);
    return immutableContent({
      analysis,
      figures,
      charts,
      groups,
      recomputedAt: recomputedAt?.toISOString() ?? null,
      length,
    });
  }

  return {
    /** The view of an organisation's analysis, with `groupId`'s group or its nearest neighbours. */
    async get(actor: UserActor, organisationId: string, groupId: string | undefined): Promise<AnalysisView> {
      const version = await deps.indicators.analysisVersion(actor, organisationId);
      const key = `${organisationId} ${groupId ?? ''} ${version.key}`;
      const remembered = views.get(key);
      if (remembered) return remembered;
      let pending = building.get(key);
      if (!pending) {
        pending = build(actor, organisationId, groupId, version.recomputedAt);
        building.set(key, pending);
        pending.then(
          (view) => views.set(key, view),
          () => undefined, // the caller gets the error; nothing is remembered
        );
        void pending.finally(() => building.delete(key)).catch(() => undefined);
      }
      return pending;
    },
  };
}

export type AnalysisViews = ReturnType<typeof createAnalysisViews>;
