-- The results are derived: cleared first (the new column has no default), refilled at the next start
-- (recomputeWhereMissing), by `kloe indicators recompute` or by the next import.
DELETE FROM "indicator_trends";--> statement-breakpoint
ALTER TABLE "indicator_trends" ADD COLUMN "window_values" double precision[] NOT NULL;--> statement-breakpoint
CREATE INDEX "indicator_values_flagged_idx" ON "indicator_values" USING btree ("organisation_id") WHERE "indicator_values"."quality" is not null;