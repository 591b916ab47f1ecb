/** The audit module's entry: what the rest of kloe may use of it. */
export { anchorText, chainHeadToPublish, noteAnchorPublished } from './audit-anchors.js';
export { canonicalJson } from './audit-chain.js';
export type { ChainAnchor } from './audit-verify.js';
export { registerAuditApi } from './audit.api.js';
export { registerAuditPages } from './audit.pages.js';
export { recordAudit } from './audit.recorder.js';
export type { AuditEntryInput, SystemActor } from './audit.recorder.js';
export { entryJson } from './audit.schemas.js';
export { createAuditService } from './audit.service.js';
export type { AuditFilters, AuditService } from './audit.service.js';
export type { HistorySubject } from './audit.repository.js';
export type { AuditEntryView } from './audit.view-model.js';
