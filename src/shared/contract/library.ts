/**
 * Library domain contract: papers, authors, tags, collections, evaluation, attachments, saved searches,
 * import / export / duplicates.
 *
 * API note (for search + UI):
 * - Tables (src/main/library/schema.ts): `papers` (id, item_type, title, abstract, venue, volume, issue,
 *   pages, publisher, year, date, doi, doi_norm UNIQUE, arxiv_id, isbn, url, language, citation_key,
 *   extra JSON, dedupe_key, rating 1–5|NULL, notes, reading_status, highlights JSON, enrichment_status,
 *   enrichment_message, added_at, modified_at), `paper_authors` (paper_id, position, family, given),
 *   `tags` (id, name UNIQUE NOCASE, color) + `paper_tags` (paper_id, tag_id), `collections` (id, name,
 *   parent_id, position) + `paper_collections` (paper_id, collection_id), `attachments` (id, paper_id,
 *   sha256, mime, size, original_name, text_state, page_count), `attachment_pages` (attachment_id, page,
 *   text) holds extracted full text per page, `saved_searches` (id, name, query, filters JSON).
 *   All child tables cascade on paper delete. Writes to authors/tags/collections of a paper are done as
 *   "delete all rows of that paper, insert the new list" inside the same transaction that bumps
 *   papers.modified_at, so triggers on papers UPDATE see a consistent state only if they read the child
 *   tables lazily — the search domain should re-index a paper on `library.changed` or with triggers on
 *   each child table.
 * - Every write emits `library.changed` { kind, ids } after its transaction commits (kind `added`,
 *   `updated`, `deleted`, `merged`); tags/collections/saved-searches changes emit their own events.
 *   Large imports emit one `library.changed` per committed batch.
 * - Imports: `library.import*` return `{ jobId, report }`. When the job queue is wired, `jobId` is set and
 *   `report` is null (the report is the job's result); otherwise the import ran inline and `report` is
 *   set. `library.importText` takes file content (browser mode drag-and-drop) instead of a path.
 * - `library.get` returns a full Paper; `library.getMany` up to 500 at once (for detail panes/exports);
 *   listing/sorting/filtering is the search domain's job.
 */
import { z } from 'zod'
import { CITATION_STYLES, EXPORT_FORMATS, READING_STATUSES } from '../constants'
import { channel } from './define'

export { CITATION_STYLES, EXPORT_FORMATS, READING_STATUSES }

export const ReadingStatusSchema = z.enum(READING_STATUSES)
export type ReadingStatus = z.infer<typeof ReadingStatusSchema>

/** none = nothing to look up; pending = waiting (e.g. offline) and retried later; done; failed = gave up (message says why). */
export const ENRICHMENT_STATES = ['none', 'pending', 'done', 'failed'] as const
export type EnrichmentState = (typeof ENRICHMENT_STATES)[number]

export const TEXT_STATES = ['pending', 'done', 'failed', 'none'] as const
export type TextState = (typeof TEXT_STATES)[number]

/** CSL item types we produce; others from imports are kept as-is. */
export const ITEM_TYPES = [
  'article-journal',
  'paper-conference',
  'book',
  'chapter',
  'thesis',
  'report',
  'manuscript',
  'webpage',
  'dataset',
  'software',
  'article',
  'entry',
] as const

export const HighlightSchema = z.strictObject({
  page: z.number().int().min(1).max(100_000).optional(),
  text: z.string().max(20_000),
  note: z.string().max(20_000).optional(),
  color: z.string().max(32).optional(),
  createdAt: z.number().int().optional(),
})
export type Highlight = z.infer<typeof HighlightSchema>

export const AuthorSchema = z.strictObject({
  family: z.string().trim().min(1).max(500),
  given: z.string().trim().max(500).nullable().optional(),
})
export interface Author {
  family: string
  given: string | null
}

export interface Attachment {
  id: number
  paperId: number
  sha256: string
  mime: string
  size: number
  originalName: string
  textState: TextState
  textError: string | null
  pageCount: number | null
  addedAt: number
}

