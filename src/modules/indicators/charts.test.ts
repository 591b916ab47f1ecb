import { describe, expect, it } from 'vitest';
import { lineChart, lineChartAlt, sparkline } from './charts.js';
import { quadrantAlt, quadrantChart } from './quadrant-chart.js';
import { withoutInlineStyles } from './svg.js';

const series = {
  title: 'Rent collected',
  unit: '%',
  organisation: 'Ashby & Brook <Homes>',
  labels: ['2021/22', '2022/23', '2023/24'],
  own: [95, null, 97],
  q1: [94, 94.5, null],
  median: [96, 96.2, null],
  q3: [97, 97.5, null],
};

describe('charts', () => {
  it('draws the line chart without inline styles, its labels keeping their font as attributes', () => {
    const svg = lineChart(series);
    expect(svg).not.toMatch(/\sstyle=|<style|zr\d+-cls/);
    expect(svg).toMatch(/<text[^>]* font-size="12px" font-family="arial, sans-serif"/);
  });

  it('writes style attributes, the font shorthand among them, as presentation attributes', () => {
    expect(
      withoutInlineStyles(
        '<svg><style>.zr1-cls-0:hover{cursor:pointer}</style><path class="zr1-cls-0" d="M0 0"/><text style="font: italic bold 14px &quot;GDS Transport&quot;, arial;fill:red">A</text><text style="font: nonsense">B</text></svg>',
      ),
    ).toBe(
      '<svg><path d="M0 0"/><text font-style="italic" font-weight="bold" font-size="14px" font-family="&quot;GDS Transport&quot;, arial" fill="red">A</text><text>B</text></svg>',
    );
  });

  it('draws a sparkline as one line per run of values, leaving gaps open', () => {
    const svg = sparkline([1, 2, null, 4, 5, null, 7], 'Rent <collected>');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(1); // the lone last value
    expect(svg).toContain('role="img" aria-label="Rent &lt;collected&gt;"');
  });

  it('keeps a flat sparkline in the middle', () => {
    expect(sparkline([3, 3], 'flat')).toContain('points="2.0,14.0 118.0,14.0"');
  });

  it('describes the line chart in words: first and last value, and the latest group figures', () => {
    expect(lineChartAlt(series)).toBe(
      "Line chart of Rent collected (%), 2021/22 to 2023/24: Ashby & Brook <Homes> went from 95 in 2021/22 to 97 in 2023/24; the comparator group's median was 96.2 in 2022/23, its middle half between 94.5 and 97.5.",
    );
    const svg = lineChart(series);
    expect(svg.startsWith('<svg role="img" aria-label="Line chart of Rent collected')).toBe(true);
    expect(svg).toContain('Ashby &amp; Brook &lt;Homes&gt;');
  });

  it('says when the comparator group has no values, rather than giving "no value" as its figures', () => {
    const none = [null, null, null];
    expect(lineChartAlt({ ...series, q1: none, median: none, q3: none })).toBe(
      'Line chart of Rent collected (%), 2021/22 to 2023/24: Ashby & Brook <Homes> went from 95 in 2021/22 to 97 in 2023/24; the comparator group has no values.',
    );
  });

  it('places the organisation in the value-for-money quadrant, in words too', () => {
    const points = [
      { code: 'A', name: 'Ashby', self: true, cost: 80, performance: 30 },
      { code: 'B', name: 'Brook', self: false, cost: 20, performance: 70 },
    ];
    expect(quadrantAlt(points)).toContain('Ashby is at cost 80, performance 30 — lower performance at lower cost');
    expect(quadrantChart(points)).toMatch(/^<svg role="img" aria-label="Value for money quadrant of 2 organisations/);
  });

  it('places each point on the 0–100 scales, the organisation drawn last and larger', () => {
    const points = [
      { code: 'A', name: 'Ashby', self: true, cost: 80, performance: 30 },
      { code: 'B', name: 'Brook', self: false, cost: 0, performance: 100 },
    ];
    const svg = quadrantChart(points);
    // The plot runs from x 60 (0) to 450 (100) and from y 350 (0) up to 40 (100).
    expect(svg).toContain('<circle cx="60.0" cy="40.0" r="4.5"');
    expect(svg).toMatch(/<circle cx="372.0" cy="257.0" r="8"[^>]*\/><\/svg>$/);
  });
});
