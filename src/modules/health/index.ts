/** The health module's entry: what the rest of kloe may use of it. */
export { registerHealthRoutes } from './health.api.js';
