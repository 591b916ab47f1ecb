DROP INDEX "evidence_files_search_idx";--> statement-breakpoint
DROP INDEX "evidence_items_search_idx";--> statement-breakpoint
ALTER TABLE "evidence_items" ADD COLUMN "files_search" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
-- Written by hand, not by drizzle-kit: existing items get their files' text (as refreshFilesSearch sets it).
UPDATE "evidence_items" i SET "files_search" = to_tsvector('english', coalesce((
  SELECT string_agg(f."extracted_text", ' ' ORDER BY j."added_at", f."id")
  FROM "evidence_item_files" j JOIN "evidence_files" f ON f."id" = j."file_id"
  WHERE j."item_id" = i."id"), ''));--> statement-breakpoint
CREATE INDEX "evidence_items_document_idx" ON "evidence_items" USING gin ((search || files_search));
