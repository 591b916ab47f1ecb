DROP INDEX "indicator_values_organisation_idx";--> statement-breakpoint
ALTER TABLE "indicator_values" DROP CONSTRAINT "indicator_values_indicator_id_period_index_organisation_id_pk";--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_indicator_id_organisation_id_period_index_pk" PRIMARY KEY("indicator_id","organisation_id","period_index");