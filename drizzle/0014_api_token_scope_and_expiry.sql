-- Tokens made before scopes and expiry acted with their owner's full rights and never expired: they keep
-- read and write, and expire 90 days (the default for a new token) after this migration, so integrations
-- have time to get a new one.
ALTER TABLE "api_tokens" ADD COLUMN "scope" text NOT NULL DEFAULT 'write';--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "scope" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone NOT NULL DEFAULT now() + interval '90 days';--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scope_check" CHECK ("api_tokens"."scope" in ('read','write'));
