/**
 * The value-for-money quadrant drawn as SVG text directly: a fixed 0–100 square of points, two axes, the
 * two halfway lines and a legend. Its scales never change, so ECharts' general layout, a large share of an
 * analysis page's CPU, buys nothing here.
 */
import type { VfmPoint } from './analysis.types.js';
import { escapeXml, GOVUK } from './svg.js';

const WIDTH = 480;
const HEIGHT = 400;
const PLOT = { left: 60, right: WIDTH - 30, top: 40, bottom: HEIGHT - 50 };
const TICKS = [0, 20, 40, 60, 80, 100];
const FONT = 'font-family="arial, sans-serif" font-size="12"';

const x = (position: number) => PLOT.left + ((PLOT.right - PLOT.left) * position) / 100;
const y = (position: number) => PLOT.bottom - ((PLOT.bottom - PLOT.top) * position) / 100;
const at = (n: number) => n.toFixed(1);

export function quadrantAlt(points: readonly VfmPoint[]): string {
  const self = points.find((p) => p.self);
  const where = (p: VfmPoint) =>
    `${p.performance >= 50 ? 'higher' : 'lower'} performance at ${p.cost >= 50 ? 'lower' : 'higher'} cost`;
  return `Value for money quadrant of ${points.length} organisations, cost position across and performance position up (0 worst, 100 best among all providers)${self ? `: ${self.name} is at cost ${Math.round(self.cost)}, performance ${Math.round(self.performance)} — ${where(self)}` : ''}.`;
}

const dot = (p: VfmPoint) =>
  p.self
    ? `<circle cx="${at(x(p.cost))}" cy="${at(y(p.performance))}" r="8" fill="${GOVUK.blue}" stroke="${GOVUK.black}" stroke-width="1"/>`
    : `<circle cx="${at(x(p.cost))}" cy="${at(y(p.performance))}" r="4.5" fill="${GOVUK.lightGrey}"/>`;

/** Cost position (right: cheaper) against performance position (up: better); the organisation stands out. */
export function quadrantChart(points: readonly VfmPoint[]): string {
  const grid = TICKS.map(
    (t) =>
      `<line x1="${at(x(t))}" y1="${PLOT.top}" x2="${at(x(t))}" y2="${PLOT.bottom}" stroke="#e0e6ed"/>` +
      `<line x1="${PLOT.left}" y1="${at(y(t))}" x2="${PLOT.right}" y2="${at(y(t))}" stroke="#e0e6ed"/>` +
      `<text x="${at(x(t))}" y="${PLOT.bottom + 16}" text-anchor="middle" fill="${GOVUK.grey}" ${FONT}>${t}</text>` +
      `<text x="${PLOT.left - 8}" y="${at(y(t) + 4)}" text-anchor="end" fill="${GOVUK.grey}" ${FONT}>${t}</text>`,
  ).join('');
  const halves =
    `<line x1="${at(x(50))}" y1="${PLOT.top}" x2="${at(x(50))}" y2="${PLOT.bottom}" stroke="${GOVUK.grey}"/>` +
    `<line x1="${PLOT.left}" y1="${at(y(50))}" x2="${PLOT.right}" y2="${at(y(50))}" stroke="${GOVUK.grey}"/>`;
  const axisNames =
    `<text x="${at(x(50))}" y="${PLOT.bottom + 40}" text-anchor="middle" fill="${GOVUK.black}" ${FONT}>Cost position (100 = lowest cost)</text>` +
    `<text transform="translate(${PLOT.left - 40} ${at(y(50))}) rotate(-90)" text-anchor="middle" fill="${GOVUK.black}" ${FONT}>Performance position</text>`;
  const legend =
    `<circle cx="150" cy="12" r="4.5" fill="${GOVUK.lightGrey}"/><text x="160" y="16" fill="${GOVUK.black}" ${FONT}>Comparator group</text>` +
    `<circle cx="290" cy="12" r="6" fill="${GOVUK.blue}" stroke="${GOVUK.black}"/><text x="302" y="16" fill="${GOVUK.black}" ${FONT}>This organisation</text>`;
  // The organisation last, so that it is drawn over any member at the same place.
  const dots = [...points.filter((p) => !p.self), ...points.filter((p) => p.self)].map(dot).join('');
  return (
    `<svg role="img" aria-label="${escapeXml(quadrantAlt(points))}" focusable="false" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">` +
    `${grid}${halves}${axisNames}${legend}${dots}</svg>`
  );
}
