/**
 * Charts as SVG made on the server, so they show without JavaScript and go into reports as they are.
 * The line chart uses ECharts' server-side SVG renderer (the project's chart library); sparklines are a
 * single polyline each, drawn here, because a page shows hundreds of them and an ECharts instance per
 * sparkline would cost more than the rest of the page; the value-for-money quadrant is drawn directly too
 * (quadrant-chart.ts). Every chart is an image with a text alternative; pages and reports put the data
 * table beside it (renderCharts).
 */
import * as echarts from 'echarts';
import type { Analysis } from './analysis.types.js';
import { quadrantAlt, quadrantChart } from './quadrant-chart.js';
import { formatFigure } from './figure-format.js';
import { escapeXml, GOVUK, withoutInlineStyles } from './svg.js';

/**
 * ECharts' SVG with role="img" and the text alternative on the root element, and no inline styles (the
 * pages' Content-Security-Policy refuses them; see withoutInlineStyles).
 */
function render(option: echarts.EChartsOption, size: { width: number; height: number }, alt: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'arial, sans-serif' }, ...option });
    return withoutInlineStyles(chart.renderToSVGString()).replace(
      '<svg ',
      `<svg role="img" aria-label="${escapeXml(alt)}" focusable="false" `,
    );
  } finally {
    chart.dispose();
  }
}

export interface LineSeries {
  title: string;
  unit: string;
  organisation: string;
  labels: string[];
  own: (number | null)[];
  q1: (number | null)[];
  median: (number | null)[];
  q3: (number | null)[];
}

const fmt = (n: number | null, unit: string) => (n === null ? 'no value' : formatFigure(n, unit));

export function lineChartAlt(s: LineSeries): string {
  const first = s.own.findIndex((v) => v !== null);
  const last = s.own.findLastIndex((v) => v !== null);
  const own =
    first < 0
      ? `${s.organisation} has no values`
      : `${s.organisation} went from ${fmt(s.own[first]!, s.unit)} in ${s.labels[first]} to ${fmt(s.own[last]!, s.unit)} in ${s.labels[last]}`;
  const end = s.median.findLastIndex((v) => v !== null);
  const group =
    end < 0
      ? 'the comparator group has no values'
      : `the comparator group's median was ${fmt(s.median[end]!, s.unit)} in ${s.labels[end]}, its middle half between ${fmt(s.q1[end] ?? null, s.unit)} and ${fmt(s.q3[end] ?? null, s.unit)}`;
  return `Line chart of ${s.title} (${s.unit}), ${s.labels[0]} to ${s.labels.at(-1)}: ${own}; ${group}.`;
}

/** The organisation's line against its comparator group's median, over the group's interquartile band. */
export function lineChart(s: LineSeries): string {
  const band = s.q3.map((q3, i) => (q3 === null || s.q1[i] === null ? null : q3 - s.q1[i]!));
  return render(
    {
      // Legend entries stacked under the chart from its left edge: side by side, server-measured text widths
      // let them overlap, and stacked on the right a long organisation name ran past the image's edge.
      grid: { left: 60, right: 30, top: 30, bottom: 100 },
      legend: {
        orient: 'vertical',
        left: 55,
        bottom: 8,
        data: [s.organisation, 'Comparator median', 'Middle half of the group'],
      },
      xAxis: { type: 'category', data: s.labels, axisLine: { lineStyle: { color: GOVUK.grey } } },
      yAxis: { type: 'value', name: s.unit, scale: true },
      series: [
        { type: 'line', data: s.q1, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
        {
          name: 'Middle half of the group',
          type: 'line',
          data: band,
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          areaStyle: { color: GOVUK.band },
          itemStyle: { color: GOVUK.band },
        },
        {
          name: 'Comparator median',
          type: 'line',
          data: s.median,
          symbol: 'none',
          lineStyle: { type: 'dashed', color: GOVUK.grey },
          itemStyle: { color: GOVUK.grey },
        },
        {
          name: s.organisation,
          type: 'line',
          data: s.own,
          symbolSize: 7,
          lineStyle: { width: 3, color: GOVUK.blue },
          itemStyle: { color: GOVUK.blue },
        },
      ],
    },
    { width: 760, height: 390 },
    lineChartAlt(s),
  );
}

/** A small line of values (gaps left open), best read beside the numbers in a table. */
export function sparkline(values: readonly (number | null)[], alt: string, size = { width: 120, height: 28 }): string {
  const present = values.filter((v): v is number => v !== null);
  const min = Math.min(...present);
  const max = Math.max(...present);
  const x = (i: number) => (values.length <= 1 ? size.width / 2 : 2 + (i * (size.width - 4)) / (values.length - 1));
  const y = (v: number) =>
    max === min ? size.height / 2 : size.height - 3 - ((v - min) * (size.height - 6)) / (max - min);
  const runs: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null) runs.push([]);
    else runs.at(-1)!.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  const lines = runs
    .filter((r) => r.length > 0)
    .map((r) =>
      r.length === 1
        ? `<circle cx="${r[0]!.split(',')[0]}" cy="${r[0]!.split(',')[1]}" r="1.5" fill="${GOVUK.blue}"/>`
        : `<polyline points="${r.join(' ')}" fill="none" stroke="${GOVUK.blue}" stroke-width="1.5"/>`,
    );
  return `<svg role="img" aria-label="${escapeXml(alt)}" focusable="false" xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}">${lines.join('')}</svg>`;
}

export interface ChartSet {
  /** Sparkline per indicator code over the analysis window. */
  sparklines: Record<string, string>;
  quadrant: { svg: string; alt: string } | undefined;
}

/** One indicator's sparkline over the analysis window, described by its values. */
export function indicatorSparkline(i: Analysis['indicators'][number]): string {
  const described = i.periods.map((p) => `${p.label} ${fmt(p.value, i.unit)}`).join(', ');
  return sparkline(
    i.periods.map((p) => p.value),
    `${i.title}: ${described}`,
  );
}

/** The charts of an analysis, for pages and for the reports module to embed. */
export function renderCharts(analysis: Analysis): ChartSet {
  const sparklines: Record<string, string> = {};
  for (const i of analysis.indicators) sparklines[i.code] = indicatorSparkline(i);
  const points = analysis.summary.valueForMoney;
  return {
    sparklines,
    quadrant: points.length > 0 ? { svg: quadrantChart(points), alt: quadrantAlt(points) } : undefined,
  };
}
