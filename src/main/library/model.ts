import type { Author, EnrichmentState, Highlight, ReadingStatus } from '../../shared/contract/library'

/** What an importer produces and the writer stores: bibliographic data plus optional evaluation. */
export interface PaperInput {
  itemType?: string | null
  title?: string | null
  abstract?: string | null
  venue?: string | null
  volume?: string | null
  issue?: string | null
  pages?: string | null
  publisher?: string | null
  year?: number | null
  date?: string | null
  doi?: string | null
  arxivId?: string | null
  isbn?: string | null
  url?: string | null
  language?: string | null
  citationKey?: string | null
  authors?: Author[]
  tags?: string[]
  extra?: Record<string, unknown>
  rating?: number | null
  notes?: string
  readingStatus?: ReadingStatus
  highlights?: Highlight[]
  collectionIds?: number[]
  enrichment?: { status: EnrichmentState; message: string | null }
}

/** Scalar metadata columns, camelCase → column. */
export const META_COLUMNS = {
  itemType: 'item_type',
  title: 'title',
  abstract: 'abstract',
  venue: 'venue',
  volume: 'volume',
  issue: 'issue',
  pages: 'pages',
  publisher: 'publisher',
  year: 'year',
  date: 'date',
  doi: 'doi',
  arxivId: 'arxiv_id',
  isbn: 'isbn',
  url: 'url',
  language: 'language',
  citationKey: 'citation_key',
} as const
export type MetaKey = keyof typeof META_COLUMNS
export const META_KEYS = Object.keys(META_COLUMNS) as MetaKey[]

/** A failure of one entry inside a file: reported, never aborts the rest. */
export interface EntryFailure {
  index: number
  key: string | null
  title: string | null
  reason: string
}

/** Something to check about an entry that was read (it is still imported). Same shape as a failure. */
export type EntryWarning = EntryFailure

export interface ParsedBatch {
  entries: { index: number; input: PaperInput }[]
  failures: EntryFailure[]
  warnings: string[]
  /** Per entry, by `index`; only importers that can tell (BibTeX) set it. */
  entryWarnings?: EntryWarning[]
}
