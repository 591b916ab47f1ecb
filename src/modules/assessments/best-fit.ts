/**
 * The best-fit rule: the rating a KLOE's findings suggest. Pure. The assessor decides the final rating;
 * this only proposes one, and says why, so that a final rating that differs can be explained against it.
 *
 * The levels come from the framework's rating scale, never from their names. The levels with a descriptor
 * (Judgement 2: promising, uncertain) are the middle ones, taken best first. The level just above them,
 * which has no descriptor (excellent), is the "exceeds" level; the level just below them (poor) is the
 * "falls short" level — or, on a scale with nothing below its descriptors, its worst level.
 *
 * 1. Each descriptor level gets a score from the findings on its statements:
 *      score = (met + partlyMetWeight × partly met) / judged statements of that descriptor.
 *    Statements not yet judged (no finding, or "not_judged") count for nothing either way.
 * 2. No rating is suggested until at least minimumJudgedShare of the KLOE's statements are judged (by
 *    default all of them): the reason says how many are still to judge.
 * 3. The exceeds level when every statement of the best descriptor is met — fully, none partly — and the
 *    assessor has marked that the service exceeds that descriptor. Neither is enough alone: the descriptor
 *    says what promising looks like, only the assessor can say the service goes beyond it.
 * 4. Otherwise the first descriptor level, best first, whose score reaches its threshold: promisingThreshold
 *    for the best descriptor, uncertainThreshold for each one below it.
 * 5. Otherwise the falls-short level: the service falls short even of the lowest descriptor.
 *
 * A descriptor the KLOE does not have (one seed extraction lacks 5.1.1's promising descriptor) has no
 * score: its level, and the exceeds level above it when it is the best, cannot be suggested from findings,
 * and the walk goes on to the next level. A descriptor whose statements are all unjudged (possible only
 * when minimumJudgedShare is below 1) stops the walk with no suggestion: the service might yet fit it.
 *
 * Drivers are the statements that decided the outcome, supporters first, each in document order. Those of
 * the suggested level that are met or partly met support it; those of the nearest descriptor above it that
 * the KLOE has, partly or not met, hold it back (for the best descriptor: its own, which keep it from the
 * exceeds level). A partly met statement of the best descriptor therefore drives it twice: it counts towards
 * promising and keeps the service from excellent; each driver names the level it supports or holds back from,
 * and driversByStatement puts a statement's effects together so that pages list it once. Every statement of
 * the best descriptor supports an exceeds suggestion; a falls-short suggestion has only statements that hold
 * it back.
 *
 * The module is pure and imports no code (only types), so the browser runs the very same rule: it is bundled
 * into the KLOE page's script (web/assets/kloe-suggestion.js), which updates the suggestion as findings change.
 */
import type { RatingLevel } from '../frameworks/index.js';
import type { FindingOutcome } from './assessments.tables.js';
import type { KloeRules } from '../frameworks/index.js';

/** A statement of the KLOE under the rating level of its descriptor. */
export interface KloeStatement {
  ref: string;
  level: string;
  text: string;
}

export interface KloeRatingInput {
  /** The framework's rating scale, best to worst. */
  ratingScale: readonly RatingLevel[];
  /** The KLOE's statements, in document order. */
  statements: readonly KloeStatement[];
  /** The finding per statement ref; a statement without one is not yet judged. */
  findings: ReadonlyMap<string, FindingOutcome>;
  /** The assessor's mark that the service exceeds the best descriptor. */
  exceeded: boolean;
}

export interface LevelScore {
  met: number;
  partlyMet: number;
  notMet: number;
  judged: number;
  total: number;
  /** Null when there is nothing to score: no statements, or none judged. */
  score: number | null;
}

export interface RatingDriver {
  ref: string;
  level: string;
  /** Carried so that pages and reports can list the drivers without looking the statements up again. */
  text: string;
  finding: FindingOutcome;
  effect: 'supports' | 'holds back';
  /** The level id it supports, or holds the service back from. */
  rating: string;
}

