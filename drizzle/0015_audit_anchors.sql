CREATE TABLE "audit_anchors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_id" bigint NOT NULL,
	"hash" text NOT NULL,
	"published_in" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
