CREATE TABLE "framework_statements" (
	"version_id" integer NOT NULL,
	"ref" text NOT NULL,
	"kloe_ref" text NOT NULL,
	"level" text NOT NULL,
	"parent_ref" text,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "framework_statements_version_id_ref_pk" PRIMARY KEY("version_id","ref")
);
--> statement-breakpoint
CREATE TABLE "framework_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"framework_id" text NOT NULL,
	"version" integer NOT NULL,
	"content_hash" text NOT NULL,
	"document" json NOT NULL,
	"source" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "framework_versions_framework_id_version_unique" UNIQUE("framework_id","version"),
	CONSTRAINT "framework_versions_framework_id_content_hash_unique" UNIQUE("framework_id","content_hash")
);
--> statement-breakpoint
CREATE TABLE "frameworks" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"publisher" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "demo_loads" (
	"id" serial PRIMARY KEY NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "framework_statements" ADD CONSTRAINT "framework_statements_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_versions" ADD CONSTRAINT "framework_versions_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "framework_statements_kloe_idx" ON "framework_statements" USING btree ("version_id","kloe_ref");--> statement-breakpoint
CREATE INDEX "framework_statements_text_idx" ON "framework_statements" USING gin (to_tsvector('english', "text"));