/**
 * The rules of evidence: who may add, read and link it (the assessments policy decides, through
 * assessment-access), how files are kept (checked, stored by hash, text extracted), and what each
 * change leaves in the audit trail. No HTTP here.
 */
import type { Database } from '../../db/database.js';
import type { EvidenceConfig } from '../../config.js';
import {
  loadAssessment,
  loadFor,
  resolveAssessment,
  type AssessmentRef,
  type LoadedAssessment,
} from '../assessments/index.js';
import { kloesInScope, statementsOf } from '../assessments/index.js';
import { pinnedFramework } from '../assessments/index.js';
import { assessmentScope, may, type AssessmentActor } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import { checkUploads, type CheckedUpload, type Upload } from './evidence-uploads.js';
import { searchEvidence, type SearchFilters } from './evidence-search.js';
import type { EvidenceStorage } from './evidence-storage.js';
import { badTarget, contradictedTarget, fileNotFound, itemNotFound, linkNotFound } from './evidence.errors.js';
import * as repo from './evidence.repository.js';
import { rankableText } from './statement-ranking.js';
import type { ItemInput, LinkInput } from './evidence.schemas.js';
import type { JobQueue } from '../jobs/index.js';
import { createExtractionQueue } from './extraction-queue.js';
import { AppError } from '../../errors.js';

/** Suggestions kept per item. */
const SUGGESTIONS = 5;

export interface EvidenceServiceDeps {
  db: Database;
  storage: EvidenceStorage;
  limits: Pick<EvidenceConfig, 'maxBytes' | 'types'>;
  /** Where a failure of the background extraction is reported (the app's logger). */
  log?: (message: string, error: unknown) => void;
  /** The shared job queue, which then runs background extraction (a server); absent, this process does. */
  jobs?: JobQueue;
  /** Tests of kloe only (KLOE_TEST_EXTRACTION_GATE): background extraction waits for this file. */
  testExtractionGate?: string | undefined;
}

const noFiles = () =>
  new AppError('invalid_request', 400, 'Choose at least one file', [
    { field: 'files', message: 'Choose a file to upload' },
  ]);

/** The statements (and their KLOE) of an assessment's framework version within its scope. */
export async function statementsIn(db: Database, assessment: LoadedAssessment['assessment']) {
  const doc = await pinnedFramework(db, assessment.frameworkVersionId);
  return kloesInScope(doc, assessment.scope).map((leaf) => ({
    kloe: leaf.kloe,
    statements: statementsOf(leaf).map((s) => ({
      ref: s.ref,
      level: s.level,
      text: s.statement.text,
      rankedText: rankableText(s.statement),
    })),
  }));
}

const itemDetails = (item: repo.Item) => ({
  title: item.title,
  kind: item.kind,
  source: item.source,
  evidenceDate: item.evidenceDate,
  notes: item.notes,
});

