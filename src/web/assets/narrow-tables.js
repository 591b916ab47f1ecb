// Wide tables on a narrow screen (the CSS is in _phone.scss, below the tablet breakpoint): each row becomes a
// summary, one line per cell, named by its column's header, which is copied here into data-label. Chromium keeps
// a table's rows, headers and cells for screen readers under display: block (checked by axe in e2e/phone.test.ts);
// explicit ARIA roles were tried and refused by axe, as a role=table may not hold a caption with a link.
const words = (cell) => cell.textContent.trim().replace(/\s+/g, ' ');
// A header's name, a line break in it read as a space ("Inspection 2024 published 2024-12-13").
function label(cell) {
  const copy = cell.cloneNode(true);
  for (const br of copy.querySelectorAll('br')) br.replaceWith(' ');
  return words(copy);
}

export function labelNarrowTables(root) {
  for (const table of root.querySelectorAll('table.govuk-table:not(.kloe-stacked)')) {
    const head = table.tHead?.rows[0];
    if (!head) continue;
    const labels = [];
    for (const cell of head.cells) for (let i = 0; i < cell.colSpan; i += 1) labels.push(label(cell));
    for (const row of table.rows) {
      const inHead = row.parentElement === table.tHead;
      let column = 0;
      for (const cell of row.cells) {
        const label = labels[column];
        if (!inHead && label && cell.colSpan === 1 && label !== words(cell)) cell.dataset.label = label;
        // An empty cell says nothing as a line of its own.
        if (!inHead && words(cell) === '' && !cell.querySelector('img, svg, input'))
          cell.classList.add('kloe-empty-cell');
        column += cell.colSpan;
      }
    }
    table.classList.add('kloe-stacked');
  }
}
