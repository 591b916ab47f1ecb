/** The home module's entry: what the rest of kloe may use of it. */
export { registerHomePage } from './home.pages.js';
