// Progressive enhancement only: every page works without this script.
import { initAll } from './govuk-frontend.min.js';

initAll();