/** A statement that drove the suggestion, once, with everything it does (supports promising, holds back from excellent). */
export interface StatementDriver {
  ref: string;
  level: string;
  text: string;
  finding: FindingOutcome;
  effects: { effect: RatingDriver['effect']; rating: string }[];
  /** In words: "supports promising and holds back from excellent". */
  does: string;
}

/** The drivers a statement at a time, in the order each statement first drives the suggestion. */
export function driversByStatement(
  drivers: readonly RatingDriver[],
  ratingScale: readonly RatingLevel[],
): StatementDriver[] {
  const byRef = new Map<string, StatementDriver>();
  for (const { effect, rating, ...statement } of drivers) {
    const known = byRef.get(statement.ref);
    if (known) known.effects.push({ effect, rating });
    else byRef.set(statement.ref, { ...statement, effects: [{ effect, rating }], does: '' });
  }
  const name = (id: string) => ratingScale.find((level) => level.id === id)?.label.toLowerCase() ?? id;
  for (const statement of byRef.values()) {
    statement.does = joinList(
      statement.effects.map((e) =>
        e.effect === 'supports' ? `supports ${name(e.rating)}` : `holds back from ${name(e.rating)}`,
      ),
    );
  }
  return [...byRef.values()];
}

export interface KloeSuggestion {
  /** A level id of the scale, or null when the findings do not yet support a suggestion. */
  rating: string | null;
  /** Per descriptor level id, in scale order. */
  scores: Record<string, LevelScore>;
  /** Plain English sentences, in the order the rule weighed them. */
  reasons: string[];
  drivers: RatingDriver[];
}

/** Where the walk down the scale stopped: a descriptor level is named by its position among them. */
type Outcome =
  | { kind: 'exceeds'; level: RatingLevel }
  | { kind: 'fits'; index: number }
  | { kind: 'falls short'; level: RatingLevel }
  | { kind: 'undecided' };

interface ScaleShape {
  /** Best first. */
  descriptorLevels: RatingLevel[];
  exceeds: RatingLevel | undefined;
  fallsShort: RatingLevel | undefined;
}

export function suggestKloeRating(input: KloeRatingInput, rules: KloeRules): KloeSuggestion {
  const shape = shapeOf(input.ratingScale);
  checkStatementLevels(input.statements, shape.descriptorLevels);
  const statementsOf = (level: RatingLevel) => input.statements.filter((statement) => statement.level === level.id);
  const scores: Record<string, LevelScore> = {};
  for (const level of shape.descriptorLevels) {
    scores[level.id] = scoreOf(statementsOf(level), input.findings, rules.partlyMetWeight);
  }

  const readiness = readinessProblem(Object.values(scores), rules.minimumJudgedShare);
  if (readiness) return { rating: null, scores, reasons: [readiness], drivers: [] };

  const reasons: string[] = [];
  const outcome = walkDown(shape, scores, input.exceeded, rules, reasons);
  const drivers = driversOf(outcome, shape, scores, (level) => withFindings(statementsOf(level), input.findings));
  return { rating: ratingOf(outcome, shape), scores, reasons, drivers };
}

function shapeOf(scale: readonly RatingLevel[]): ScaleShape {
  const first = scale.findIndex((level) => level.hasDescriptor);
  const last = scale.findLastIndex((level) => level.hasDescriptor);
  return {
    descriptorLevels: scale.filter((level) => level.hasDescriptor),
    exceeds: first > 0 ? scale[first - 1] : undefined,
    fallsShort: scale[last + 1] ?? scale.at(-1),
  };
}

/** A statement under a level without a descriptor means the caller mixed up frameworks: fail loudly. */
function checkStatementLevels(statements: readonly KloeStatement[], descriptorLevels: RatingLevel[]): void {
  const ids = new Set(descriptorLevels.map((level) => level.id));
  const stray = statements.find((statement) => !ids.has(statement.level));
  if (stray) {
    throw new Error(`Statement ${stray.ref} is under "${stray.level}", which is not a descriptor level of the scale`);
  }
}

function scoreOf(
  statements: KloeStatement[],
  findings: ReadonlyMap<string, FindingOutcome>,
  partlyMetWeight: number,
): LevelScore {
  const count = (outcome: FindingOutcome) => statements.filter((s) => findings.get(s.ref) === outcome).length;
  const [met, partlyMet, notMet] = [count('met'), count('partly_met'), count('not_met')];
  const judged = met + partlyMet + notMet;
  const score = judged === 0 ? null : (met + partlyMetWeight * partlyMet) / judged;
  return { met, partlyMet, notMet, judged, total: statements.length, score };
}

