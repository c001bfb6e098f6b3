-- Hand-written: the trigram operator class of the explorer's search index (tracks_explorer_search).
-- pg_trgm is a trusted extension (a database owner may create it); PGlite loads it on open (db/database.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "playlist_track_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"playlist_id" text NOT NULL,
	"track_id" text NOT NULL,
	"change" text NOT NULL,
	"position" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"color" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "track_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"track_id" text NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"job_id" text,
	"playlist_id" text,
	"by" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "track_tags" (
	"workspace_id" text NOT NULL,
	"track_id" text NOT NULL,
	"tag_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	CONSTRAINT "track_tags_track_id_tag_id_pk" PRIMARY KEY("track_id","tag_id")
);
--> statement-breakpoint
ALTER TABLE "enrichment_jobs" ALTER COLUMN "phases" SET DEFAULT '[1,2,3,4]'::jsonb;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "work_code" text;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "iswc" text;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "writers" jsonb;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "publishers" jsonb;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "publisher_status" text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "rights_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tracks" ADD COLUMN "first_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "playlist_track_changes" ADD CONSTRAINT "playlist_track_changes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playlist_track_changes" ADD CONSTRAINT "playlist_track_changes_playlist_id_playlists_id_fk" FOREIGN KEY ("playlist_id") REFERENCES "public"."playlists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playlist_track_changes" ADD CONSTRAINT "playlist_track_changes_track_id_tracks_id_fk" FOREIGN KEY ("track_id") REFERENCES "public"."tracks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tags" ADD CONSTRAINT "tags_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "track_history" ADD CONSTRAINT "track_history_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "track_history" ADD CONSTRAINT "track_history_track_id_tracks_id_fk" FOREIGN KEY ("track_id") REFERENCES "public"."tracks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "track_tags" ADD CONSTRAINT "track_tags_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "track_tags" ADD CONSTRAINT "track_tags_track_id_tracks_id_fk" FOREIGN KEY ("track_id") REFERENCES "public"."tracks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "track_tags" ADD CONSTRAINT "track_tags_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "playlist_track_changes_playlist_at" ON "playlist_track_changes" USING btree ("playlist_id","at");--> statement-breakpoint
CREATE INDEX "playlist_track_changes_track" ON "playlist_track_changes" USING btree ("track_id");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_name" ON "saved_views" USING btree ("workspace_id","user_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "tags_workspace_name" ON "tags" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE INDEX "track_history_track_at" ON "track_history" USING btree ("track_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "track_tags_tag_track" ON "track_tags" USING btree ("tag_id","track_id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_first_seen" ON "tracks" USING btree ("workspace_id","first_seen_at","id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_name" ON "tracks" USING btree ("workspace_id",lower("name"),"id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_artist" ON "tracks" USING btree ("workspace_id",lower("artist"),"id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_label" ON "tracks" USING btree ("workspace_id",nullif(lower("label"), ''),"id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_streams" ON "tracks" USING btree ("workspace_id","streams","id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_popularity" ON "tracks" USING btree ("workspace_id","popularity","id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_release" ON "tracks" USING btree ("workspace_id",nullif("release_date", ''),"id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_enriched" ON "tracks" USING btree ("workspace_id","enriched_at","id");--> statement-breakpoint
CREATE INDEX "tracks_explorer_search" ON "tracks" USING gin (("name" || chr(31) || "artist" || chr(31) || coalesce("album", '') || chr(31) || coalesce("isrc", '') || chr(31) || coalesce("label", '') || chr(31) || coalesce("songwriters"::text, '') || chr(31) || coalesce("producers"::text, '')) gin_trgm_ops);--> statement-breakpoint
-- Weekly history backfill (hand-written): a track was first seen when it was first stored, and
-- every membership already there is recorded as added when its row was written.
UPDATE "tracks" SET "first_seen_at" = "created_at";--> statement-breakpoint
INSERT INTO "playlist_track_changes" ("workspace_id", "playlist_id", "track_id", "change", "position", "at")
SELECT "workspace_id", "playlist_id", "track_id", 'added', "position", "created_at" FROM "playlist_tracks";
