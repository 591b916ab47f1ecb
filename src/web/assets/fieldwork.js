// Phones and working offline (docs/fieldwork-on-a-phone.md). Progressive enhancement only: every page works
// without this script. Wide tables become summaries on a narrow screen, the KLOE page shows one statement at
// a time on a phone, and the KLOE and photo forms are kept on the device while offline and sent on return.
import { labelNarrowTables } from './narrow-tables.js';
import { initStatementStepper } from './statement-stepper.js';
import { initOutbox, keepAssessmentOffline } from './outbox.js';

labelNarrowTables(document);
initStatementStepper(document);
initOutbox(document);

if ('serviceWorker' in navigator) {
  navigator.serviceWorker
    .register('/sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => keepAssessmentOffline(document, registration.active))
    .catch(() => {}); // no worker (a private window, an old browser): the pages work as before, online only
}
