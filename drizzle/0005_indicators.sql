CREATE TABLE "comparator_group_members" (
	"group_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"distance" double precision,
	CONSTRAINT "comparator_group_members_group_id_organisation_id_pk" PRIMARY KEY("group_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "comparator_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"organisation_type" text,
	"anchor_id" uuid,
	"attributes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comparator_groups_name_unique" UNIQUE("name"),
	CONSTRAINT "comparator_groups_kind_check" CHECK ("comparator_groups"."kind" in ('type','list','nearest'))
);
--> statement-breakpoint
CREATE TABLE "indicator_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"unit" text NOT NULL,
	"polarity" text NOT NULL,
	"target" double precision,
	"category" text NOT NULL,
	"service_area" text NOT NULL,
	"period_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_definitions_code_unique" UNIQUE("code"),
	CONSTRAINT "indicator_definitions_polarity_check" CHECK ("indicator_definitions"."polarity" in ('higher','lower','target')),
	CONSTRAINT "indicator_definitions_target_check" CHECK (("indicator_definitions"."polarity" = 'target') = ("indicator_definitions"."target" is not null)),
	CONSTRAINT "indicator_definitions_category_check" CHECK ("indicator_definitions"."category" in ('performance','cost','satisfaction','context')),
	CONSTRAINT "indicator_definitions_period_type_check" CHECK ("indicator_definitions"."period_type" in ('financial_year','calendar_year','quarter'))
);
--> statement-breakpoint
CREATE TABLE "indicator_period_stats" (
	"indicator_id" uuid NOT NULL,
	"period_index" integer NOT NULL,
	"count" integer NOT NULL,
	"q1" double precision NOT NULL,
	"median" double precision NOT NULL,
	"q3" double precision NOT NULL,
	CONSTRAINT "indicator_period_stats_indicator_id_period_index_pk" PRIMARY KEY("indicator_id","period_index")
);
--> statement-breakpoint
CREATE TABLE "indicator_positions" (
	"organisation_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"period_index" integer NOT NULL,
	"rank" integer NOT NULL,
	"count" integer NOT NULL,
	"quartile" smallint NOT NULL,
	CONSTRAINT "indicator_positions_organisation_id_indicator_id_period_index_pk" PRIMARY KEY("organisation_id","indicator_id","period_index")
);
--> statement-breakpoint
CREATE TABLE "indicator_recomputes" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"window" integer NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"as_of" timestamp with time zone DEFAULT now() NOT NULL,
	"analysis" jsonb NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_trends" (
	"organisation_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"slope" double precision,
	"change" double precision,
	"tolerance" double precision,
	"points" integer NOT NULL,
	"mk_s" integer,
	"mk_variance" double precision,
	CONSTRAINT "indicator_trends_organisation_id_indicator_id_pk" PRIMARY KEY("organisation_id","indicator_id")
);
--> statement-breakpoint
CREATE TABLE "indicator_values" (
	"indicator_id" uuid NOT NULL,
	"period_index" integer NOT NULL,
	"organisation_id" uuid NOT NULL,
	"period" text NOT NULL,
	"value" double precision,
	"quality" text,
	CONSTRAINT "indicator_values_indicator_id_period_index_organisation_id_pk" PRIMARY KEY("indicator_id","period_index","organisation_id"),
	CONSTRAINT "indicator_values_value_check" CHECK ("indicator_values"."value" is not null or "indicator_values"."quality" = 'not_collected')
);
--> statement-breakpoint
ALTER TABLE "comparator_group_members" ADD CONSTRAINT "comparator_group_members_group_id_comparator_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."comparator_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comparator_group_members" ADD CONSTRAINT "comparator_group_members_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comparator_groups" ADD CONSTRAINT "comparator_groups_anchor_id_organisations_id_fk" FOREIGN KEY ("anchor_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_period_stats" ADD CONSTRAINT "indicator_period_stats_indicator_id_indicator_definitions_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicator_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_positions" ADD CONSTRAINT "indicator_positions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_positions" ADD CONSTRAINT "indicator_positions_indicator_id_indicator_definitions_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicator_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_snapshots" ADD CONSTRAINT "indicator_snapshots_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_trends" ADD CONSTRAINT "indicator_trends_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_trends" ADD CONSTRAINT "indicator_trends_indicator_id_indicator_definitions_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicator_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_indicator_id_indicator_definitions_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicator_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "indicator_snapshots_assessment_idx" ON "indicator_snapshots" USING btree ("assessment_id");--> statement-breakpoint
CREATE INDEX "indicator_values_organisation_idx" ON "indicator_values" USING btree ("organisation_id","indicator_id");