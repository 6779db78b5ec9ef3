CREATE TABLE `attachment_pages` (
	`attachment_id` integer NOT NULL,
	`page` integer NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`attachment_id`, `page`),
	FOREIGN KEY (`attachment_id`) REFERENCES `attachments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`paper_id` integer NOT NULL,
	`sha256` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`original_name` text NOT NULL,
	`text_state` text DEFAULT 'pending' NOT NULL,
	`text_error` text,
	`page_count` integer,
	`added_at` integer NOT NULL,
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_paper_sha_uq` ON `attachments` (`paper_id`,`sha256`);--> statement-breakpoint
CREATE INDEX `attachments_sha_idx` ON `attachments` (`sha256`);--> statement-breakpoint
CREATE INDEX `attachments_text_state_idx` ON `attachments` (`text_state`);--> statement-breakpoint
CREATE TABLE `collections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`parent_id` integer,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `collections_parent_idx` ON `collections` (`parent_id`);--> statement-breakpoint
CREATE TABLE `paper_authors` (
	`paper_id` integer NOT NULL,
	`position` integer NOT NULL,
	`family` text NOT NULL,
	`given` text,
	PRIMARY KEY(`paper_id`, `position`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `paper_authors_family_idx` ON `paper_authors` (`family`);--> statement-breakpoint
CREATE TABLE `paper_collections` (
	`paper_id` integer NOT NULL,
	`collection_id` integer NOT NULL,
	PRIMARY KEY(`paper_id`, `collection_id`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `paper_collections_coll_idx` ON `paper_collections` (`collection_id`,`paper_id`);--> statement-breakpoint
CREATE TABLE `paper_tags` (
	`paper_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`paper_id`, `tag_id`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `paper_tags_tag_idx` ON `paper_tags` (`tag_id`,`paper_id`);--> statement-breakpoint
CREATE TABLE `papers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_type` text DEFAULT 'article-journal' NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`abstract` text,
	`venue` text,
	`volume` text,
	`issue` text,
	`pages` text,
	`publisher` text,
	`year` integer,
	`date` text,
	`doi` text,
	`doi_norm` text,
	`arxiv_id` text,
	`isbn` text,
	`url` text,
	`language` text,
	`citation_key` text,
	`extra` text DEFAULT '{}' NOT NULL,
	`dedupe_key` text,
	`rating` integer,
	`notes` text DEFAULT '' NOT NULL,
	`reading_status` text DEFAULT 'unread' NOT NULL,
	`highlights` text DEFAULT '[]' NOT NULL,
	`enrichment_status` text DEFAULT 'none' NOT NULL,
	`enrichment_message` text,
	`enrichment_attempts` integer DEFAULT 0 NOT NULL,
	`added_at` integer NOT NULL,
	`modified_at` integer NOT NULL,
	CONSTRAINT "papers_rating_ck" CHECK("papers"."rating" IS NULL OR ("papers"."rating" BETWEEN 1 AND 5))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `papers_doi_norm_uq` ON `papers` (`doi_norm`);--> statement-breakpoint
CREATE INDEX `papers_arxiv_idx` ON `papers` (`arxiv_id`);--> statement-breakpoint
CREATE INDEX `papers_dedupe_idx` ON `papers` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `papers_citation_key_idx` ON `papers` (`citation_key`);--> statement-breakpoint
CREATE INDEX `papers_year_idx` ON `papers` (`year`);--> statement-breakpoint
CREATE INDEX `papers_added_idx` ON `papers` (`added_at`);--> statement-breakpoint
CREATE INDEX `papers_enrichment_idx` ON `papers` (`enrichment_status`);--> statement-breakpoint
CREATE TABLE `saved_searches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`query` text DEFAULT '' NOT NULL,
	`filters` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`color` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_uq` ON `tags` ("name" COLLATE NOCASE);