export interface Paper {
  id: number
  itemType: string
  title: string
  abstract: string | null
  venue: string | null
  volume: string | null
  issue: string | null
  pages: string | null
  publisher: string | null
  year: number | null
  date: string | null
  doi: string | null
  arxivId: string | null
  isbn: string | null
  url: string | null
  language: string | null
  citationKey: string | null
  extra: Record<string, unknown>
  authors: Author[]
  tags: string[]
  collectionIds: number[]
  rating: number | null
  notes: string
  readingStatus: ReadingStatus
  highlights: Highlight[]
  enrichment: { status: EnrichmentState; message: string | null }
  attachments: Attachment[]
  addedAt: number
  modifiedAt: number
}

const s = (max: number) => z.string().trim().max(max)
const nullableStr = (max: number) => s(max).nullable().optional()

/** Editable bibliographic metadata (all optional in a patch). */
export const PaperMetadataSchema = z.strictObject({
  itemType: s(64).min(1).optional(),
  title: s(4000).optional(),
  abstract: z.string().max(200_000).nullable().optional(),
  venue: nullableStr(2000),
  volume: nullableStr(100),
  issue: nullableStr(100),
  pages: nullableStr(100),
  publisher: nullableStr(2000),
  year: z.number().int().min(0).max(9999).nullable().optional(),
  date: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'date must be YYYY, YYYY-MM or YYYY-MM-DD')
    .nullable()
    .optional(),
  doi: nullableStr(500),
  arxivId: nullableStr(100),
  isbn: nullableStr(100),
  url: nullableStr(4000),
  language: nullableStr(100),
  citationKey: nullableStr(500),
  authors: z.array(AuthorSchema).max(5000).optional(),
})
export type PaperMetadata = z.infer<typeof PaperMetadataSchema>

/** The user's evaluation and organisation fields. */
export const PaperEvaluationSchema = z.strictObject({
  rating: z.number().int().min(1).max(5).nullable().optional(),
  notes: z.string().max(1_000_000).optional(),
  readingStatus: ReadingStatusSchema.optional(),
  highlights: z.array(HighlightSchema).max(10_000).optional(),
  tags: z.array(s(200).min(1)).max(1000).optional(),
  collectionIds: z.array(z.number().int().positive()).max(1000).optional(),
})

export const PaperPatchSchema = PaperMetadataSchema.extend(PaperEvaluationSchema.shape)
export type PaperPatch = z.infer<typeof PaperPatchSchema>

export const IMPORT_FORMATS = ['bibtex', 'ris', 'csl-json'] as const
export const ImportFormatSchema = z.enum(IMPORT_FORMATS)
export type ImportFormat = z.infer<typeof ImportFormatSchema>

export type CitationStyle = (typeof CITATION_STYLES)[number]

export interface ImportItemNote {
  /** 0-based position of the entry in the source. */
  index: number
  /** Citation key, DOI or file name: whatever identifies the entry to the user. */
  key: string | null
  title: string | null
  reason: string
  /** For duplicates: the paper already in the library. */
  existingId?: number
}

export interface ImportReport {
  source: string
  format: ImportFormat | 'pdf' | 'identifier'
  added: number
  duplicates: number
  failed: number
  /** Papers updated instead of added (duplicate policy `merge`). */
  merged: number
  addedIds: number[]
  /** Capped at 1000 entries each; the counts above are exact. */
  duplicateItems: ImportItemNote[]
  failures: ImportItemNote[]
  warnings: string[]
  /**
   * Entries that were imported (added or merged) but with something the user should check, e.g. a BibTeX
   * @string macro the file uses without defining it (its name is kept as the field's text). Counted in
   * `added`/`merged` too. Optional: reports stored by earlier versions lack them; this version always sets them.
   */
  warned?: number
  /** Capped at 1000 like the other lists; `warned` is exact. */
  warningItems?: ImportItemNote[]
  durationMs: number
}

export interface ImportStarted {
  /** Set when the import runs on the job queue; watch the job for progress and its result (an ImportReport). */
  jobId: number | null
  /** Set when the import ran inline. */
  report: ImportReport | null
}

export const DuplicatePolicySchema = z.enum(['skip', 'merge'])

