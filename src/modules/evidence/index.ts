/** The evidence module's entry: what the rest of kloe may use of it. */
export { registerEvidenceRequestRoutes } from './evidence-requests.routes.js';
export { OVERDUE_REQUESTS_JOB, createEvidenceRequestsService } from './evidence-requests.service.js';
export type { S3StoreConfig } from './evidence-s3-storage.js';
export { createEvidenceStorage, evidenceFilePath, storeBytes } from './evidence-storage.js';
export type { EvidenceStorage } from './evidence-storage.js';
export type { Upload } from './evidence-uploads.js';
export { registerEvidenceApi } from './evidence.api.js';
export { evidenceDemo } from './evidence.demo.js';
export { registerEvidencePages } from './evidence.pages.js';
export { evidenceReportSource } from './evidence.report-source.js';
export * as evidenceRepository from './evidence.repository.js';
export { copyEvidence } from './evidence.repository.js';
export { cappedNote, plainSnippet, searchToJson } from './evidence.responses.js';
export { EVIDENCE_KIND_LABELS, itemBody, searchQuery } from './evidence.schemas.js';
export { createEvidenceService } from './evidence.service.js';
export { registerPhotoRoutes } from './photos.routes.js';
export { createPhotosService } from './photos.service.js';
