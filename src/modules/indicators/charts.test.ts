import { describe, expect, it } from 'vitest';
import { lineChart, lineChartAlt, quadrantAlt, quadrantChart, sparkline } from './charts.js';

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

  it('places the organisation in the value-for-money quadrant, in words too', () => {
    const points = [
      { code: 'A', name: 'Ashby', self: true, cost: 80, performance: 30 },
      { code: 'B', name: 'Brook', self: false, cost: 20, performance: 70 },
    ];
    expect(quadrantAlt(points)).toContain('Ashby is at cost 80, performance 30 — lower performance at lower cost');
    expect(quadrantChart(points)).toMatch(/^<svg role="img" aria-label="Value for money quadrant of 2 organisations/);
  });

  it('draws the quadrant again when its points move, and the same drawing for the same points', () => {
    const points = [
      { code: 'A', name: 'Ashby', self: true, cost: 80, performance: 30 },
      { code: 'B', name: 'Brook', self: false, cost: 20, performance: 70 },
    ];
    const first = quadrantChart(points);
    expect(quadrantChart(points.map((p) => ({ ...p })))).toBe(first);
    const moved = quadrantChart([{ ...points[0]!, performance: 90 }, points[1]!]);
    expect(moved).not.toBe(first);
    expect(moved).toContain('performance 90');
  });
});
