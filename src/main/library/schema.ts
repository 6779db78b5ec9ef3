import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { ENRICHMENT_STATES, READING_STATUSES, TEXT_STATES, type Highlight } from '../../shared/contract/library'

/**
 * The paper library. Times are epoch milliseconds. Columns are only ever added through new migrations;
 * the search domain builds FTS5 tables and triggers over these tables (see src/main/search).
 */
export const papers = sqliteTable(
  'papers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** CSL item type: article-journal, paper-conference, book, chapter, thesis, report, manuscript, webpage, … */
    itemType: text('item_type').notNull().default('article-journal'),
    title: text('title').notNull().default(''),
    abstract: text('abstract'),
    /** Journal, proceedings (booktitle), or other container title. */
    venue: text('venue'),
    volume: text('volume'),
    issue: text('issue'),
    pages: text('pages'),
    publisher: text('publisher'),
    year: integer('year'),
    /** ISO 8601, as precise as known: 2019, 2019-05 or 2019-05-03. */
    date: text('date'),
    doi: text('doi'),
    /** lower-cased bare DOI (no https://doi.org/ prefix); unique, so a DOI can be in the library once. */
    doiNorm: text('doi_norm'),
    /** arXiv id without version, e.g. 2101.00001 or hep-th/9901001. */
    arxivId: text('arxiv_id'),
    isbn: text('isbn'),
    url: text('url'),
    language: text('language'),
    citationKey: text('citation_key'),
    /**
     * Everything we do not model as a column, so exports are lossless. For BibTeX imports:
     * `{ bibtex: { type: 'inproceedings', fields: { <lower-case name>: <raw value> } } }`.
     */
    extra: text('extra', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    /** normalised title | year | first author family: the fuzzy duplicate key (see duplicates.ts). */
    dedupeKey: text('dedupe_key'),
    // --- the user's evaluation ---
    rating: integer('rating'),
    notes: text('notes').notNull().default(''),
    readingStatus: text('reading_status', { enum: READING_STATUSES }).notNull().default('unread'),
    highlights: text('highlights', { mode: 'json' }).$type<Highlight[]>().notNull().default([]),
    // --- online enrichment (Crossref / arXiv) ---
    enrichmentStatus: text('enrichment_status', { enum: ENRICHMENT_STATES }).notNull().default('none'),
    enrichmentMessage: text('enrichment_message'),
    enrichmentAttempts: integer('enrichment_attempts').notNull().default(0),
    addedAt: integer('added_at').notNull(),
    modifiedAt: integer('modified_at').notNull(),
  },
  (t) => [
    uniqueIndex('papers_doi_norm_uq').on(t.doiNorm),
    index('papers_arxiv_idx').on(t.arxivId),
    index('papers_dedupe_idx').on(t.dedupeKey),
    index('papers_citation_key_idx').on(t.citationKey),
    index('papers_year_idx').on(t.year),
    index('papers_added_idx').on(t.addedAt),
    index('papers_enrichment_idx').on(t.enrichmentStatus),
    check('papers_rating_ck', sql`${t.rating} IS NULL OR (${t.rating} BETWEEN 1 AND 5)`),
  ],
)

/** Authors in order; `given` is null for organisations and single-name authors. */
export const paperAuthors = sqliteTable(
  'paper_authors',
  {
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    family: text('family').notNull(),
    given: text('given'),
  },
  (t) => [primaryKey({ columns: [t.paperId, t.position] }), index('paper_authors_family_idx').on(t.family)],
)

export const tags = sqliteTable(
  'tags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    color: text('color'),
  },
  (t) => [uniqueIndex('tags_name_uq').on(sql`${t.name} COLLATE NOCASE`)],
)

export const paperTags = sqliteTable(
  'paper_tags',
  {
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.paperId, t.tagId] }), index('paper_tags_tag_idx').on(t.tagId, t.paperId)],
)

export const collections = sqliteTable(
  'collections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    parentId: integer('parent_id').references((): AnySQLiteColumn => collections.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('collections_parent_idx').on(t.parentId)],
)

export const paperCollections = sqliteTable(
  'paper_collections',
  {
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.paperId, t.collectionId] }), index('paper_collections_coll_idx').on(t.collectionId, t.paperId)],
)

/** Files stored content-addressed under <dataDir>/library/files/<sha[0:2]>/<sha[2:]>. */
export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    originalName: text('original_name').notNull(),
    textState: text('text_state', { enum: TEXT_STATES }).notNull().default('pending'),
    textError: text('text_error'),
    pageCount: integer('page_count'),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [uniqueIndex('attachments_paper_sha_uq').on(t.paperId, t.sha256), index('attachments_sha_idx').on(t.sha256), index('attachments_text_state_idx').on(t.textState)],
)

/**
 * Extracted text, one row per page (1-based). Rebuildable from the files; the search domain indexes it
 * (its FTS table can use this as external content).
 */
export const attachmentPages = sqliteTable(
  'attachment_pages',
  {
    attachmentId: integer('attachment_id')
      .notNull()
      .references(() => attachments.id, { onDelete: 'cascade' }),
    page: integer('page').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.attachmentId, t.page] })],
)

export const savedSearches = sqliteTable('saved_searches', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  query: text('query').notNull().default(''),
  filters: text('filters', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})
