-- Published reports' CSV tables stored before kloe quoted multi-line cells and neutralised formulas
-- (spreadsheet-csv.ts) split a KLOE over several rows and could run a formula in a spreadsheet. A published
-- revision never changes, so the stored CSV is dropped and made again, from the same data, on the next download;
-- the other formats are kept byte for byte.
DELETE FROM "report_files" WHERE "format" IN ('ratings.csv', 'findings.csv');
--> statement-breakpoint
-- Tokens made before scopes and expiry acted with their owner's full rights and never expired: they keep
-- read and write, and expire 90 days (the default for a new token) after this migration, so integrations
-- have time to get a new one.
ALTER TABLE "api_tokens" ADD COLUMN "scope" text NOT NULL DEFAULT 'write';--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "scope" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone NOT NULL DEFAULT now() + interval '90 days';--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scope_check" CHECK ("api_tokens"."scope" in ('read','write'));
--> statement-breakpoint
CREATE TABLE "sign_in_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"email_key" text,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"wait_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sign_in_throttles_email_idx" ON "sign_in_throttles" USING btree ("email_key");
--> statement-breakpoint
ALTER TABLE "kloe_judgements" ADD COLUMN "rationale_suggested" text;--> statement-breakpoint
ALTER TABLE "roll_up_judgements" ADD COLUMN "rationale_suggested" text;
