/** The frameworks module's entry: what the rest of kloe may use of it. */
export { JUDGEMENT_2_FRAMEWORK } from './built-in-framework.js';
export { diffFrameworks, formatDifferences } from './framework-diff.js';
export { readFrameworkFile, serialiseFramework } from './framework-file.js';
export { frameworkJsonSchemaText } from './framework.json-schema.js';
export type { FrameworkDocument, RatingLevel, Statement } from './framework.model.js';
export { findKloe, leafKloes } from './framework.tree.js';
export type { LeafKloe } from './framework.tree.js';
export { kloeView } from './framework.view-model.js';
export { registerFrameworkApi } from './frameworks.api.js';
export { registerFrameworkPages } from './frameworks.pages.js';
export * as frameworksRepository from './frameworks.repository.js';
export { createFrameworksService } from './frameworks.service.js';
export type { FrameworksService } from './frameworks.service.js';
export { DEFAULT_JUDGEMENT_RULES } from './judgement-rules.js';
export type { JudgementRules, KloeRules, RollUpRule } from './judgement-rules.js';