/** Why no rating can be suggested yet, or undefined when one can. */
function readinessProblem(scores: LevelScore[], minimumJudgedShare: number): string | undefined {
  const total = sum(scores.map((score) => score.total));
  const judged = sum(scores.map((score) => score.judged));
  if (total === 0) return 'This KLOE has no statements to judge, so no rating can be suggested from findings.';
  // A division, not judged < share × total: 3/10 rounds to exactly the same number as a share written 0.3.
  if (judged / total >= minimumJudgedShare) return undefined;
  const needed =
    minimumJudgedShare === 1 ? 'every statement is' : `at least ${percent(minimumJudgedShare)} of them are`;
  return `${countOf(total - judged, total, 'statement')} not yet judged; a rating is suggested once ${needed} judged.`;
}

/** Steps 3 to 5 of the rule, best level first, saying at each step what it found. */
function walkDown(
  shape: ScaleShape,
  scores: Record<string, LevelScore>,
  exceeded: boolean,
  rules: KloeRules,
  reasons: string[],
): Outcome {
  for (const [index, level] of shape.descriptorLevels.entries()) {
    const score = scores[level.id]!;
    const name = nameOf(level);
    const exceeds = index === 0 ? shape.exceeds : undefined;
    if (score.total === 0) {
      const levels = exceeds ? `neither ${nameOf(exceeds)} nor ${name} can` : `${name} cannot`;
      reasons.push(`This KLOE has no ${name} statements, so ${levels} be suggested from the findings.`);
      continue;
    }
    if (score.score === null) {
      reasons.push(`None of the ${score.total} ${name} statements is judged yet, so no rating can be suggested.`);
      return { kind: 'undecided' };
    }
    const threshold = index === 0 ? rules.promisingThreshold : rules.uncertainThreshold;
    reasons.push(scoreSentence(name, score, score.score, threshold));
    if (exceeds) {
      const { fits, reason } = weighExceeds(exceeds, name, score, exceeded);
      if (reason) reasons.push(reason);
      if (fits) return { kind: 'exceeds', level: exceeds };
    }
    if (score.score >= threshold) return { kind: 'fits', index };
  }
  const lowest = shape.descriptorLevels.findLast((level) => scores[level.id]!.total > 0)!;
  reasons.push(`The findings fall short even of the ${nameOf(lowest)} descriptor.`);
  return { kind: 'falls short', level: shape.fallsShort! };
}

/** Whether the exceeds level fits, and a sentence when the assessor's mark or the findings point towards it. */
function weighExceeds(exceeds: RatingLevel, name: string, score: LevelScore, exceeded: boolean) {
  const allMet = score.met === score.total;
  if (allMet && exceeded) {
    return { fits: true, reason: `All ${name} statements are met and the service is marked as exceeding them.` };
  }
  if (allMet) {
    const reason = `Every ${name} statement is met; ${nameOf(exceeds)} also needs the service marked as exceeding them.`;
    return { fits: false, reason };
  }
  if (exceeded) {
    const gaps = joinList([
      ...(score.partlyMet > 0 ? [`${score.partlyMet} partly met`] : []),
      ...(score.notMet > 0 ? [`${score.notMet} not met`] : []),
      ...(score.total > score.judged ? [`${score.total - score.judged} not yet judged`] : []),
    ]);
    const reason = `The service is marked as exceeding the ${name} descriptor, but ${nameOf(exceeds)} needs every ${name} statement met (${gaps}).`;
    return { fits: false, reason };
  }
  return { fits: false, reason: undefined };
}

function ratingOf(outcome: Outcome, shape: ScaleShape): string | null {
  switch (outcome.kind) {
    case 'exceeds':
    case 'falls short':
      return outcome.level.id;
    case 'fits':
      return shape.descriptorLevels[outcome.index]!.id;
    case 'undecided':
      return null;
  }
}

