/**
 * The evidence module's part of a report: the evidence cited for each KLOE (from the links) and the
 * appendix of every item with its kind, source, date and file hashes, so a reader can check provenance.
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { EvidenceAppendixEntry, EvidenceRef, ReportSource } from '../reports/index.js';
import { EVIDENCE_KIND_LABELS } from './evidence.schemas.js';
import { evidenceFiles, evidenceItemFiles, evidenceItems, evidenceLinks } from './evidence.tables.js';

export function evidenceReportSource(db: Database): ReportSource {
  return {
    async load(assessmentId) {
      const [items, files, links] = await Promise.all([
        db
          .select({
            id: evidenceItems.id,
            title: evidenceItems.title,
            kind: evidenceItems.kind,
            source: evidenceItems.source,
            date: evidenceItems.evidenceDate,
          })
          .from(evidenceItems)
          .where(eq(evidenceItems.assessmentId, assessmentId))
          .orderBy(asc(evidenceItems.createdAt), asc(evidenceItems.id)),
        db
          .select({ itemId: evidenceItemFiles.itemId, sha256: evidenceFiles.sha256 })
          .from(evidenceItemFiles)
          .innerJoin(evidenceFiles, eq(evidenceFiles.id, evidenceItemFiles.fileId))
          .innerJoin(evidenceItems, eq(evidenceItems.id, evidenceItemFiles.itemId))
          .where(eq(evidenceItems.assessmentId, assessmentId))
          .orderBy(asc(evidenceItemFiles.addedAt)),
        db
          .select({
            itemId: evidenceLinks.itemId,
            kloeRef: evidenceLinks.kloeRef,
            statementRef: evidenceLinks.statementRef,
            stance: evidenceLinks.stance,
          })
          .from(evidenceLinks)
          .where(eq(evidenceLinks.assessmentId, assessmentId))
          .orderBy(asc(evidenceLinks.createdAt), asc(evidenceLinks.id)),
      ]);

      const hashes = new Map<string, string[]>();
      for (const f of files) hashes.set(f.itemId, [...(hashes.get(f.itemId) ?? []), f.sha256]);
      const evidence: EvidenceAppendixEntry[] = items.map((item) => ({
        id: item.id,
        title: item.title,
        kind: EVIDENCE_KIND_LABELS[item.kind],
        source: item.source ?? '',
        date: item.date,
        // An item may hold several files; the appendix lists every hash.
        sha256: hashes.get(item.id)?.join(' ') ?? null,
      }));

      const titles = new Map(items.map((item) => [item.id, item.title]));
      const evidenceRefs: Record<string, EvidenceRef[]> = {};
      for (const link of links) {
        (evidenceRefs[link.kloeRef] ??= []).push({
          id: link.itemId,
          title: titles.get(link.itemId) ?? '',
          relation: link.stance,
          ...(link.statementRef ? { statementRef: link.statementRef } : {}),
        });
      }
      return { evidence, evidenceRefs };
    },
  };
}
