CREATE TABLE "evidence_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"media_type" text NOT NULL,
	"original_name" text NOT NULL,
	"extraction_status" text DEFAULT 'pending' NOT NULL,
	"extraction_error" text,
	"extracted_text" text,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', coalesce(extracted_text, ''))) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_files_sha256_unique" UNIQUE("sha256"),
	CONSTRAINT "evidence_files_status_check" CHECK ("evidence_files"."extraction_status" in ('pending','done','failed','none'))
);
--> statement-breakpoint
CREATE TABLE "evidence_item_files" (
	"item_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"added_by" text,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_item_files_item_id_file_id_pk" PRIMARY KEY("item_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"source" text,
	"evidence_date" date,
	"notes" text,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(source, '') || ' ' || coalesce(notes, ''))) STORED NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_items_kind_check" CHECK ("evidence_items"."kind" in ('document','interview','focus_group','site_visit','survey','performance_data','observation','correspondence'))
);
--> statement-breakpoint
CREATE TABLE "evidence_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"kloe_ref" text NOT NULL,
	"statement_ref" text,
	"stance" text NOT NULL,
	"quote" text,
	"page" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_links_stance_check" CHECK ("evidence_links"."stance" in ('supports','contradicts'))
);
--> statement-breakpoint
CREATE TABLE "evidence_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"what" text NOT NULL,
	"due_on" date NOT NULL,
	"kloe_refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"answer_item_id" uuid,
	"requested_by" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	CONSTRAINT "evidence_requests_status_check" CHECK ("evidence_requests"."status" in ('open','answered'))
);
--> statement-breakpoint
CREATE TABLE "evidence_suggestions" (
	"item_id" uuid NOT NULL,
	"statement_ref" text NOT NULL,
	"score" real NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	CONSTRAINT "evidence_suggestions_item_id_statement_ref_pk" PRIMARY KEY("item_id","statement_ref"),
	CONSTRAINT "evidence_suggestions_status_check" CHECK ("evidence_suggestions"."status" in ('open','accepted','dismissed'))
);
--> statement-breakpoint
ALTER TABLE "evidence_item_files" ADD CONSTRAINT "evidence_item_files_item_id_evidence_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_item_files" ADD CONSTRAINT "evidence_item_files_file_id_evidence_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."evidence_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_item_files" ADD CONSTRAINT "evidence_item_files_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_links" ADD CONSTRAINT "evidence_links_item_id_evidence_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_links" ADD CONSTRAINT "evidence_links_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_links" ADD CONSTRAINT "evidence_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requests" ADD CONSTRAINT "evidence_requests_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requests" ADD CONSTRAINT "evidence_requests_answer_item_id_evidence_items_id_fk" FOREIGN KEY ("answer_item_id") REFERENCES "public"."evidence_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requests" ADD CONSTRAINT "evidence_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_suggestions" ADD CONSTRAINT "evidence_suggestions_item_id_evidence_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_files_search_idx" ON "evidence_files" USING gin ("search");--> statement-breakpoint
CREATE INDEX "evidence_item_files_file_idx" ON "evidence_item_files" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "evidence_items_assessment_idx" ON "evidence_items" USING btree ("assessment_id","created_at");--> statement-breakpoint
CREATE INDEX "evidence_items_search_idx" ON "evidence_items" USING gin ("search");--> statement-breakpoint
CREATE INDEX "evidence_links_kloe_idx" ON "evidence_links" USING btree ("assessment_id","kloe_ref");--> statement-breakpoint
CREATE INDEX "evidence_links_item_idx" ON "evidence_links" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "evidence_requests_assessment_idx" ON "evidence_requests" USING btree ("assessment_id","status");