CREATE TABLE "improvement_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"action_id" uuid,
	"body" text NOT NULL,
	"author_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "improvement_progress_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"recorded_on" date NOT NULL,
	"note" text NOT NULL,
	"milestones_reached" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evidence_item_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "improvement_actions" ADD COLUMN "depends_on" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "improvement_actions" ADD COLUMN "status_override" text;--> statement-breakpoint
ALTER TABLE "improvement_actions" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "improvement_comments" ADD CONSTRAINT "improvement_comments_plan_id_improvement_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."improvement_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "improvement_comments" ADD CONSTRAINT "improvement_comments_action_id_improvement_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."improvement_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "improvement_comments" ADD CONSTRAINT "improvement_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "improvement_progress_updates" ADD CONSTRAINT "improvement_progress_updates_action_id_improvement_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."improvement_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "improvement_progress_updates" ADD CONSTRAINT "improvement_progress_updates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "improvement_comments_plan_idx" ON "improvement_comments" USING btree ("plan_id","created_at");--> statement-breakpoint
CREATE INDEX "improvement_progress_action_idx" ON "improvement_progress_updates" USING btree ("action_id","recorded_on");--> statement-breakpoint
ALTER TABLE "improvement_actions" ADD CONSTRAINT "improvement_actions_status_check" CHECK ("improvement_actions"."status_override" is null or "improvement_actions"."status_reason" is not null);