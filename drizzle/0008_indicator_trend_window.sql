ALTER TABLE "indicator_positions" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "indicator_positions" CASCADE;--> statement-breakpoint
ALTER TABLE "indicator_trends" DROP CONSTRAINT "indicator_trends_organisation_id_organisations_id_fk";
--> statement-breakpoint
ALTER TABLE "indicator_trends" DROP CONSTRAINT "indicator_trends_indicator_id_indicator_definitions_id_fk";
--> statement-breakpoint
-- The results are derived: cleared here (the new columns have no default), refilled by `kloe indicators recompute`
-- or the next import.
DELETE FROM "indicator_trends";--> statement-breakpoint
ALTER TABLE "indicator_trends" ADD COLUMN "periods" integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_trends" ADD COLUMN "ranks" integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_trends" ADD COLUMN "counts" integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_trends" ADD COLUMN "quartiles" smallint[] NOT NULL;