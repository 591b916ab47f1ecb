/** Reading the audit trail: listing and filtering entries, one record's history, and checking the chain. */
import type { Database } from '../../db/database.js';
import { ukDayEnd, ukDayStart } from './audit-dates.js';
import { verifyChain, type ChainAnchor, type ChainVerification, type StoredEntry } from './audit-verify.js';
import * as repo from './audit.repository.js';
import { AUDIT_PAGE_SIZE } from './audit.schemas.js';
import { entryView, type AuditEntryView } from './audit.view-model.js';

/** Filters as people give them; dates are UK calendar days (YYYY-MM-DD), both inclusive. */
export interface AuditFilters {
  actorId?: string | undefined;
  /** Part of the actor's name or email address. */
  q?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface AuditPage {
  entries: repo.AuditEntryRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/** Entries read for verification at a time: a long trail is never loaded whole. */
const VERIFY_BATCH = 1000;

function criteriaOf(filters: AuditFilters): repo.AuditCriteria {
  return {
    actorId: filters.actorId,
    actorText: filters.q,
    action: filters.action,
    entityType: filters.entityType,
    entityId: filters.entityId,
    since: filters.from === undefined ? undefined : ukDayStart(filters.from),
    until: filters.to === undefined ? undefined : ukDayEnd(filters.to),
  };
}

async function* entriesInChainOrder(db: Database, batchSize: number): AsyncGenerator<StoredEntry> {
  for (let afterId = 0; ;) {
    const batch = await repo.entriesAfter(db, afterId, batchSize);
    yield* batch;
    if (batch.length < batchSize) return;
    afterId = batch.at(-1)!.id;
  }
}

export function createAuditService(deps: { db: Database }) {
  const { db } = deps;

  /**
   * One page of entries matching the filters, newest first, with how many match in all. Pages ask by page
   * number, the API by offset.
   */
  async function list(filters: AuditFilters = {}, paging: { page?: number; pageSize?: number; offset?: number } = {}) {
    const pageSize = paging.pageSize ?? AUDIT_PAGE_SIZE;
    const offset = paging.offset ?? ((paging.page ?? 1) - 1) * pageSize;
    const page = Math.floor(offset / pageSize) + 1;
    const criteria = criteriaOf(filters);
    const entries = await repo.listEntries(db, criteria, { limit: pageSize, offset });
    // A first page that is not full holds them all (most records' histories): no count needed.
    const total = offset === 0 && entries.length < pageSize ? entries.length : await repo.countEntries(db, criteria);
    return { entries, total, page, pageSize, pageCount: Math.ceil(total / pageSize) } satisfies AuditPage;
  }

  return {
    list,

    /**
     * What happened to one record, newest first and ready for the recordHistory macro
     * (audit/views/_history.njk): `total` tells the page when there is more than `limit` shows.
     */
    async historyOf(entityType: string, entityId: string, options: { limit?: number } = {}) {
      const limit = options.limit ?? AUDIT_PAGE_SIZE;
      const entries = await repo.recordEntries(db, entityType, entityId, limit);
      // Fewer than the limit: that is all of them, no count needed.
      const total = entries.length < limit ? entries.length : await repo.countEntries(db, { entityType, entityId });
      return { entries: entries.map(entryView) satisfies AuditEntryView[], total };
    },

    /**
     * What happened to several records together (an assessment, its KLOEs and its evidence requests), newest
     * first: see HistorySubject in audit.repository.ts.
     */
    async historyOfMany(subjects: repo.HistorySubject[], options: { limit?: number } = {}) {
      const { entries, total } = await repo.subjectsEntries(db, subjects, options.limit ?? AUDIT_PAGE_SIZE);
      return { entries: entries.map(entryView) satisfies AuditEntryView[], total };
    },

    /**
     * Walks the whole chain in id order, holding it to every anchor kloe has published and to `anchor`
     * (one kept by hand); see audit-verify.ts for the rule and what it cannot see.
     */
    async verify(options: { anchor?: ChainAnchor; batchSize?: number } = {}): Promise<ChainVerification> {
      const anchors = [...(options.anchor ? [options.anchor] : []), ...(await repo.listAnchors(db))];
      return verifyChain(entriesInChainOrder(db, options.batchSize ?? VERIFY_BATCH), { anchors });
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