export interface DuplicateGroup {
  /** doi | arxiv | title: which key matched. */
  reason: 'doi' | 'arxiv' | 'title'
  key: string
  paperIds: number[]
}

export interface Tag {
  id: number
  name: string
  color: string | null
  count: number
}

export interface Collection {
  id: number
  name: string
  parentId: number | null
  position: number
  /** Papers directly in this collection. */
  count: number
}

export interface SavedSearch {
  id: number
  name: string
  query: string
  filters: Record<string, unknown>
  createdAt: number
  updatedAt: number
}

export interface LibraryStats {
  papers: number
  byStatus: Record<ReadingStatus, number>
  tags: number
  collections: number
  attachments: number
  enrichmentPending: number
  textPending: number
  /** PDFs whose text could not be extracted (`library.reextractText` retries them). Optional: added later. */
  textFailed?: number
}

export interface ExportResult {
  format: (typeof EXPORT_FORMATS)[number]
  style: CitationStyle | null
  count: number
  /** The exported text (also when written to a file). */
  content: string
  /** Set when written to `filePath`. */
  filePath: string | null
}

const Id = z.number().int().positive()
const Ids = z.array(Id).min(1).max(100_000)
const FilePath = z.string().min(1).max(4096)

/** Data of a `library.reextractText` job; also what `jobs.add` accepts for that type. */
export const ReextractTextSchema = z.strictObject({
  /** Only these attachments (PDFs, whatever their state). Default: every PDF whose text extraction failed or is missing. */
  attachmentIds: z.array(Id).min(1).max(10_000).optional(),
})
export type ReextractTextInput = z.infer<typeof ReextractTextSchema>

export interface TextExtractionFailure {
  attachmentId: number
  paperId: number
  /** The attachment's original file name. */
  name: string
  reason: string
}

/** Result of a `library.reextractText` job. */
export interface TextExtractionReport {
  /** PDFs looked at. */
  processed: number
  /** Text extracted and handed to the full-text index. */
  extracted: number
  /** Still failing; each keeps its error in `Attachment.textError`. */
  failed: number
  /** Capped at 1000; `failed` is exact. */
  failures: TextExtractionFailure[]
  durationMs: number
}

export interface TextExtractionStarted {
  /** Set when the job queue runs it (watch the job; its result is a TextExtractionReport). */
  jobId: number | null
  /** Set when it ran inline. */
  report: TextExtractionReport | null
}