type StatementWithFinding = KloeStatement & { finding: FindingOutcome };

/** Only the fields a driver carries: a caller's statements may hold more (sub-items, notes). */
function withFindings(
  statements: KloeStatement[],
  findings: ReadonlyMap<string, FindingOutcome>,
): StatementWithFinding[] {
  return statements.map(({ ref, level, text }) => ({ ref, level, text, finding: findings.get(ref) ?? 'not_judged' }));
}

function driversOf(
  outcome: Outcome,
  shape: ScaleShape,
  scores: Record<string, LevelScore>,
  statementsOf: (level: RatingLevel) => StatementWithFinding[],
): RatingDriver[] {
  const levels = shape.descriptorLevels;
  const driver = (effect: RatingDriver['effect'], rating: RatingLevel) => (statement: StatementWithFinding) => ({
    ...statement,
    effect,
    rating: rating.id,
  });
  const supporting = (level: RatingLevel) =>
    statementsOf(level).filter((s) => s.finding === 'met' || s.finding === 'partly_met');
  const holdingBack = (level: RatingLevel | undefined) =>
    level ? statementsOf(level).filter((s) => s.finding === 'partly_met' || s.finding === 'not_met') : [];
  // The nearest descriptor above position `index` that the KLOE has: the one the service did not reach.
  const missedAbove = (index: number) => levels.slice(0, index).findLast((level) => scores[level.id]!.total > 0);

  switch (outcome.kind) {
    case 'exceeds':
      return statementsOf(levels[0]!).map(driver('supports', outcome.level));
    case 'fits': {
      const level = levels[outcome.index]!;
      // The level the missed descriptor's statements keep the service from: the exceeds level above the best one.
      const missed = outcome.index === 0 ? (shape.exceeds ? level : undefined) : missedAbove(outcome.index);
      const above = outcome.index === 0 ? shape.exceeds : missed;
      return [
        ...supporting(level).map(driver('supports', level)),
        ...(above ? holdingBack(missed).map(driver('holds back', above)) : []),
      ];
    }
    case 'falls short': {
      const missed = missedAbove(levels.length);
      return missed ? holdingBack(missed).map(driver('holds back', missed)) : [];
    }
    case 'undecided':
      return [];
  }
}

/** "7 of 8 promising statements are met and 1 partly met (score 0.94, threshold 0.75)." */
function scoreSentence(name: string, score: LevelScore, value: number, threshold: number): string {
  const counted =
    score.judged === score.total
      ? countOf(score.met, score.total, `${name} statement`)
      : countOf(score.met, score.judged, `judged ${name} statement`);
  const partly = score.partlyMet > 0 ? ` and ${score.partlyMet} partly met` : '';
  const unjudged = score.judged < score.total ? `, with ${score.total - score.judged} not yet judged` : '';
  const [shownScore, shownThreshold] = distinguishable(value, threshold);
  const comparison = value >= threshold ? `threshold ${shownThreshold}` : `below the threshold ${shownThreshold}`;
  return `${counted} met${partly}${unjudged} (score ${shownScore}, ${comparison}).`;
}

/** "3 of 8 promising statements are" / "1 of 1 statement is": the start of a sentence about a count. */
function countOf(count: number, total: number, noun: string): string {
  const verb = count === 1 || total === 1 ? 'is' : 'are';
  return `${count} of ${total} ${noun}${total === 1 ? '' : 's'} ${verb}`;
}

/**
 * Two numbers rounded to two decimals, or more when that would make them look equal though they are not:
 * "score 0.75, below the threshold 0.75" would be no explanation at all.
 */
function distinguishable(a: number, b: number): [string, string] {
  let digits = 2;
  while (digits < 10 && a !== b && round(a, digits) === round(b, digits)) digits++;
  return [round(a, digits), round(b, digits)];
}

function round(value: number, digits: number): string {
  // Not toFixed, which rounds the binary value: 0.725 would show as 0.72.
  const scale = 10 ** digits;
  return String(Math.round(value * scale) / scale);
}

function percent(share: number): string {
  return `${round(share * 100, 1)}%`;
}

function nameOf(level: RatingLevel): string {
  return level.label.toLowerCase();
}

function joinList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
