CREATE TABLE "cluster_members" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"calls_providers" boolean DEFAULT false NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enrichment_jobs" ADD COLUMN "force" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "enrichment_jobs" ADD COLUMN "tracks_skipped" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "enriching_job_id" text;--> statement-breakpoint
CREATE INDEX "imports_status_lease" ON "imports" USING btree ("status","lease_expires_at");--> statement-breakpoint
CREATE INDEX "tracks_enriching_job" ON "tracks" USING btree ("enriching_job_id") WHERE "tracks"."enriching_job_id" IS NOT NULL;