/**
 * The indicators module's part of a report: the charts of the assessment's latest analysis snapshot —
 * the frozen figures the judgement rests on, never today's values. One line chart per indicator (the
 * organisation against its comparator group's median and middle half) and the value-for-money quadrant,
 * each with its text alternative and data table.
 */
import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { IndicatorChart, ReportSource } from '../reports/index.js';
import type { Analysis, IndicatorAnalysis } from './analysis.types.js';
import { lineChart, lineChartAlt, type LineSeries } from './charts.js';
import { formatFigure } from './figure-format.js';
import { quadrantAlt, quadrantChart } from './quadrant-chart.js';
import { indicatorSnapshots } from './indicators.tables.js';

function indicatorChart(analysis: Analysis, indicator: IndicatorAnalysis): IndicatorChart {
  const cell = (n: number | null | undefined) => formatFigure(n, indicator.unit);
  const series: LineSeries = {
    title: indicator.title,
    unit: indicator.unit,
    organisation: analysis.organisation.name,
    labels: indicator.periods.map((p) => p.label),
    own: indicator.periods.map((p) => p.value),
    q1: indicator.periods.map((p) => p.group?.q1 ?? null),
    median: indicator.periods.map((p) => p.group?.median ?? null),
    q3: indicator.periods.map((p) => p.group?.q3 ?? null),
  };
  return {
    id: `indicator-${indicator.code}`,
    title: `${indicator.code} ${indicator.title} (${indicator.unit})`,
    svg: lineChart(series),
    textAlternative: lineChartAlt(series),
    table: {
      caption: `${indicator.title}: ${analysis.organisation.name} and ${analysis.group.name}`,
      columns: ['Period', analysis.organisation.name, 'Group lower quartile', 'Group median', 'Group upper quartile'],
      rows: indicator.periods.map((p) => [
        p.label,
        cell(p.value),
        cell(p.group?.q1),
        cell(p.group?.median),
        cell(p.group?.q3),
      ]),
    },
  };
}

function quadrant(analysis: Analysis): IndicatorChart[] {
  const points = analysis.summary.valueForMoney;
  if (points.length === 0) return [];
  return [
    {
      id: 'value-for-money',
      title: 'Value for money: cost against performance',
      svg: quadrantChart(points),
      textAlternative: quadrantAlt(points),
      table: {
        caption: 'Value for money positions in the comparator group',
        columns: ['Organisation', 'Cost position', 'Performance position'],
        rows: points.map((p) => [
          p.self ? `${p.name} (this organisation)` : p.name,
          // Positions on a 0–100 scale: whole numbers, as the chart's words give them.
          String(Math.round(p.cost)),
          String(Math.round(p.performance)),
        ]),
      },
    },
  ];
}

export function indicatorsReportSource(db: Database): ReportSource {
  return {
    async load(assessmentId) {
      const [latest] = await db
        .select({ analysis: indicatorSnapshots.analysis, chosen: indicatorSnapshots.reportIndicators })
        .from(indicatorSnapshots)
        .where(eq(indicatorSnapshots.assessmentId, assessmentId))
        .orderBy(desc(indicatorSnapshots.asOf))
        .limit(1);
      if (!latest) return {};
      const analysis = latest.analysis as Analysis;
      // Only the indicators the team chose: a chart of every indicator held buries the ones the judgement rests on.
      const chosen = analysis.indicators.filter((i) => latest.chosen.includes(i.code));
      return { charts: [...quadrant(analysis), ...chosen.map((i) => indicatorChart(analysis, i))] };
    },
  };
}
