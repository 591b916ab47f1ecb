CREATE TABLE "report_files" (
	"assessment_id" uuid NOT NULL,
	"format" text NOT NULL,
	"content_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_files_assessment_id_format_pk" PRIMARY KEY("assessment_id","format")
);
--> statement-breakpoint
ALTER TABLE "report_files" ADD CONSTRAINT "report_files_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;