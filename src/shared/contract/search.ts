/**
 * Search domain contract: full-text search with a query language, filters, sorting, keyset pagination,
 * snippets, suggestions, and the state of the background indexers.
 *
 * Query syntax (see src/main/search/parser.ts): words, prefixes (`learn*`), "phrases", OR, NOT / -word,
 * parentheses, and fields: author:, tag:, journal: (venue:), title:, abstract:, notes:, text: (attachment
 * full text), year:2019..2023 (also >=, <=, >, <, 2020), rating:>=4 (rating:none = unrated), status:unread.
 */
import { z } from 'zod'
import { channel } from './define'
import { ReadingStatusSchema, type ReadingStatus } from './library'

export { HL_END, HL_START, splitHighlights } from '../constants'

export const SEARCH_SORTS = ['relevance', 'year', 'added', 'rating', 'title'] as const
export const SearchSortSchema = z.enum(SEARCH_SORTS)
export type SearchSort = z.infer<typeof SearchSortSchema>

const name = z.string().trim().min(1).max(500)

export const SearchFiltersSchema = z.strictObject({
  ratingMin: z.number().int().min(1).max(5).optional(),
  ratingMax: z.number().int().min(1).max(5).optional(),
  /** Only papers without a rating. */
  unrated: z.boolean().optional(),
  tags: z.array(name).max(50).optional(),
  tagMode: z.enum(['any', 'all']).optional(),
  yearFrom: z.number().int().min(0).max(9999).optional(),
  yearTo: z.number().int().min(0).max(9999).optional(),
  /** Epoch ms, inclusive. */
  addedFrom: z.number().int().min(0).optional(),
  addedTo: z.number().int().min(0).optional(),
  journals: z.array(name).max(50).optional(),
  /** Family names (case-insensitive). */
  authors: z.array(name).max(50).optional(),
  statuses: z.array(ReadingStatusSchema).max(3).optional(),
  collectionId: z.number().int().positive().optional(),
  /** Include sub-collections of collectionId (default true). */
  subcollections: z.boolean().optional(),
  /** Only papers with (true) or without (false) an attachment. */
  hasAttachment: z.boolean().optional(),
})
export type SearchFilters = z.infer<typeof SearchFiltersSchema>

export const SearchQuerySchema = z.strictObject({
  q: z.string().max(2000).default(''),
  filters: SearchFiltersSchema.optional(),
  sort: SearchSortSchema.optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  /** Opaque keyset cursor from the previous page (`nextCursor`). */
  cursor: z.string().max(1000).optional(),
  /** Random access for a virtualised table jumping far ahead; ignored when `cursor` is given. */
  offset: z.number().int().min(0).max(10_000_000).optional(),
  /** 'metadata' (default) searches the paper fields; 'all' also the attachments' full text (like Zotero's "Everything"). */
  scope: z.enum(['all', 'metadata']).optional(),
  /** Compute the total number of hits (default: on the first page only). */
  total: z.boolean().optional(),
  /** Cut snippets for text queries (default true). */
  snippets: z.boolean().optional(),
})
export type SearchQuery = z.input<typeof SearchQuerySchema>

export interface SearchSnippet {
  field: 'title' | 'abstract' | 'notes' | 'fulltext'
  /** For full-text hits: the 1-based page and its attachment. */
  page: number | null
  attachmentId: number | null
  /** Contains HL_START / HL_END around matched terms. */
  text: string
}

export interface SearchHit {
  id: number
  title: string
  /** Title with HL_START / HL_END around matched terms (equals `title` without a text query). */
  titleHl: string
  /** "Family, Family & Family" or "Family et al.". */
  authors: string
  year: number | null
  venue: string | null
  rating: number | null
  readingStatus: ReadingStatus
  addedAt: number
  tags: string[]
  attachments: number
  /**
   * bm25 relevance (lower is better) when sorted by relevance; null for other sorts and without a text query.
   * A broad query (thousands of hits) ranks its hits in two tiers — those matching in title, authors or tags
   * first, by bm25 over those fields, then the rest by full bm25 — so scores compare within a tier only.
   */
  score: number | null
  snippet: SearchSnippet | null
}

export interface QueryProblem {
  message: string
  /** 0-based offset in the query where the problem is. */
  position: number
}

export interface SearchResult {
  items: SearchHit[]
  /** Number of hits; null when not computed (later pages). */
  total: number | null
  nextCursor: string | null
  /** Set when the query could not be understood; items are then empty. */
  error: QueryProblem | null
  /** Things that were fixed up (unbalanced quote, unknown field …). */
  warnings: QueryProblem[]
  /** The query as the engine understood it, for "searching for …" hints. */
  understood: string
  tookMs: number
  /** Papers and attachments still waiting for the indexers; results may be incomplete while > 0. */
  pending: { papers: number; attachments: number }
}

export const SUGGESTION_KINDS = ['title', 'author', 'tag', 'journal', 'field'] as const
export interface Suggestion {
  kind: (typeof SUGGESTION_KINDS)[number]
  label: string
  /** The whole new query text when the suggestion is picked. */
  query: string
  /** Papers with this value, when known. */
  count: number | null
}

export interface SearchIndexStatus {
  papers: number
  pendingPapers: number
  attachmentsIndexed: number
  pendingAttachments: number
  pagesIndexed: number
  state: 'idle' | 'indexing'
  /** Bytes used by each search table (FTS shadow tables summed), when dbstat is available. */
  sizes: Record<string, number>
}

export const searchChannels = {
  'search.query': channel<SearchResult>()(SearchQuerySchema),
  /**
   * The exact number of hits of a query with its filters. The Library asks for it after the first page
   * (`search.query` with `total: false`), so a broad text query's rows are not held back by counting them.
   */
  'search.count': channel<{ total: number }>()(
    z.strictObject({ q: z.string().max(2000).default(''), filters: SearchFiltersSchema.optional(), scope: z.enum(['all', 'metadata']).optional() }),
  ),
  'search.suggest': channel<Suggestion[]>()(z.strictObject({ q: z.string().max(500), limit: z.number().int().min(1).max(20).optional() })),
  /** All matching ids in order (for select-all and export of a result), capped at 100 000. */
  'search.ids': channel<{ ids: number[]; truncated: boolean }>()(
    z.strictObject({ q: z.string().max(2000).default(''), filters: SearchFiltersSchema.optional(), sort: SearchSortSchema.optional(), dir: z.enum(['asc', 'desc']).optional() }),
  ),
  /** Distinct values for the filter panel: journals and authors (most frequent first, optionally by prefix). */
  'search.facets': channel<{ journals: { value: string; count: number }[]; authors: { value: string; count: number }[] }>()(
    z.strictObject({ prefix: z.string().max(200).optional(), limit: z.number().int().min(1).max(200).optional() }).optional(),
  ),
  'search.status': channel<SearchIndexStatus>()(z.undefined()),
  /** Drops and rebuilds the index (metadata and/or full text) in the background. */
  'search.rebuild': channel<SearchIndexStatus>()(z.strictObject({ fulltext: z.boolean().optional(), metadata: z.boolean().optional() }).optional()),
}

export const searchEvents = {
  /** The indexers' progress; `pending` reaching 0 means the index is complete. */
  'search.indexProgress': z.object({ pendingPapers: z.number(), pendingAttachments: z.number() }),
}
