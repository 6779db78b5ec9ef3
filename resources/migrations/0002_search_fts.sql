-- Search domain (src/main/search): FTS5 word index over paper metadata, a CJK bigram copy of each field,
-- the attachments' full-text index, the re-index queue fed by triggers, and suggestion vocabulary.
-- The FTS tables are contentless (content='') with contentless_delete=1: the text lives once, in the
-- library tables; snippets are cut from it in src/main/search/highlight.ts. Everything here is rebuildable.
CREATE VIRTUAL TABLE `search_fts` USING fts5(
	title, abstract, authors, tags, notes, venue,
	title_cjk, abstract_cjk, authors_cjk, tags_cjk, notes_cjk, venue_cjk,
	content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
INSERT INTO `search_fts`(`search_fts`, `rank`) VALUES ('rank', 'bm25(10.0, 3.0, 6.0, 5.0, 2.0, 2.0, 10.0, 3.0, 6.0, 5.0, 2.0, 2.0)');
--> statement-breakpoint
INSERT INTO `search_fts`(`search_fts`, `rank`) VALUES ('automerge', 4);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_fulltext` USING fts5(
	body, body_cjk,
	content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `search_fulltext`(`search_fulltext`, `rank`) VALUES ('automerge', 4);
--> statement-breakpoint
CREATE TABLE `search_ft_pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attachment_id` integer NOT NULL,
	`paper_id` integer NOT NULL,
	`page` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `search_ft_pages_att_idx` ON `search_ft_pages` (`attachment_id`);
--> statement-breakpoint
CREATE INDEX `search_ft_pages_paper_idx` ON `search_ft_pages` (`paper_id`);
--> statement-breakpoint
-- One row per attachment the full-text indexer has to (re)visit; survives restarts (resumable).
CREATE TABLE `search_ft_queue` (
	`attachment_id` integer PRIMARY KEY NOT NULL,
	`queued_at` integer NOT NULL
);
--> statement-breakpoint
-- Papers whose word-index row is stale; drained by SearchService (before a search and in the background).
CREATE TABLE `search_dirty` (
	`paper_id` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `search_suggest` (
	`kind` text NOT NULL,
	`norm` text NOT NULL,
	`label` text NOT NULL,
	`n` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`kind`, `norm`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `search_suggest_norm_idx` ON `search_suggest` (`norm`, `n`);
--> statement-breakpoint
CREATE TABLE `search_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
-- Sort orders of the library table (keyset pagination needs an index per order).
CREATE INDEX `search_papers_title_idx` ON `papers` (`title` COLLATE NOCASE);
--> statement-breakpoint
CREATE INDEX `search_papers_rating_idx` ON `papers` (coalesce(`rating`, 0));
--> statement-breakpoint
CREATE INDEX `search_papers_year_idx` ON `papers` (coalesce(`year`, 0));
--> statement-breakpoint
CREATE INDEX `search_papers_status_idx` ON `papers` (`reading_status`);
--> statement-breakpoint
CREATE INDEX `search_papers_venue_idx` ON `papers` (`venue` COLLATE NOCASE);
--> statement-breakpoint
CREATE TRIGGER `search_papers_ai` AFTER INSERT ON `papers` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_papers_au` AFTER UPDATE OF `title`, `abstract`, `venue`, `notes` ON `papers` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_papers_ad` AFTER DELETE ON `papers` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (OLD.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_authors_ai` AFTER INSERT ON `paper_authors` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (NEW.`paper_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_authors_au` AFTER UPDATE ON `paper_authors` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (NEW.`paper_id`);
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (OLD.`paper_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_authors_ad` AFTER DELETE ON `paper_authors` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (OLD.`paper_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_ptags_ai` AFTER INSERT ON `paper_tags` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (NEW.`paper_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_ptags_ad` AFTER DELETE ON `paper_tags` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) VALUES (OLD.`paper_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_tags_au` AFTER UPDATE OF `name` ON `tags` BEGIN
	INSERT OR IGNORE INTO `search_dirty`(`paper_id`) SELECT `paper_id` FROM `paper_tags` WHERE `tag_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_att_ai` AFTER INSERT ON `attachments` BEGIN
	INSERT OR REPLACE INTO `search_ft_queue`(`attachment_id`, `queued_at`) VALUES (NEW.`id`, unixepoch('subsec') * 1000);
END;
--> statement-breakpoint
CREATE TRIGGER `search_att_au` AFTER UPDATE OF `text_state`, `paper_id` ON `attachments` BEGIN
	INSERT OR REPLACE INTO `search_ft_queue`(`attachment_id`, `queued_at`) VALUES (NEW.`id`, unixepoch('subsec') * 1000);
END;
--> statement-breakpoint
CREATE TRIGGER `search_att_ad` AFTER DELETE ON `attachments` BEGIN
	INSERT OR REPLACE INTO `search_ft_queue`(`attachment_id`, `queued_at`) VALUES (OLD.`id`, unixepoch('subsec') * 1000);
END;
--> statement-breakpoint
CREATE TRIGGER `search_pages_ai` AFTER INSERT ON `attachment_pages` BEGIN
	INSERT OR REPLACE INTO `search_ft_queue`(`attachment_id`, `queued_at`) VALUES (NEW.`attachment_id`, unixepoch('subsec') * 1000);
END;
--> statement-breakpoint
CREATE TRIGGER `search_pages_au` AFTER UPDATE ON `attachment_pages` BEGIN
	INSERT OR REPLACE INTO `search_ft_queue`(`attachment_id`, `queued_at`) VALUES (NEW.`attachment_id`, unixepoch('subsec') * 1000);
END;
