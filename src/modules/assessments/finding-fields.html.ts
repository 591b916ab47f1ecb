/**
 * One statement's finding (radios) and note (textarea) on the KLOE workspace page, in GOV.UK Frontend's
 * own markup (govukRadios / govukTextarea), written here rather than in Nunjucks: a KLOE page has up to 22
 * statements, and as a template these fields made up much of the page's rendering. Every value is escaped;
 * the result is marked safe for the template.
 */
import nunjucks from 'nunjucks';
import type { FormErrors } from '../../web/form-errors.js';
import { pureHelper } from '../../web/render-memo.js';
import { findingField, noteField } from './workspace.forms.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' };
/** As Nunjucks' autoescape does; undefined and null print nothing, as they do in a template. */
const escape = (value: unknown) =>
  value === undefined || value === null ? '' : String(value).replace(/[&"'<>]/g, (c) => ESCAPES[c]!);

const errorMessage = (id: string, text: string) =>
  `<p id="${escape(id)}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${escape(text)}</p>`;

export const findingFieldsHtml = pureHelper(function findingFieldsHtml(
  statementRef: string,
  values: Record<string, unknown>,
  errors: FormErrors | undefined,
  outcomeLabels: Record<string, string>,
): nunjucks.runtime.SafeString {
  const name = findingField(statementRef);
  const note = noteField(statementRef);
  const error = errors?.fields[name];
  const noteError = errors?.fields[note];
  const radios = Object.entries(outcomeLabels).map(([outcome, label], i) => {
    const id = escape(i === 0 ? name : `${name}-${i + 1}`);
    const checked = values[name] === outcome ? ' checked' : '';
    return `<div class="govuk-radios__item"><input class="govuk-radios__input" id="${id}" name="${escape(name)}" type="radio" value="${escape(outcome)}"${checked}><label class="govuk-label govuk-radios__label" for="${id}">${escape(label)}</label></div>`;
  });
  return new nunjucks.runtime.SafeString(
    `<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">` +
      `<fieldset class="govuk-fieldset"${error ? ` aria-describedby="${escape(name)}-error"` : ''}>` +
      `<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Finding on ${escape(statementRef)}</legend>` +
      (error ? errorMessage(name, error.text) : '') +
      `<div class="govuk-radios govuk-radios--inline govuk-radios--small" data-module="govuk-radios">${radios.join('')}</div>` +
      `</fieldset></div>` +
      `<div class="govuk-form-group${noteError ? ' govuk-form-group--error' : ''}">` +
      `<label class="govuk-label govuk-body-s" for="${escape(note)}">Note on ${escape(statementRef)} (optional)</label>` +
      (noteError ? errorMessage(note, noteError.text) : '') +
      `<textarea class="govuk-textarea${noteError ? ' govuk-textarea--error' : ''}" id="${escape(note)}" name="${escape(note)}" rows="2"${noteError ? ` aria-describedby="${escape(note)}-error"` : ''}>${escape(values[note])}</textarea>` +
      `</div>`,
  );
});
