-- Search domain (src/main/search), performance. A text search takes its FTS5 hits and then filters
-- and sorts them on year / rating / status / added date / venue; read from `papers`, each hit costs a visit
-- to a wide row (the abstract sits in the same record), so broad queries read most of the table. This
-- narrow covering index keyed by id holds just those columns (~6 MiB at 100k papers); the search
-- queries name it with INDEXED BY.
CREATE INDEX `search_papers_filter_idx` ON `papers` (`id`, `year`, `rating`, `reading_status`, `added_at`, `venue`);
--> statement-breakpoint
-- The author filter compares family names case-insensitively; the library's index on `family` is BINARY.
CREATE INDEX `search_authors_family_nocase_idx` ON `paper_authors` (`family` COLLATE NOCASE, `paper_id`);
