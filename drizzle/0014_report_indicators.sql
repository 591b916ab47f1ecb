ALTER TABLE "indicator_snapshots" ADD COLUMN "report_indicators" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- Snapshots attached before the choice existed keep charting every indicator, as their drafts did.
UPDATE "indicator_snapshots" SET "report_indicators" = coalesce(
  (SELECT jsonb_agg(i->'code') FROM jsonb_array_elements("analysis"->'indicators') i), '[]'::jsonb);
