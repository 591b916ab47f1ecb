CREATE TABLE "indicator_import_rows" (
	"import_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"period_index" integer NOT NULL,
	"period" text NOT NULL,
	"value" double precision,
	"quality" text,
	CONSTRAINT "indicator_import_rows_import_id_indicator_id_organisation_id_period_index_pk" PRIMARY KEY("import_id","indicator_id","organisation_id","period_index")
);
--> statement-breakpoint
CREATE TABLE "indicator_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"state" text NOT NULL,
	"actor" jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
