// The KLOE page on a phone: one statement at a time, with its descriptor, finding, note and evidence, and
// buttons to the previous and next one. The others are only hidden: the KLOE form still sends every finding.
// The photo panel moves under the statement in view and is set to it. On a wider screen nothing changes.
const PHONE = '(max-width: 40.0525em)'; // GOV.UK Frontend's tablet breakpoint

function button(text) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'govuk-button govuk-button--secondary';
  b.textContent = text;
  return b;
}

export function initStatementStepper(root) {
  const form = root.querySelector('form#kloe-work');
  const statements = form ? [...form.querySelectorAll('li.kloe-finding')] : [];
  if (statements.length < 2) return;
  const grid = statements[0].closest('.kloe-descriptor')?.parentElement;
  const sections = [...form.querySelectorAll('.kloe-descriptor')];
  const panel = root.querySelector('#kloe-photo-panel');
  const panelHome = panel && { parent: panel.parentNode, next: panel.nextSibling };
  const media = window.matchMedia(PHONE);

  const bar = document.createElement('div');
  bar.className = 'kloe-stepper';
  bar.id = 'statement-stepper';
  const where = document.createElement('p');
  where.className = 'govuk-body kloe-stepper__where';
  where.setAttribute('role', 'status');
  const previous = button('Previous statement');
  const next = button('Next statement');
  bar.append(where, previous, next);

  const indexOf = (id) =>
    statements.findIndex((li) => li.id === id || (id && li.querySelector(`[id="${CSS.escape(id)}"]`)));
  let index = (() => {
    const fromHash = indexOf(decodeURIComponent(location.hash.slice(1)));
    if (fromHash >= 0) return fromHash;
    const withError = statements.findIndex((li) => li.querySelector('.govuk-form-group--error'));
    return Math.max(withError, 0);
  })();

  function show(i) {
    index = Math.min(Math.max(i, 0), statements.length - 1);
    if (!media.matches) return;
    const current = statements[index];
    statements.forEach((li, j) => (li.hidden = j !== index));
    for (const section of sections) section.hidden = !section.contains(current);
    const ref = current.id.replace(/^statement-/, '');
    const level = current.closest('.kloe-descriptor')?.querySelector('h3')?.textContent.trim() ?? '';
    where.textContent = `Statement ${index + 1} of ${statements.length}: ${ref}${level ? `, ${level.toLowerCase()}` : ''}`;
    previous.disabled = index === 0;
    next.disabled = index === statements.length - 1;
    if (panel) {
      current.append(panel);
      const select = panel.querySelector('select[name="statementRef"]');
      if (select) select.value = ref;
    }
  }

  function apply() {
    if (media.matches) {
      grid?.before(bar);
      show(index);
    } else {
      bar.remove();
      statements.forEach((li) => (li.hidden = false));
      sections.forEach((section) => (section.hidden = false));
      if (panel && panelHome) panelHome.parent.insertBefore(panel, panelHome.next);
    }
  }

  previous.addEventListener('click', () => show(index - 1));
  next.addEventListener('click', () => show(index + 1));
  // A link to a statement or to a field of one (the error summary, the suggestion's drivers) shows it first.
  root.addEventListener(
    'click',
    (event) => {
      const link = event.target.closest?.('a[href^="#"]');
      const i = link ? indexOf(decodeURIComponent(link.getAttribute('href').slice(1))) : -1;
      if (i >= 0) show(i);
    },
    true,
  );
  media.addEventListener('change', apply);
  apply();
}
