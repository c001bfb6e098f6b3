CREATE TABLE "contact_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"songwriter_id" text NOT NULL,
	"body" text NOT NULL,
	"by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"songwriter_id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"stage" text DEFAULT 'new' NOT NULL,
	"owner_id" text,
	"handles" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" double precision DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "songwriter_aliases" (
	"workspace_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"display" text NOT NULL,
	"songwriter_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "songwriter_aliases_workspace_id_kind_key_pk" PRIMARY KEY("workspace_id","kind","key")
);
--> statement-breakpoint
CREATE TABLE "songwriter_credits" (
	"workspace_id" text NOT NULL,
	"track_id" text NOT NULL,
	"name_key" text NOT NULL,
	"songwriter_id" text NOT NULL,
	"credited_name" text NOT NULL,
	"ipi" text,
	"source" text NOT NULL,
	CONSTRAINT "songwriter_credits_track_id_name_key_pk" PRIMARY KEY("track_id","name_key")
);
--> statement-breakpoint
CREATE TABLE "songwriter_identity_ops" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"kind" text NOT NULL,
	"songwriter_id" text NOT NULL,
	"other_ids" jsonb NOT NULL,
	"moved" jsonb NOT NULL,
	"by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" text
);
--> statement-breakpoint
CREATE TABLE "songwriters" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"merged_into_id" text,
	"score" real DEFAULT 0 NOT NULL,
	"score_breakdown" jsonb,
	"scored_at" timestamp with time zone,
	"publisher_status" text DEFAULT 'unknown' NOT NULL,
	"track_count" integer DEFAULT 0 NOT NULL,
	"total_streams" bigint DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_notes" ADD CONSTRAINT "contact_notes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_notes" ADD CONSTRAINT "contact_notes_songwriter_id_songwriters_id_fk" FOREIGN KEY ("songwriter_id") REFERENCES "public"."songwriters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_songwriter_id_songwriters_id_fk" FOREIGN KEY ("songwriter_id") REFERENCES "public"."songwriters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "songwriter_aliases" ADD CONSTRAINT "songwriter_aliases_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "songwriter_aliases" ADD CONSTRAINT "songwriter_aliases_songwriter_id_songwriters_id_fk" FOREIGN KEY ("songwriter_id") REFERENCES "public"."songwriters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "songwriter_credits" ADD CONSTRAINT "songwriter_credits_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "songwriter_credits" ADD CONSTRAINT "songwriter_credits_track_id_tracks_id_fk" FOREIGN KEY ("track_id") REFERENCES "public"."tracks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "songwriter_credits" ADD CONSTRAINT "songwriter_credits_songwriter_id_songwriters_id_fk" FOREIGN KEY ("songwriter_id") REFERENCES "public"."songwriters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "songwriter_identity_ops" ADD CONSTRAINT "songwriter_identity_ops_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "songwriters" ADD CONSTRAINT "songwriters_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_notes_songwriter" ON "contact_notes" USING btree ("songwriter_id","created_at");--> statement-breakpoint
CREATE INDEX "contacts_workspace_stage" ON "contacts" USING btree ("workspace_id","stage","position");--> statement-breakpoint
CREATE INDEX "songwriter_aliases_songwriter" ON "songwriter_aliases" USING btree ("songwriter_id");--> statement-breakpoint
CREATE INDEX "songwriter_credits_songwriter" ON "songwriter_credits" USING btree ("songwriter_id","track_id");--> statement-breakpoint
CREATE INDEX "songwriter_identity_ops_songwriter" ON "songwriter_identity_ops" USING btree ("workspace_id","songwriter_id","created_at");--> statement-breakpoint
CREATE INDEX "songwriters_workspace_score" ON "songwriters" USING btree ("workspace_id","score","id");--> statement-breakpoint
CREATE INDEX "songwriters_workspace_name" ON "songwriters" USING btree ("workspace_id",lower("name"),"id");