/**
 * The indicators module's front door for other modules: its service (definitions, imports, one
 * organisation's analysis against its comparator group or nearest neighbours) and the analysis's types.
 */
export { createIndicatorsService, type IndicatorsService } from './indicators.service.js';
export type { Analysis, IndicatorAnalysis, PeriodFigures, Standing } from './analysis.js';
