/**
 * What the KLOE page's script (web/assets/kloe-suggestion.js) needs to run the best-fit rule in the browser
 * as findings change, the rule itself being best-fit.ts built for the browser: the rating scale, the KLOE's
 * statements with their levels, and the framework's rules. As JSON for a data attribute of the form.
 */
import type { FrameworkDocument } from '../frameworks/index.js';
import type { LeafKloe } from '../frameworks/index.js';
import { rulesOf, statementsOf } from './assessment-framework.js';
import type { KloeRatingInput } from './best-fit.js';
import type { KloeRules } from '../frameworks/index.js';

export interface KloeSuggestionData {
  ratingScale: KloeRatingInput['ratingScale'];
  statements: KloeRatingInput['statements'];
  rules: KloeRules;
}

export function kloeSuggestionData(doc: FrameworkDocument, leaf: LeafKloe): string {
  const data: KloeSuggestionData = {
    ratingScale: doc.ratingScale,
    statements: statementsOf(leaf).map(({ ref, level, statement }) => ({ ref, level, text: statement.text })),
    rules: rulesOf(doc).kloe,
  };
  return JSON.stringify(data);
}
