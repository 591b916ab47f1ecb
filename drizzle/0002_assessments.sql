CREATE TABLE "assessment_team" (
	"assessment_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "assessment_team_assessment_id_user_id_pk" PRIMARY KEY("assessment_id","user_id"),
	CONSTRAINT "assessment_team_role_check" CHECK ("assessment_team"."role" in ('lead','member'))
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"series_id" uuid NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"organisation_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"framework_version_id" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'planning' NOT NULL,
	"scope" jsonb,
	"planned_start" date,
	"planned_end" date,
	"shared_with_organisation" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text,
	CONSTRAINT "assessments_series_revision_unique" UNIQUE("series_id","revision"),
	CONSTRAINT "assessments_kind_check" CHECK ("assessments"."kind" in ('inspection','self_assessment','peer_review')),
	CONSTRAINT "assessments_status_check" CHECK ("assessments"."status" in ('planning','fieldwork','moderation','published'))
);
--> statement-breakpoint
CREATE TABLE "challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"target_ref" text NOT NULL,
	"comment" text NOT NULL,
	"raised_by" text NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "challenges_status_check" CHECK ("challenges"."status" in ('open','accepted','changed'))
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"assessment_id" uuid NOT NULL,
	"statement_ref" text NOT NULL,
	"kloe_ref" text NOT NULL,
	"outcome" text NOT NULL,
	"note" text,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "findings_assessment_id_statement_ref_pk" PRIMARY KEY("assessment_id","statement_ref"),
	CONSTRAINT "findings_outcome_check" CHECK ("findings"."outcome" in ('met','partly_met','not_met','not_judged'))
);
--> statement-breakpoint
CREATE TABLE "kloe_judgements" (
	"assessment_id" uuid NOT NULL,
	"kloe_ref" text NOT NULL,
	"strengths" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"areas_for_improvement" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"exceeded" boolean DEFAULT false NOT NULL,
	"final_rating" text,
	"rationale" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kloe_judgements_assessment_id_kloe_ref_pk" PRIMARY KEY("assessment_id","kloe_ref")
);
--> statement-breakpoint
CREATE TABLE "roll_up_judgements" (
	"assessment_id" uuid NOT NULL,
	"node_ref" text NOT NULL,
	"final_rating" text,
	"rationale" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roll_up_judgements_assessment_id_node_ref_pk" PRIMARY KEY("assessment_id","node_ref")
);
--> statement-breakpoint
ALTER TABLE "assessment_team" ADD CONSTRAINT "assessment_team_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_team" ADD CONSTRAINT "assessment_team_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_framework_version_id_framework_versions_id_fk" FOREIGN KEY ("framework_version_id") REFERENCES "public"."framework_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenges" ADD CONSTRAINT "challenges_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenges" ADD CONSTRAINT "challenges_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenges" ADD CONSTRAINT "challenges_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kloe_judgements" ADD CONSTRAINT "kloe_judgements_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kloe_judgements" ADD CONSTRAINT "kloe_judgements_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roll_up_judgements" ADD CONSTRAINT "roll_up_judgements_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roll_up_judgements" ADD CONSTRAINT "roll_up_judgements_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_team_user_idx" ON "assessment_team" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "assessments_organisation_idx" ON "assessments" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "assessments_service_idx" ON "assessments" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "challenges_assessment_idx" ON "challenges" USING btree ("assessment_id","status");--> statement-breakpoint
CREATE INDEX "findings_kloe_idx" ON "findings" USING btree ("assessment_id","kloe_ref");