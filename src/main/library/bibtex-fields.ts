import type { Author } from '../../shared/contract/library'
import { fingerprint } from './normalize'

/**
 * The BibTeX ↔ paper mapping shared by import and export. A BibTeX import keeps, in `extra.bibtex`:
 * - `type`, `key`: the entry type and citation key as written;
 * - `fields`: every field we do not model, with its raw (verbatim) value, so it is exported unchanged;
 * - `raw` + `sig`: for modelled fields whose source is not plain text (LaTeX, braces), the raw source and
 *   a fingerprint of the value we derived from it. Export writes the raw source while the paper's value
 *   still matches the fingerprint (not edited since import), so an import → export round trip is lossless.
 */
export interface BibtexExtra {
  type: string
  key: string
  fields: Record<string, string>
  raw?: Record<string, string>
  sig?: Record<string, string>
  /** Which field held the venue: journal, journaltitle or booktitle. */
  venueField?: string
  /** Set when the date came from a biblatex `date` field (written back as `date`, not year/month). */
  dateField?: 'date'
}

/** Fields we model as columns; everything else goes to `extra.bibtex.fields`. */
export const MODELLED_FIELDS = new Set([
  'title',
  'abstract',
  'journal',
  'journaltitle',
  'booktitle',
  'volume',
  'number',
  'issue',
  'pages',
  'publisher',
  'year',
  'month',
  'date',
  'doi',
  'isbn',
  'url',
  'language',
  'author',
  'keywords',
])

export interface BibModelLike {
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
  isbn?: string | null
  url?: string | null
  language?: string | null
  authors?: Author[]
  tags?: string[]
}

export function authorsToBib(authors: Author[]): string {
  return authors
    .map((a) => {
      const family = a.given ? a.family : /\s/.test(a.family) ? `{${a.family}}` : a.family
      if (!a.given) return family
      const i = a.given.lastIndexOf(', ')
      // "John, Jr." keeps a suffix: written "Family, Jr., John".
      if (i > 0) return `${family}, ${a.given.slice(i + 2)}, ${a.given.slice(0, i)}`
      return `${family}, ${a.given}`
    })
    .join(' and ')
}

/** The plain (Unicode) value a paper has for a modelled BibTeX field; null when it has none. */
export function modelledValue(field: string, p: BibModelLike): string | null {
  switch (field) {
    case 'title':
      return p.title || null
    case 'abstract':
      return p.abstract ?? null
    case 'journal':
    case 'journaltitle':
    case 'booktitle':
      return p.venue ?? null
    case 'volume':
      return p.volume ?? null
    case 'number':
    case 'issue':
      return p.issue ?? null
    case 'pages':
      return p.pages ?? null
    case 'publisher':
      return p.publisher ?? null
    case 'year':
      return p.year != null ? String(p.year) : null
    case 'month':
      return p.date && p.date.length >= 7 ? String(Number(p.date.slice(5, 7))) : null
    case 'date':
      return p.date ?? null
    case 'doi':
      return p.doi ?? null
    case 'isbn':
      return p.isbn ?? null
    case 'url':
      return p.url ?? null
    case 'language':
      return p.language ?? null
    case 'author':
      return p.authors?.length ? authorsToBib(p.authors) : null
    case 'keywords':
      return p.tags?.length ? sortTags(p.tags).join(', ') : null
    default:
      return null
  }
}

/** Tags in the order the database returns them (SQLite NOCASE folds ASCII only, then compares code units). */
export function sortTags(tags: string[]): string[] {
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
  return [...tags].sort((a, b) => (fold(a) < fold(b) ? -1 : fold(a) > fold(b) ? 1 : 0))
}

export const sigOf = (field: string, p: BibModelLike): string => fingerprint(modelledValue(field, p) ?? '')
