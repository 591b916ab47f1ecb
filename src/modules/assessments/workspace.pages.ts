/**
 * HTML pages of the assessor's work inside an assessment: the KLOE workspace (findings on each statement,
 * strengths, areas for improvement, the suggested rating with its reasons and the final rating), the
 * scorecard with the key questions' and the overall ratings (moderation: moderation.pages.ts). Every form posts back and redirects with ?done=…; a form refused shows the error summary
 * with what the person typed, and a save someone else beat shows their version beside the person's own.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { formErrorsFrom, formRefusal, type FormErrors } from '../../web/form-errors.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { kloeView } from '../frameworks/index.js';
import type { LoadedAssessment } from './assessment-access.js';
import { statementsOf } from './assessment-framework.js';
import { EditConflict } from './assessments.errors.js';
import { assessmentOf } from './assessments.hooks.js';
import {
  assessmentCrumb,
  common,
  HISTORY_LIMIT,
  historyLabels,
  LIST_CRUMB,
  type AssessmentPageDeps,
} from './assessments.page-context.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams, kloeParams, rollUpParams, saveKloeBody, saveRollUpBody } from './assessments.schemas.js';
import {
  EXCEEDED_VALUE,
  kloeBodyFromForm,
  kloeConflictRecord,
  kloeFormValues,
  kloeProblemsForForm,
  postedOutcomes,
  rollUpBodyFromForm,
  rollUpFormValues,
} from './workspace.forms.js';
import { findingFieldsHtml } from './finding-fields.html.js';
import { driversByStatement } from './best-fit.js';
import { kloeEntityId, suggestionFor, type KloeState } from './workspace.service.js';
import { kloeSuggestionData } from './kloe-suggestion.data.js';
import { historyEntries } from './assessment-history.js';
import { invalid, pageQuery, postedValues, ratingLabels, type FormRedisplay } from './workspace.page-parts.js';
import { plainDateTime } from '../../dates.js';

/**
 * Where on the KLOE page a save returns to: the element the person last worked in (the page's script sets
 * it; without the script, the save buttons). Only ids the page has: a statement, or one of its parts.
 */
const RETURN_TO =
  /^(statement-[0-9A-Za-z.-]{1,40}|kloe-save|suggestion|strengths|areasForImprovement|finalRating|rationale|exceeded)$/;

/** The error summary of a save someone else beat. */
function conflictErrors(conflict: EditConflict, href: string): FormErrors {
  const who = conflict.current.updatedByLabel ?? 'someone else';
  return {
    errorList: [
      {
        text: `Changed by ${who} at ${plainDateTime(conflict.current.updatedAt)} — here is their version. Your changes are kept in the form: check them against theirs, then save again to replace their version.`,
        href,
      },
    ],
    fields: {},
  };
}

/** The error summary of a refusal that names no field (a published assessment, for one). */
const messageErrors = (error: AppError, href: string): FormErrors => ({
  errorList: [{ text: error.message, href }],
  fields: {},
});

/**
 * A KLOE as lists of KLOEs show it (the workspace's navigation, the scorecard): what they print and no
 * more, since a page is remembered by everything it is given (web/render-memo.ts).
 */
const kloeSummary = (k: KloeState) => ({
  leaf: k.leaf,
  judged: k.judged,
  total: k.total,
  judgement: { finalRating: k.judgement.finalRating },
  suggestion: { rating: k.suggestion.rating },
});

/** What the KLOE page prints of its judgement (its version goes in the form's values). */
const printedJudgement = (j: KloeState['judgement']) => ({
  strengths: j.strengths,
  areasForImprovement: j.areasForImprovement,
  exceeded: j.exceeded,
  finalRating: j.finalRating,
  rationale: j.rationale,
});

