// Progressive enhancement only: every page works without this script.
import { initAll } from './govuk-frontend.min.js';
import { initUploadProgress } from './upload-progress.js';
import { initKloeSuggestion } from './kloe-suggestion.js';

initAll();
initUploadProgress(document, (scope) => initAll(scope));
initKloeSuggestion(document);
