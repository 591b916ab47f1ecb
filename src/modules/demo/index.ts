/** The demo module's entry: what the rest of kloe may use of it. */
export { DemoRefusedError, createDemoService } from './demo.service.js';
export type { DemoPart } from './demo.service.js';
export { seededRandom } from './seeded-random.js';
export type { SeededRandom } from './seeded-random.js';
