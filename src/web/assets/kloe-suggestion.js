// The KLOE page's suggested rating, kept up to date as findings change: the browser runs the very rule the
// server runs (best-fit.js is src/modules/assessments/best-fit.ts built for the browser), on the findings
// chosen in the form, and rewrites the suggestion panel, the count of statements judged and the "(suggested)"
// mark on the final rating. It also notes where the person is working, so that a save returns there.
// Without JavaScript the page saves as usual and shows the suggestion of the findings saved.
import { driversByStatement, suggestKloeRating } from './best-fit.js';

export function initKloeSuggestion(root) {
  const form = root.querySelector('form[data-kloe-suggestion]');
  if (!form) return;
  const data = JSON.parse(form.dataset.kloeSuggestion);
  const outcomeLabels = JSON.parse(form.dataset.outcomeLabels);
  const ratingLabels = JSON.parse(form.dataset.ratingLabels);
  const live = root.getElementById('suggestion-live');
  const judgedCount = root.getElementById('progress-judged');
  const returnTo = root.getElementById('returnTo');
  let shown = snapshot(form, data);

  const update = () => {
    const now = snapshot(form, data);
    if (now.key === shown.key) return;
    shown = now;
    const suggestion = suggestKloeRating(
      { ratingScale: data.ratingScale, statements: data.statements, findings: now.findings, exceeded: now.exceeded },
      data.rules,
    );
    if (judgedCount) judgedCount.textContent = String(now.judged);
    if (live) render(live, suggestion, driversByStatement(suggestion.drivers, data.ratingScale), labels());
    markSuggested(form, suggestion.rating, ratingLabels);
  };
  const labels = () => ({ outcomeLabels, ratingLabels });
  form.addEventListener('change', update);
  // Where a save returns: the statement (or part of the form) last worked in.
  form.addEventListener('focusin', (event) => {
    const place = event.target.closest('li.kloe-finding[id], #strengths, #areasForImprovement, #exceeded, #suggestion');
    const rating = event.target.closest('.govuk-radios') && event.target.name === 'finalRating';
    if (returnTo && (place || rating)) returnTo.value = rating ? 'finalRating' : place.id;
  });
}

/** The findings chosen in the form, whether the service is marked as exceeding, and how many are judged. */
function snapshot(form, data) {
  const findings = new Map();
  for (const statement of data.statements) {
    const chosen = form.querySelector(`input[name="finding-${CSS.escape(statement.ref)}"]:checked`);
    if (chosen) findings.set(statement.ref, chosen.value);
  }
  const exceeded = Boolean(form.querySelector('input[name="exceeded"]:checked'));
  const judged = [...findings.values()].filter((outcome) => outcome !== 'not_judged').length;
  return { findings, exceeded, judged, key: `${exceeded}:${[...findings.values()].join(',')}` };
}

function render(live, suggestion, drivers, { outcomeLabels, ratingLabels }) {
  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const lead = element('p', 'govuk-body');
  if (suggestion.rating) {
    lead.append('The findings chosen on this page (not saved yet) suggest ');
    lead.append(element('strong', '', ratingLabels[suggestion.rating]));
    lead.append('.');
  } else {
    lead.textContent = 'The findings chosen on this page (not saved yet) suggest no rating yet.';
  }
  const why = element('ul', 'govuk-list govuk-list--bullet');
  for (const reason of suggestion.reasons) why.append(element('li', '', reason));
  const parts = [lead, element('h3', 'govuk-heading-s', 'Why'), why];
  if (drivers.length > 0) {
    const list = element('ul', 'govuk-list govuk-list--bullet');
    for (const d of drivers) {
      const item = element('li');
      const link = element('a', 'govuk-link', d.ref);
      link.href = `#statement-${d.ref}`;
      item.append(link, ` ${outcomeLabels[d.finding].toLowerCase()}: ${d.does}`);
      list.append(item);
    }
    parts.push(element('h3', 'govuk-heading-s', 'Which statements drove it'), list);
  }
  live.replaceChildren(...parts);
}

/** The "(suggested)" mark on the final rating's choices follows the suggestion. */
function markSuggested(form, rating, ratingLabels) {
  for (const input of form.querySelectorAll('input[name="finalRating"]')) {
    const label = form.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (!label || !(input.value in ratingLabels)) continue;
    label.textContent = ratingLabels[input.value] + (input.value === rating ? ' (suggested)' : '');
  }
}
