/** Every module's tables, gathered for Drizzle and drizzle-kit. */
export * from '../modules/frameworks/frameworks.tables.js';
export * from '../modules/demo/demo.tables.js';
export * from '../modules/organisations/organisations.tables.js';
export * from '../modules/accounts/accounts.tables.js';
export * from '../modules/audit/audit.tables.js';
export * from '../modules/system/system.tables.js';
export * from '../modules/assessments/assessments.tables.js';
export * from '../modules/evidence/evidence.tables.js';
export * from '../modules/assessments/recommendations.tables.js';
export * from '../modules/reports/reports.tables.js';
export * from '../modules/indicators/indicators.tables.js';
export * from '../modules/improvement/improvement.tables.js';
export * from '../api/idempotency.tables.js';
export * from '../modules/webhooks/webhooks.tables.js';
export * from '../modules/assessments/kloe-review.tables.js';
export * from '../modules/comments/comments.tables.js';
export * from '../modules/notifications/notifications.tables.js';
