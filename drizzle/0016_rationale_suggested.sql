ALTER TABLE "kloe_judgements" ADD COLUMN "rationale_suggested" text;--> statement-breakpoint
ALTER TABLE "roll_up_judgements" ADD COLUMN "rationale_suggested" text;