export function registerWorkspacePages(app: FastifyInstance, deps: AssessmentPageDeps): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { workspace, moderation, assessments, audit } = deps;

  /** The assessment as the header shows it: with its organisation's and service's names. */
  async function headerOf(actor: UserActor, loaded: LoadedAssessment) {
    const { assessment, organisationName, serviceName } = await assessments.summary(actor, loaded);
    return { ...assessment, organisationName, serviceName };
  }

  // ---- The KLOE workspace ----------------------------------------------------------------------

  async function renderKloe(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    ref: string,
    state: { form?: FormRedisplay; done?: string; saved?: string },
  ) {
    const data = await workspace.kloe(actor, loaded, ref);
    const { assessment, doc, kloe, can } = data;
    const statementRefs = statementsOf(kloe.leaf).map((s) => s.ref);
    const historyId = kloeEntityId(assessment.id, ref);
    const [header, challenges, history, evidence, figures, review, commentThreads, trackRecord] = await Promise.all([
      headerOf(actor, loaded),
      moderation.list(actor, loaded),
      can.viewHistory ? audit.historyOf('kloe', historyId, { limit: HISTORY_LIMIT }) : undefined,
      deps.kloeEvidence?.(actor, loaded, ref),
      deps.kloeFigures?.(actor, loaded, ref),
      deps.kloeReview?.forKloe(actor, loaded, ref),
      deps.kloeComments?.(actor, loaded, ref),
      deps.kloeTrackRecord?.(actor, loaded, ref),
    ]);
    const findings = Object.fromEntries(
      kloe.findings.map((f) => [f.statementRef, { outcome: f.outcome, note: f.note }]),
    );
    // A form shown again describes the findings as submitted, everywhere on the page: the suggestion, its
    // reasons and drivers, and the counts (the error message is worked out from them too, by the save).
    const submitted = state.form?.values;
    const outcomes = submitted
      ? postedOutcomes(submitted, statementRefs, new Map(kloe.findings.map((f) => [f.statementRef, f.outcome])))
      : undefined;
    const suggestion = outcomes
      ? suggestionFor(doc, kloe.leaf, outcomes, submitted!.exceeded === EXCEEDED_VALUE)
      : kloe.suggestion;
    const judged = outcomes
      ? statementRefs.filter((r) => (outcomes.get(r) ?? 'not_judged') !== 'not_judged').length
      : kloe.judged;
    const navigation = data.kloes.map((k) => (k === kloe ? { ...kloeSummary(k), judged } : kloeSummary(k)));
    return reply.render('assessments/views/kloe.njk', {
      ...common,
      pageTitle: `KLOE ${ref}: ${assessment.title}`,
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
      assessment: header, // the row with its organisation's and service's names, for the header
      can: review?.state === 'reviewed' ? { ...can, judge: false } : can, // a reviewed KLOE reads, and is reopened to change
      doc,
      ratingLabels: ratingLabels(doc.ratingScale),
      view: kloeView(doc, kloe.leaf),
      kloe: {
        leaf: kloe.leaf,
        judgement: printedJudgement(kloe.judgement),
        suggestion: { rating: suggestion.rating, reasons: suggestion.reasons },
        drivers: driversByStatement(suggestion.drivers, doc.ratingScale),
        findingsSubmitted: submitted !== undefined,
        judged,
        total: kloe.total,
      },
      // What the page's script needs to run the same rule as findings change (see kloe-suggestion.data.ts).
      suggestionData: can.judge ? kloeSuggestionData(doc, kloe.leaf) : undefined,
      findings,
      kloes: navigation,
      previous: navigation.find((k) => k.leaf.kloe.ref === data.previous),
      next: navigation.find((k) => k.leaf.kloe.ref === data.next),
      values: state.form?.values ?? kloeFormValues(kloe.judgement, kloe.findings, statementRefs),
      errors: state.form?.errors,
      conflict: state.form?.conflict && {
        who: state.form.conflict.who,
        at: state.form.conflict.at,
        record: kloeConflictRecord(state.form.conflict.record),
      },
      findingFields: findingFieldsHtml, // (sref, values, errors, outcomeLabels): see finding-fields.html.ts
      exceededValue: EXCEEDED_VALUE,
      challenges: challenges.filter((c) => c.challenge.targetRef === ref),
      history: history && {
        total: history.total,
        shown: history.entries.length,
        entries: historyEntries(history.entries, historyLabels(doc.ratingScale)),
      },
      evidence,
      figures,
      trackRecord,
      done: state.done,
      savedRef: state.saved ?? ref,
      review,
      commentThreads,
    });
  }

  pages.get(
    '/assessments/:id/kloes/:ref',
    { config: routeConfigFor('view'), schema: { hide: true, params: kloeParams, querystring: pageQuery } },
    async (request, reply) =>
      renderKloe(reply, currentUser(request), assessmentOf(request), request.params.ref, {
        done: request.query.done,
        saved: request.query.saved,
      }),
  );

  pages.post(
    '/assessments/:id/kloes/:ref',
    { config: routeConfigFor('judge'), schema: { hide: true, params: kloeParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, ref } = request.params;
      // A refused save changed nothing: the page shown again is of the assessment as the request found it.
      const loaded = assessmentOf(request);
      const current = await workspace.kloe(actor, loaded, ref);
      const values = postedValues(request.body);
      const { body, findingRefs } = kloeBodyFromForm(
        values,
        statementsOf(current.kloe.leaf).map((s) => s.ref),
      );
      try {
        const parsed = saveKloeBody.safeParse(body);
        if (!parsed.success) throw invalid(parsed.error);
        await workspace.saveKloe(actor, id, ref, parsed.data);
        const next = values.then === 'next' && current.next;
        // Name the KLOE saved: after "save and go to next" the banner is on the next KLOE's page. Staying,
        // the page opens where the person was working.
        const place = next ? '' : `#${RETURN_TO.test(values.returnTo ?? '') ? values.returnTo : 'kloe-save'}`;
        return reply.redirect(
          `/assessments/${id}/kloes/${next || ref}?done=saved&saved=${encodeURIComponent(ref)}${place}`,
          303,
        );
      } catch (error) {
        if (error instanceof EditConflict) {
          const theirs = error.current;
          return renderKloe(reply.status(409), actor, loaded, ref, {
            form: {
              // The person's own input stays; the version becomes theirs, so saving again is deliberate.
              values: { ...values, version: String(theirs.version) },
              errors: conflictErrors(error, '#conflict'),
              conflict: { who: theirs.updatedByLabel ?? 'someone else', at: theirs.updatedAt, record: theirs.record },
            },
          });
        }
        const problems = formRefusal(error)?.problems;
        if (problems) {
          return renderKloe(reply.status((error as AppError).status), actor, loaded, ref, {
            form: { values, errors: formErrorsFrom(kloeProblemsForForm(problems, findingRefs)) },
          });
        }
        if (error instanceof AppError && error.status === 409) {
          return renderKloe(reply.status(409), actor, loaded, ref, {
            form: { values, errors: messageErrors(error, '#kloe-work') },
          });
        }
        throw error;
      }
    },
  );

  // ---- The scorecard and the roll-ups -----------------------------------------------------------

  async function renderScorecard(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    state: { node?: string; form?: FormRedisplay; done?: string },
  ) {
    const [o, header] = await Promise.all([workspace.overview(actor, loaded), headerOf(actor, loaded)]);
    const nodes = [...o.keyQuestions, o.overall].map((node) => {
      const posted = node.nodeRef === state.node ? state.form : undefined;
      return {
        ...node,
        values: posted?.values ?? rollUpFormValues(node.judgement),
        errors: posted?.errors,
        conflict: posted?.conflict && {
          who: posted.conflict.who,
          at: posted.conflict.at,
          record: posted.conflict.record as { finalRating: string | null; rationale: string | null },
        },
      };
    });
    return reply.render('assessments/views/scorecard.njk', {
      ...common,
      pageTitle: `Scorecard: ${o.assessment.title}`,
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(o.assessment)],
      assessment: header, // the row with its organisation's and service's names, for the header
      can: o.can,
      scale: o.doc.ratingScale,
      ratingLabels: ratingLabels(o.doc.ratingScale),
      groups: o.keyQuestions.map((kq, i) => ({
        node: nodes[i]!,
        kloes: o.kloes.filter((k) => k.leaf.keyQuestion.ref === kq.nodeRef).map(kloeSummary),
      })),
      overall: nodes[nodes.length - 1]!,
      nodes,
      counts: o.counts,
      unjudged: o.unjudged.map(kloeSummary),
      missingFinalRatings: o.missingFinalRatings,
      errors: state.form?.errors,
      done: state.done,
    });
  }

  pages.get(
    '/assessments/:id/scorecard',
    { config: routeConfigFor('view'), schema: { hide: true, params: assessmentIdParams, querystring: pageQuery } },
    async (request, reply) =>
      renderScorecard(reply, currentUser(request), assessmentOf(request), { done: request.query.done }),
  );

  pages.post(
    '/assessments/:id/ratings/:node',
    { config: routeConfigFor('judge'), schema: { hide: true, params: rollUpParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, node } = request.params;
      const loaded = assessmentOf(request);
      const values = postedValues(request.body);
      const fieldId = (field: string) => `rating-${node}-${field}`;
      try {
        const parsed = saveRollUpBody.safeParse(rollUpBodyFromForm(values));
        if (!parsed.success) throw invalid(parsed.error);
        await workspace.saveRollUp(actor, id, node, parsed.data);
        return reply.redirect(`/assessments/${id}/scorecard?done=rating-saved#rating-${node}`, 303);
      } catch (error) {
        if (error instanceof EditConflict) {
          const theirs = error.current;
          return renderScorecard(reply.status(409), actor, loaded, {
            node,
            form: {
              values: { ...values, version: String(theirs.version) },
              errors: conflictErrors(error, `#rating-${node}`),
              conflict: { who: theirs.updatedByLabel ?? 'someone else', at: theirs.updatedAt, record: theirs.record },
            },
          });
        }
        const problems = formRefusal(error, fieldId)?.problems;
        if (problems) {
          return renderScorecard(reply.status((error as AppError).status), actor, loaded, {
            node,
            form: { values, errors: formErrorsFrom(problems) },
          });
        }
        if (error instanceof AppError && error.status === 409) {
          return renderScorecard(reply.status(409), actor, loaded, {
            node,
            form: { values, errors: messageErrors(error, `#rating-${node}`) },
          });
        }
        throw error;
      }
    },
  );
}
