CREATE TABLE "accuracy_checks" (
	"assessment_id" uuid PRIMARY KEY NOT NULL,
	"deadline" date NOT NULL,
	"message" text,
	"sent_by" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_despite" text
);
--> statement-breakpoint
CREATE TABLE "accuracy_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"section" text NOT NULL,
	"body" text NOT NULL,
	"author_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"response" text,
	"response_text" text,
	"answered_by" text,
	"answered_at" timestamp with time zone,
	CONSTRAINT "accuracy_comments_response_check" CHECK ("accuracy_comments"."response" in ('accepted','changed','not_accepted'))
);
--> statement-breakpoint
CREATE TABLE "public_reports" (
	"assessment_id" uuid PRIMARY KEY NOT NULL,
	"made_public_by" text,
	"made_public_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_by" text,
	"withdrawn_at" timestamp with time zone,
	"withdrawal_notice" text
);
--> statement-breakpoint
ALTER TABLE "accuracy_checks" ADD CONSTRAINT "accuracy_checks_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accuracy_checks" ADD CONSTRAINT "accuracy_checks_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accuracy_comments" ADD CONSTRAINT "accuracy_comments_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accuracy_comments" ADD CONSTRAINT "accuracy_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accuracy_comments" ADD CONSTRAINT "accuracy_comments_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_reports" ADD CONSTRAINT "public_reports_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_reports" ADD CONSTRAINT "public_reports_made_public_by_users_id_fk" FOREIGN KEY ("made_public_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_reports" ADD CONSTRAINT "public_reports_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accuracy_comments_assessment_idx" ON "accuracy_comments" USING btree ("assessment_id","created_at");