export const libraryChannels = {
  'library.get': channel<Paper>()(z.strictObject({ id: Id })),
  'library.getMany': channel<Paper[]>()(z.strictObject({ ids: z.array(Id).max(500) })),
  'library.stats': channel<LibraryStats>()(z.undefined()),
  'library.create': channel<Paper>()(PaperPatchSchema),
  'library.update': channel<Paper>()(z.strictObject({ id: Id, patch: PaperPatchSchema })),
  'library.delete': channel<{ deleted: number }>()(z.strictObject({ ids: Ids })),
  /** Bulk actions on a selection. */
  'library.bulkUpdate': channel<{ updated: number }>()(
    z.strictObject({
      ids: Ids,
      rating: z.number().int().min(1).max(5).nullable().optional(),
      readingStatus: ReadingStatusSchema.optional(),
      addTags: z.array(s(200).min(1)).max(100).optional(),
      removeTags: z.array(s(200).min(1)).max(100).optional(),
      addToCollections: z.array(Id).max(100).optional(),
      removeFromCollections: z.array(Id).max(100).optional(),
    }),
  ),

  // --- import ---
  'library.importFile': channel<ImportStarted>()(
    z.strictObject({ path: FilePath, format: ImportFormatSchema.optional(), onDuplicate: DuplicatePolicySchema.optional() }),
  ),
  /** File content (e.g. dropped in browser mode). */
  'library.importText': channel<ImportStarted>()(
    z.strictObject({
      text: z.string().max(900_000),
      format: ImportFormatSchema.optional(),
      name: z.string().max(500).optional(),
      onDuplicate: DuplicatePolicySchema.optional(),
    }),
  ),
  'library.importPdfs': channel<ImportStarted>()(z.strictObject({ paths: z.array(FilePath).min(1).max(10_000) })),
  /** DOIs and/or arXiv ids (any common spelling: URLs, `doi:`, `arXiv:` prefixes). */
  'library.importIdentifiers': channel<ImportStarted>()(z.strictObject({ identifiers: z.array(z.string().trim().min(1).max(500)).min(1).max(1000) })),
  /** Retry enrichment of papers whose look-up is pending (or these ids). */
  'library.enrich': channel<ImportStarted>()(z.strictObject({ ids: z.array(Id).max(10_000).optional() }).optional()),

  // --- duplicates ---
  'library.duplicates': channel<DuplicateGroup[]>()(z.strictObject({ ids: z.array(Id).max(100_000).optional() }).optional()),
  /** Folds `mergeIds` into `keepId`: empty fields filled, attachments/tags/collections/notes/highlights kept. */
  'library.merge': channel<Paper>()(z.strictObject({ keepId: Id, mergeIds: z.array(Id).min(1).max(100) })),

  // --- export ---
  'library.export': channel<ExportResult>()(
    z.strictObject({
      ids: z.array(Id).max(100_000).optional(),
      format: z.enum(EXPORT_FORMATS),
      style: z.enum(CITATION_STYLES).optional(),
      filePath: FilePath.optional(),
    }),
  ),

  // --- tags ---
  'library.tags': channel<Tag[]>()(z.undefined()),
  'library.tagRename': channel<Tag[]>()(z.strictObject({ id: Id, name: s(200).min(1) })),
  'library.tagSetColor': channel<Tag[]>()(z.strictObject({ id: Id, color: z.string().max(32).nullable() })),
  'library.tagDelete': channel<Tag[]>()(z.strictObject({ id: Id })),

  // --- collections ---
  'library.collections': channel<Collection[]>()(z.undefined()),
  'library.collectionCreate': channel<Collection>()(z.strictObject({ name: s(500).min(1), parentId: Id.nullable().optional() })),
  'library.collectionUpdate': channel<Collection>()(
    z.strictObject({ id: Id, name: s(500).min(1).optional(), parentId: Id.nullable().optional(), position: z.number().int().optional() }),
  ),
  /** Deletes the collection and its sub-collections; papers stay in the library. */
  'library.collectionDelete': channel<{ deleted: number }>()(z.strictObject({ id: Id })),

  // --- attachments ---
  'library.attachmentAdd': channel<Attachment>()(z.strictObject({ paperId: Id, path: FilePath })),
  'library.attachmentRemove': channel<{ removed: boolean }>()(z.strictObject({ id: Id })),
  /** Absolute path of the stored file (to open it with the OS). */
  'library.attachmentPath': channel<{ path: string; mime: string; originalName: string }>()(z.strictObject({ id: Id })),
  /**
   * Extracts the text of PDFs again in the background (job type `library.reextractText`): by default every
   * PDF whose extraction failed or is missing. Without ids, a run already waiting or running is returned.
   */
  'library.reextractText': channel<TextExtractionStarted>()(ReextractTextSchema.optional()),

  // --- saved searches ---
  'library.savedSearches': channel<SavedSearch[]>()(z.undefined()),
  'library.savedSearchSave': channel<SavedSearch>()(
    z.strictObject({ id: Id.optional(), name: s(200).min(1), query: z.string().max(4000), filters: z.record(z.string(), z.unknown()).optional() }),
  ),
  'library.savedSearchDelete': channel<{ deleted: boolean }>()(z.strictObject({ id: Id })),
}

export const libraryEvents = {
  'library.changed': z.object({
    kind: z.enum(['added', 'updated', 'deleted', 'merged']),
    ids: z.array(z.number()),
  }),
  'library.tagsChanged': z.object({}),
  'library.collectionsChanged': z.object({}),
  'library.savedSearchesChanged': z.object({}),
  /** Inline imports report progress here; queued imports through the job events. */
  'library.importProgress': z.object({ source: z.string(), pct: z.number(), message: z.string().optional() }),
}
