CREATE TABLE "report_branding" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"logo_png" "bytea",
	"logo_width" integer,
	"logo_height" integer,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_files" ADD COLUMN "audit_anchor" text;--> statement-breakpoint
ALTER TABLE "report_branding" ADD CONSTRAINT "report_branding_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;