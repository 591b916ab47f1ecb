/**
 * The evidence part of the kloe-assessment format: each evidence item with its links to KLOEs and statements
 * and its files named by SHA-256 (name, media type, size), optionally with their bytes in base64. On import the
 * items are recreated inside the assessment's transaction; a file's bytes come from the document (checked
 * against its SHA-256) or are already here, or the import is refused, naming the file.
 */
import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import type { FieldProblem } from '../../errors.js';
import { users } from '../../db/schema.js';
import { storeBytes, type EvidenceStorage } from '../evidence/index.js';
import { evidenceRepository as evidenceRepo } from '../evidence/index.js';
import {
  EVIDENCE_KINDS,
  LINK_STANCES,
  evidenceFiles,
  evidenceItemFiles,
  evidenceItems,
  evidenceLinks,
} from '../../db/schema.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hexadecimal');
const instant = z.iso.datetime({ offset: true });
const ref = z.string().regex(/^\d+(\.\d+)*$/, 'must look like 4, 5.1 or 5.2.4');
const email = z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

export const evidenceExportSchema = z.array(
  z.object({
    title: z.string().min(1).max(300),
    kind: z.enum(EVIDENCE_KINDS),
    source: z.string().nullable(),
    evidenceDate: z.iso.date().nullable(),
    notes: z.string().nullable(),
    createdAt: instant,
    createdByEmail: email.nullable(),
    files: z.array(
      z.object({
        /** The name the file has on this item. */
        name: z.string().min(1),
        sha256,
        mediaType: z.string().min(1),
        size: z.number().int().min(0),
        /** The bytes, when exported with them (--with-files, withFiles=true). */
        contentBase64: z.base64().optional(),
      }),
    ),
    links: z.array(
      z.object({
        kloeRef: ref,
        statementRef: z.string().min(1).nullable(),
        stance: z.enum(LINK_STANCES),
        quote: z.string().nullable(),
        page: z.string().nullable(),
      }),
    ),
  }),
);

export type EvidenceExport = z.infer<typeof evidenceExportSchema>;

/** The assessment's evidence items, oldest first; with `readFile`, each file's bytes too. */
export async function exportEvidence(
  db: Database,
  assessmentId: string,
  readFile?: (sha256: string) => Promise<Buffer>,
): Promise<EvidenceExport> {
  const items = await db
    .select({ item: evidenceItems, email: users.email })
    .from(evidenceItems)
    .leftJoin(users, eq(users.id, evidenceItems.createdBy))
    .where(eq(evidenceItems.assessmentId, assessmentId))
    .orderBy(asc(evidenceItems.createdAt), asc(evidenceItems.title), asc(evidenceItems.id));
  const exported: EvidenceExport = [];
  for (const { item, email: createdByEmail } of items) {
    const [files, links] = await Promise.all([
      db
        .select({
          name: evidenceItemFiles.fileName,
          sha256: evidenceFiles.sha256,
          mediaType: evidenceFiles.mediaType,
          size: evidenceFiles.size,
        })
        .from(evidenceItemFiles)
        .innerJoin(evidenceFiles, eq(evidenceFiles.id, evidenceItemFiles.fileId))
        .where(eq(evidenceItemFiles.itemId, item.id))
        .orderBy(asc(evidenceItemFiles.fileName), asc(evidenceFiles.sha256)),
      db
        .select({
          kloeRef: evidenceLinks.kloeRef,
          statementRef: evidenceLinks.statementRef,
          stance: evidenceLinks.stance,
          quote: evidenceLinks.quote,
          page: evidenceLinks.page,
        })
        .from(evidenceLinks)
        .where(eq(evidenceLinks.itemId, item.id))
        .orderBy(asc(evidenceLinks.createdAt), asc(evidenceLinks.id)),
    ]);
    exported.push({
      title: item.title,
      kind: item.kind,
      source: item.source,
      evidenceDate: item.evidenceDate,
      notes: item.notes,
      createdAt: item.createdAt.toISOString(),
      createdByEmail,
      files: readFile
        ? await Promise.all(
            files.map(async (f) => ({ ...f, contentBase64: (await readFile(f.sha256)).toString('base64') })),
          )
        : files,
      links,
    });
  }
  return exported;
}

/** The people the evidence names, with the field naming each, for the import's check of unknown people. */
export function evidencePeople(evidence: EvidenceExport): { field: string; email: string | null }[] {
  return evidence.map((item, i) => ({ field: `evidence.${i}.createdByEmail`, email: item.createdByEmail }));
}

/** Each file's bytes, when given, must hash to its SHA-256 and have its size. */
export function evidenceFileProblems(evidence: EvidenceExport): FieldProblem[] {
  return evidence.flatMap((item, i) =>
    item.files.flatMap((file, j) => {
      if (file.contentBase64 === undefined) return [];
      const bytes = Buffer.from(file.contentBase64, 'base64');
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual === file.sha256 && bytes.length === file.size) return [];
      return [
        {
          field: `evidence.${i}.files.${j}.contentBase64`,
          message: `The bytes of ${file.name} do not match its SHA-256 and size`,
        },
      ];
    }),
  );
}

/**
 * Recreates the evidence in the importing transaction. Bytes given are stored first (a file is always stored
 * before the row naming it commits); a file neither given nor held here refuses the import.
 */
export async function importEvidence(
  tx: Database,
  assessmentId: string,
  evidence: EvidenceExport,
  deps: { storage: EvidenceStorage; userId: (email: string | null) => string | null },
): Promise<FieldProblem[]> {
  const missing: FieldProblem[] = [];
  for (const [i, item] of evidence.entries()) {
    const created = await evidenceRepo.insertItem(tx, {
      assessmentId,
      title: item.title,
      kind: item.kind,
      source: item.source,
      evidenceDate: item.evidenceDate,
      notes: item.notes,
      createdBy: deps.userId(item.createdByEmail),
      createdAt: new Date(item.createdAt),
      updatedAt: new Date(item.createdAt),
    });
    for (const [j, file] of item.files.entries()) {
      if (file.contentBase64 !== undefined) {
        await storeBytes(deps.storage, file.sha256, Buffer.from(file.contentBase64, 'base64'));
      } else if (!(await deps.storage.has(file.sha256))) {
        missing.push({
          field: `evidence.${i}.files.${j}.sha256`,
          message: `No file ${file.name} with this SHA-256 here: export with its files (--with-files) to bring it`,
        });
        continue;
      }
      const { file: row } = await evidenceRepo.upsertFile(tx, {
        sha256: file.sha256,
        size: file.size,
        mediaType: file.mediaType,
        originalName: file.name,
      });
      await tx.insert(evidenceItemFiles).values({ itemId: created.id, fileId: row.id, fileName: file.name });
    }
    if (item.links.length > 0) {
      await tx.insert(evidenceLinks).values(item.links.map((link) => ({ itemId: created.id, assessmentId, ...link })));
    }
  }
  return missing;
}