export function createEvidenceService(deps: EvidenceServiceDeps) {
  const { db, storage, limits } = deps;
  const queue = createExtractionQueue({
    db,
    storage,
    log: deps.log,
    jobs: deps.jobs,
    testGate: deps.testExtractionGate,
    // A large file's text arrives after its upload: rank the statements again for the items holding it.
    async onExtracted(fileId) {
      for (const { itemId, assessmentId } of await repo.itemsHolding(db, fileId)) {
        const loaded = await loadAssessment(db, { kind: 'system', label: 'evidence extraction' }, assessmentId);
        await suggest(loaded.assessment, itemId);
      }
    },
  });

  async function itemIn(tx: Database, assessmentId: string, itemId: string) {
    const item = await repo.findItem(tx, assessmentId, itemId);
    if (!item) throw itemNotFound(itemId);
    return item;
  }

  /** Blobs first (idempotent, by hash), then the rows in the caller's transaction. */
  async function storeFiles(tx: Database, actor: AssessmentActor, itemId: string, files: CheckedUpload[]) {
    const created: (repo.StoredFile & { size: number })[] = [];
    for (const file of files) {
      await storage.put(file.sha256, file.path);
      const stored = await repo.upsertFile(tx, {
        sha256: file.sha256,
        size: file.size,
        mediaType: file.mediaType,
        originalName: file.name,
      });
      const { attached } = await repo.attachFile(tx, {
        itemId,
        fileId: stored.file.id,
        fileName: file.name,
        addedBy: actor.kind === 'user' ? actor.userId : null,
      });
      if (stored.created) {
        created.push(stored.file);
        await queue.stored(tx, stored.file);
      }
      if (attached) {
        await recordAudit(tx, {
          actor,
          action: 'evidence.file_added',
          entityType: 'evidence_item',
          entityId: itemId,
          after: { name: file.name, sha256: file.sha256, size: file.size, duplicate: !stored.created },
        });
      }
    }
    return created;
  }

  /** After the rows commit: extract the new files' text, then rank the statements for the item. */
  async function afterFilesStored(
    assessment: LoadedAssessment['assessment'],
    itemId: string,
    created: repo.StoredFile[],
  ) {
    for (const file of created) await queue.extract(file);
    await suggest(assessment, itemId);
  }

  async function suggest(assessment: LoadedAssessment['assessment'], itemId: string) {
    // A statement the item is already linked to is not suggested: as supporting it would be the same link
    // again, and a statement it contradicts must not be offered as one it supports.
    // Every statement is ranked (the weight of a word depends on how many statements use it), then those linked dropped.
    const linked = new Set(
      (await repo.linksOfItem(db, itemId)).flatMap((l) => (l.statementRef ? [l.statementRef] : [])),
    );
    const statements = (await statementsIn(db, assessment))
      .flatMap((k) => k.statements)
      .map((s) => ({ ref: s.ref, text: s.rankedText }));
    const ranked = (await repo.rankStatements(db, itemId, statements, SUGGESTIONS + linked.size))
      .filter((r) => !linked.has(r.ref))
      .slice(0, SUGGESTIONS);
    await repo.replaceOpenSuggestions(db, itemId, ranked);
  }

  async function create(actor: AssessmentActor, assessmentId: string, input: ItemInput, uploads: Upload[] = []) {
    const files = await checkUploads(uploads, limits);
    const { item, created, assessment } = await db.transaction(async (tx) => {
      const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
      return { assessment, ...(await insertItem(tx, actor, assessmentId, input, files)) };
    });
    await afterFilesStored(assessment, item.id, created);
    return item;
  }

  async function insertItem(
    tx: Database,
    actor: AssessmentActor,
    assessmentId: string,
    input: ItemInput,
    files: CheckedUpload[],
  ) {
    const item = await repo.insertItem(tx, {
      assessmentId,
      title: input.title,
      kind: input.kind,
      source: input.source ?? null,
      evidenceDate: input.evidenceDate ?? null,
      notes: input.notes ?? null,
      createdBy: actor.kind === 'user' ? actor.userId : null,
    });
    await recordAudit(tx, {
      actor,
      action: 'evidence.created',
      entityType: 'evidence_item',
      entityId: item.id,
      after: { assessmentId, title: item.title, kind: item.kind, source: item.source, evidenceDate: item.evidenceDate },
    });
    const created = await storeFiles(tx, actor, item.id, files);
    return { item, created };
  }

  return {
    create,
    insertItem,
    afterFilesStored,
    /** Resolves when no extraction is waiting (tests, the benchmark, `kloe evidence` commands). */
    extractionIdle: () => queue.idle(),
    /** Stops extracting, leaving the files pending for the next start (the server stopping). */
    stopExtraction: () => queue.stop(),
    /** Queues the files a stopped process left pending. */
    resumePending: () => queue.resumePending(),

    async addFiles(actor: AssessmentActor, assessmentId: string, itemId: string, uploads: Upload[]) {
      if (uploads.length === 0) throw noFiles();
      const files = await checkUploads(uploads, limits);
      const { assessment, created } = await db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
        await itemIn(tx, assessmentId, itemId);
        return { assessment, created: await storeFiles(tx, actor, itemId, files) };
      });
      await afterFilesStored(assessment, itemId, created);
    },

    /** New details for an item; the audit entry keeps what they were. Its suggestions are ranked again. */
    async update(actor: AssessmentActor, assessmentId: string, itemId: string, input: ItemInput) {
      const { assessment, item } = await db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
        const before = await itemIn(tx, assessmentId, itemId);
        const item = await repo.updateItem(
          tx,
          { assessmentId, itemId },
          {
            title: input.title,
            kind: input.kind,
            source: input.source ?? null,
            evidenceDate: input.evidenceDate ?? null,
            notes: input.notes ?? null,
          },
        );
        if (!item) throw itemNotFound(itemId);
        await recordAudit(tx, {
          actor,
          action: 'evidence.updated',
          entityType: 'evidence_item',
          entityId: itemId,
          before: itemDetails(before),
          after: itemDetails(item),
        });
        return { assessment, item };
      });
      await suggest(assessment, itemId);
      return item;
    },

    /** Deletes an item with its links; the audit entry keeps its details and which files it held. */
    async remove(actor: AssessmentActor, assessmentId: string, itemId: string) {
      await db.transaction(async (tx) => {
        await loadFor(tx, actor, assessmentId, 'judge');
        const item = await itemIn(tx, assessmentId, itemId);
        const [files, links] = await Promise.all([repo.filesOf(tx, itemId), repo.linksOfItem(tx, itemId)]);
        await repo.deleteItem(tx, { assessmentId, itemId });
        await recordAudit(tx, {
          actor,
          action: 'evidence.deleted',
          entityType: 'evidence_item',
          entityId: itemId,
          before: {
            ...itemDetails(item),
            files: files.map((f) => ({ name: f.fileName, sha256: f.sha256 })),
            links: links.length,
          },
        });
      });
    },

    async list(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const canJudge = may(actor, 'judge', loaded.assessment, loaded.teamRole);
      return { ...loaded, canJudge, items: await repo.listItems(db, loaded.assessment.id) };
    },

    /** The KLOEs and statements an item may be linked to. */
    statementsOf: (assessment: LoadedAssessment['assessment']) => statementsIn(db, assessment),

    async get(actor: AssessmentActor, assessmentRef: AssessmentRef, itemId: string) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const item = await itemIn(db, loaded.assessment.id, itemId);
      const [files, links, suggestions] = await Promise.all([
        repo.filesOf(db, itemId),
        repo.linksOfItem(db, itemId),
        repo.suggestionsOf(db, itemId),
      ]);
      const canJudge = may(actor, 'judge', loaded.assessment, loaded.teamRole);
      return { ...loaded, item, files, links, suggestions, canJudge };
    },

    /** A file to download: only through an item of an assessment the person may see. */
    async openFile(actor: AssessmentActor, assessmentRef: AssessmentRef, itemId: string, fileId: string) {
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      await itemIn(db, assessment.id, itemId);
      const file = (await repo.filesOf(db, itemId)).find((f) => f.id === fileId);
      if (!file) throw fileNotFound(fileId);
      return { file, stream: storage.stream(file.sha256) };
    },

    /** A file to preview in the page: its details and the text extracted from it. */
    async previewFile(actor: AssessmentActor, assessmentRef: AssessmentRef, itemId: string, fileId: string) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const item = await itemIn(db, loaded.assessment.id, itemId);
      const file = (await repo.filesOf(db, itemId)).find((f) => f.id === fileId);
      if (!file) throw fileNotFound(fileId);
      return { ...loaded, item, file, text: await repo.extractedTextOf(db, fileId) };
    },

    async addLink(actor: AssessmentActor, assessmentId: string, itemId: string, input: LinkInput) {
      return db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
        await itemIn(tx, assessmentId, itemId);
        const target = await resolveTarget(tx, assessment, input.target);
        const link = await repo.insertLink(tx, {
          itemId,
          assessmentId,
          ...target,
          stance: input.stance,
          quote: input.quote ?? null,
          page: input.page ?? null,
          createdBy: actor.kind === 'user' ? actor.userId : null,
        });
        // Linked now, so no longer suggested (as supporting, a statement it contradicts least of all).
        if (target.statementRef) await repo.dropOpenSuggestion(tx, itemId, target.statementRef);
        await recordAudit(tx, {
          actor,
          action: 'evidence.linked',
          entityType: 'evidence_item',
          entityId: itemId,
          after: { target: input.target, stance: link.stance, quote: link.quote, page: link.page },
        });
        return link;
      });
    },

    async removeLink(actor: AssessmentActor, assessmentId: string, itemId: string, linkId: string) {
      await db.transaction(async (tx) => {
        await loadFor(tx, actor, assessmentId, 'judge');
        await itemIn(tx, assessmentId, itemId);
        const removed = await repo.deleteLink(tx, { assessmentId, itemId }, linkId);
        if (!removed) throw linkNotFound(linkId);
        await recordAudit(tx, {
          actor,
          action: 'evidence.unlinked',
          entityType: 'evidence_item',
          entityId: itemId,
          before: { target: removed.statementRef ?? removed.kloeRef, stance: removed.stance },
        });
      });
    },

    /**
     * Accepting suggestions links the item to each statement as supporting it; all or none. A statement the
     * item is linked to as contradicting it cannot be accepted as supported by it.
     */
    async decideSuggestions(
      actor: AssessmentActor,
      assessmentId: string,
      itemId: string,
      statementRefs: string[],
      decision: 'accepted' | 'dismissed',
    ) {
      await db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
        await itemIn(tx, assessmentId, itemId);
        const contradicted = new Set(
          (await repo.linksOfItem(tx, itemId)).filter((l) => l.stance === 'contradicts').map((l) => l.statementRef),
        );
        for (const statementRef of new Set(statementRefs)) {
          if (decision === 'accepted' && contradicted.has(statementRef)) throw contradictedTarget(statementRef);
          if (!(await repo.decideSuggestion(tx, { assessmentId, itemId }, statementRef, decision)))
            throw badTarget(statementRef);
          if (decision === 'accepted') {
            const target = await resolveTarget(tx, assessment, statementRef);
            await repo.insertLink(tx, {
              itemId,
              assessmentId,
              ...target,
              stance: 'supports',
              createdBy: actor.kind === 'user' ? actor.userId : null,
            });
          }
          await recordAudit(tx, {
            actor,
            action: `evidence.suggestion_${decision}`,
            entityType: 'evidence_item',
            entityId: itemId,
            after: { statementRef },
          });
        }
      });
    },

    async search(actor: AssessmentActor, filters: SearchFilters, assessmentRef?: AssessmentRef) {
      if (assessmentRef) {
        const { assessment } = await resolveAssessment(db, actor, assessmentRef);
        return searchEvidence(db, { assessmentId: assessment.id }, filters);
      }
      return searchEvidence(db, { scope: assessmentScope(actor) }, filters);
    },

    /** What the KLOE workspace shows: each statement's links, and links to the KLOE as a whole. */
    async forKloe(actor: AssessmentActor, assessmentRef: AssessmentRef, kloeRef: string) {
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      const links = await repo.linksIn(db, assessment.id, kloeRef);
      const byStatement: Record<string, typeof links> = {};
      for (const link of links) (byStatement[link.link.statementRef ?? ''] ??= []).push(link);
      return { assessmentId: assessment.id, byStatement, kloeWide: byStatement[''] ?? [] };
    },

    /** Per KLOE and statement: how much evidence, of how many kinds and sources; which have none. */
    async coverage(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const [kloes, rows] = await Promise.all([
        statementsIn(db, loaded.assessment),
        repo.coverageOf(db, loaded.assessment.id),
      ]);
      const key = (kloeRef: string, statementRef: string | null) => `${kloeRef}/${statementRef ?? ''}`;
      const found = new Map(rows.map((r) => [key(r.kloeRef, r.statementRef), r]));
      const empty = { items: 0, supports: 0, contradicts: 0, kinds: [] as string[], sources: 0 };
      const map = kloes.map(({ kloe, statements }) => {
        const rowsOf = statements.map((s) => ({ ...s, ...(found.get(key(kloe.ref, s.ref)) ?? empty) }));
        return {
          ref: kloe.ref,
          question: kloe.question,
          whole: found.get(key(kloe.ref, null)) ?? empty,
          statements: rowsOf,
          uncovered: rowsOf.filter((s) => s.items === 0).length,
        };
      });
      return { ...loaded, kloes: map, uncovered: map.reduce((n, k) => n + k.uncovered, 0) };
    },
  };

  /** "5.1.2" is the KLOE as a whole; "5.1.2-P3" one of its statements; either must be in scope. */
  async function resolveTarget(tx: Database, assessment: LoadedAssessment['assessment'], target: string) {
    for (const { kloe, statements } of await statementsIn(tx, assessment)) {
      if (kloe.ref === target) return { kloeRef: kloe.ref, statementRef: null };
      if (statements.some((s) => s.ref === target)) return { kloeRef: kloe.ref, statementRef: target };
    }
    throw badTarget(target);
  }
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
