DROP INDEX "evidence_items_assessment_idx";--> statement-breakpoint
DROP INDEX "evidence_items_document_idx";--> statement-breakpoint
ALTER TABLE "evidence_items" ADD COLUMN "document" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(source, '') || ' ' || coalesce(notes, '')) || files_search) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "evidence_items_assessment_idx" ON "evidence_items" USING btree ("assessment_id","created_at","id");--> statement-breakpoint
CREATE INDEX "evidence_items_document_idx" ON "evidence_items" USING gin ("document");