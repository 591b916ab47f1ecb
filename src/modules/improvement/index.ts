/** The improvement module's entry: what the rest of kloe may use of it. */
export { registerImprovementApi } from './improvement.api.js';
export { improvementDemo } from './improvement.demo.js';
export { registerImprovementPages } from './improvement.pages.js';
export { createImprovementService } from './improvement.service.js';
export { registerMonitoringRoutes } from './monitoring.routes.js';
export { createMonitoringService } from './monitoring.service.js';
export { createPlanDraftsService } from './plan-drafts.service.js';
export { planJsonSchemaText } from './plan-exchange.json-schema.js';
export { exportPlan, importPlan, parsePlanFile } from './plan-exchange.js';
export { registerPlanOutputRoutes } from './plan-outputs.routes.js';
export { registerProgressApi } from './progress.api.js';
export { registerProgressPages } from './progress.pages.js';
export { createProgressService } from './progress.service.js';
export { targetBenchmarks } from './target-benchmarks.js';
export { registerTrackRecordApi } from './track-record.api.js';
export { registerTrackRecordPages } from './track-record.pages.js';
export { createTrackRecordService } from './track-record.service.js';
