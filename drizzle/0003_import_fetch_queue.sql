ALTER TABLE "enrichment_jobs" ADD COLUMN "kind" text DEFAULT 'enrich' NOT NULL;--> statement-breakpoint
ALTER TABLE "enrichment_jobs" ADD COLUMN "priority" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "enrichment_jobs" ADD COLUMN "import_id" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "to_fetch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "fetched" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "fetch_failed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "rows_read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "playlists" ADD COLUMN "fetch_status" text DEFAULT 'fetched' NOT NULL;--> statement-breakpoint
ALTER TABLE "enrichment_jobs" ADD CONSTRAINT "enrichment_jobs_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_claim_by_kind" ON "enrichment_jobs" USING btree ("kind","status","priority","run_after");--> statement-breakpoint
CREATE INDEX "jobs_import" ON "enrichment_jobs" USING btree ("import_id","status");