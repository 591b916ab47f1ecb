/**
 * The indicators module's front door for other modules: its service (definitions, imports, one
 * organisation's analysis against its comparator group or nearest neighbours) and the analysis's types.
 */
export { createIndicatorsService, type IndicatorsService } from './indicators.service.js';
export type { Analysis, IndicatorAnalysis, PeriodFigures, Standing } from './analysis.types.js';

export { registerComparatorGroupsApi } from './comparator-groups.api.js';
export { registerComparatorGroupPages } from './comparator-groups.pages.js';
export { createComparatorGroupsService } from './comparator-groups.service.js';
export { registerIndicatorsApi } from './indicators.api.js';
export { indicatorsDemo } from './indicators.demo.js';
export { settleInterruptedImports } from './import-journal.js';
export type { ImportStage } from './indicators.import.js';
export { registerIndicatorPages } from './indicators.pages.js';
export { WINDOW_LIMITS, recompute, recomputeBehind, setTrendWindow } from './indicators.recompute.js';
export type { RecomputeOutcome } from './indicators.recompute.js';
export { RECOMPUTE_JOB, registerRecomputeJob, requestIfBehind, type Recomputes } from './recompute-job.js';
export { indicatorsReportSource } from './indicators.report-source.js';
export { indicatorInput } from './indicators.schemas.js';
export { parsePeriod, periodLabel, periodYear } from './periods.js';
export { registerSnapshotPages } from './snapshots.pages.js';
export { createSnapshotsService } from './snapshots.service.js';
