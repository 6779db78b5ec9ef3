CREATE TABLE `background_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`title` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`data` text,
	`progress` real DEFAULT 0 NOT NULL,
	`progress_message` text,
	`result` text,
	`error_code` text,
	`error_message` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer DEFAULT 3 NOT NULL,
	`interruptions` integer DEFAULT 0 NOT NULL,
	`run_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`heartbeat_at` integer,
	`dedupe_key` text,
	`checkpoint` text,
	`history` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `background_jobs_claim_idx` ON `background_jobs` (`status`,`type`,"priority" DESC,`id`);--> statement-breakpoint
CREATE INDEX `background_jobs_run_at_idx` ON `background_jobs` (`status`,`run_at`);--> statement-breakpoint
CREATE INDEX `background_jobs_completed_idx` ON `background_jobs` (`status`,`completed_at`);--> statement-breakpoint
CREATE INDEX `background_jobs_type_idx` ON `background_jobs` (`type`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `background_jobs_dedupe_idx` ON `background_jobs` (`dedupe_key`) WHERE "background_jobs"."dedupe_key" IS NOT NULL AND "background_jobs"."status" IN ('pending', 'running');