CREATE TABLE "indicator_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"trend_window" integer DEFAULT 3 NOT NULL,
	"changed_at" timestamp with time zone,
	"changed_by" text,
	CONSTRAINT "indicator_settings_single_row" CHECK ("indicator_settings"."id" = 1),
	CONSTRAINT "indicator_settings_window_check" CHECK ("indicator_settings"."trend_window" between 2 and 20)
);
--> statement-breakpoint
ALTER TABLE "indicator_definitions" ADD COLUMN "values_generation" bigint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_definitions" ADD COLUMN "results_generation" bigint;--> statement-breakpoint
ALTER TABLE "indicator_definitions" ADD COLUMN "results_window" integer;--> statement-breakpoint
-- The window in force is the one the results were last computed with, and those results are current.
INSERT INTO "indicator_settings" ("id", "trend_window")
  SELECT 1, coalesce((SELECT "window" FROM "indicator_recomputes" ORDER BY "id" DESC LIMIT 1), 3);--> statement-breakpoint
UPDATE "indicator_definitions" d SET "results_generation" = 1, "results_window" = s."trend_window"
  FROM "indicator_settings" s
  WHERE EXISTS (SELECT 1 FROM "indicator_trends" t WHERE t."indicator_id" = d."id");
