import { describe, expect, it } from 'vitest';
import { findingFieldsHtml } from './finding-fields.html.js';

const labels = { met: 'Met', partly_met: 'Partly met', not_met: 'Not met', not_judged: 'Not yet judged' };

describe('findingFieldsHtml', () => {
  it('writes GOV.UK radios with the saved outcome checked and the note in the textarea', () => {
    const html = String(
      findingFieldsHtml('4.1-P2', { 'finding-4.1-P2': 'partly_met', 'note-4.1-P2': 'Seen' }, undefined, labels),
    );
    expect(html).toContain('id="finding-4.1-P2" name="finding-4.1-P2" type="radio" value="met">');
    expect(html).toContain('id="finding-4.1-P2-2" name="finding-4.1-P2" type="radio" value="partly_met" checked>');
    expect(html).toContain(
      '<label class="govuk-label govuk-radios__label" for="finding-4.1-P2-4">Not yet judged</label>',
    );
    expect(html.match(/ checked/g)).toHaveLength(1);
    expect(html).toContain('name="note-4.1-P2" rows="2">Seen</textarea>');
    expect(html).not.toContain('govuk-form-group--error');
  });

  it('escapes what people typed, so a note cannot close the textarea or add markup', () => {
    const html = String(
      findingFieldsHtml(
        '4.1-P2',
        { 'note-4.1-P2': '</textarea><script>alert("x")</script> & more' },
        undefined,
        labels,
      ),
    );
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</textarea>');
    expect(html).not.toContain('<script>');
  });

  it('shows each field’s error beside it and ties it to the field for screen readers', () => {
    const errors = {
      errorList: [],
      fields: { 'finding-4.1-P2': { text: 'Choose a finding' }, 'note-4.1-P2': { text: 'Note is too long' } },
    };
    const html = String(findingFieldsHtml('4.1-P2', {}, errors, labels));
    expect(html).toContain('<fieldset class="govuk-fieldset" aria-describedby="finding-4.1-P2-error">');
    expect(html).toContain(
      '<p id="finding-4.1-P2-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Choose a finding</p>',
    );
    expect(html).toContain('class="govuk-textarea govuk-textarea--error" id="note-4.1-P2"');
    expect(html).toContain('aria-describedby="note-4.1-P2-error"');
    expect(html.match(/govuk-form-group--error/g)).toHaveLength(2);
  });
});
