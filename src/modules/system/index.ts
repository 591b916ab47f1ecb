/** The system module's entry: what the rest of kloe may use of it. */
export { secretIsGuessable } from './secret-strength.js';
export { resolveSecret } from './secret.js';
export { checkDatabaseWrites } from './write-check.js';
