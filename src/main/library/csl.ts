import type { Author, Paper } from '../../shared/contract/library'
import type { PaperInput } from './model'
import { cleanDoi, cleanText, makeDate, normalizeArxiv } from './normalize'

/** A CSL-JSON item (the subset we read and write). */
export interface CslItem {
  id?: string | number
  type?: string
  title?: string
  abstract?: string
  'container-title'?: string | string[]
  'collection-title'?: string
  volume?: string | number
  issue?: string | number
  page?: string | number
  publisher?: string
  'publisher-place'?: string
  issued?: { 'date-parts'?: (number | string)[][]; raw?: string; literal?: string }
  DOI?: string
  ISBN?: string
  URL?: string
  language?: string
  'citation-key'?: string
  keyword?: string | string[]
  author?: { family?: string; given?: string; literal?: string; 'non-dropping-particle'?: string; 'dropping-particle'?: string; suffix?: string }[]
  note?: string
  [k: string]: unknown
}

const CSL_TYPES = new Set([
  'article', 'article-journal', 'article-magazine', 'article-newspaper', 'bill', 'book', 'broadcast', 'chapter', 'classic', 'collection',
  'dataset', 'document', 'entry', 'entry-dictionary', 'entry-encyclopedia', 'event', 'figure', 'graphic', 'hearing', 'interview',
  'legal_case', 'legislation', 'manuscript', 'map', 'motion_picture', 'musical_score', 'pamphlet', 'paper-conference', 'patent',
  'performance', 'periodical', 'personal_communication', 'post', 'post-weblog', 'regulation', 'report', 'review', 'review-book',
  'software', 'song', 'speech', 'standard', 'thesis', 'treaty', 'webpage',
])

const str = (v: unknown): string | null => (v == null ? null : cleanText(Array.isArray(v) ? String(v[0] ?? '') : String(v)))

export function cslAuthors(list: CslItem['author']): Author[] {
  const out: Author[] = []
  for (const a of list ?? []) {
    if (!a || typeof a !== 'object') continue
    if (a.literal) {
      out.push({ family: a.literal.trim(), given: null })
      continue
    }
    const family = [a['non-dropping-particle'], a.family].filter(Boolean).join(' ').trim()
    const given = [a.given, a['dropping-particle']].filter(Boolean).join(' ').trim()
    if (!family && !given) continue
    out.push({ family: family || given, given: family ? (a.suffix ? `${given}, ${a.suffix}` : given) || null : null })
  }
  return out
}

/** CSL-JSON item (from RIS, CSL-JSON files, Crossref) → our paper input. Unknown CSL variables go to extra.csl. */
export function cslToInput(item: CslItem): PaperInput {
  const parts = item.issued?.['date-parts']?.[0]
  const { year, date } = parts?.length ? makeDate(parts[0], parts[1], parts[2]) : makeDate(item.issued?.raw ?? item.issued?.literal)
  const keywords = Array.isArray(item.keyword) ? item.keyword : typeof item.keyword === 'string' ? item.keyword.split(/\s*[,;]\s*/) : []
  const known = new Set([
    'id', 'type', 'title', 'abstract', 'container-title', 'volume', 'issue', 'page', 'publisher', 'issued', 'DOI', 'ISBN', 'URL',
    'language', 'citation-key', 'keyword', 'author', '_graph',
  ])
  const rest: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(item)) if (!known.has(k) && v != null && v !== '') rest[k] = v
  const url = str(item.URL)
  const arxiv = (url && /arxiv\.org/i.test(url) ? normalizeArxiv(url) : null) ?? (typeof item.number === 'string' && /arxiv/i.test(item.number) ? normalizeArxiv(item.number) : null)
  return {
    itemType: item.type && CSL_TYPES.has(item.type) ? item.type : 'article',
    title: str(item.title),
    abstract: item.abstract ? String(item.abstract).trim() || null : null,
    venue: str(item['container-title']),
    volume: str(item.volume),
    issue: str(item.issue),
    pages: str(item.page),
    publisher: str(item.publisher),
    year,
    date,
    doi: cleanDoi(str(item.DOI)),
    arxivId: arxiv,
    isbn: str(item.ISBN),
    url,
    language: str(item.language),
    citationKey: str(item['citation-key']) ?? (typeof item.id === 'string' && !/^temp_id_/.test(item.id) ? item.id : null),
    authors: cslAuthors(item.author),
    tags: [...new Set(keywords.map((k) => k.trim()).filter(Boolean))],
    extra: Object.keys(rest).length ? { csl: rest } : {},
  }
}

/** Paper → CSL-JSON item (for CSL-JSON/RIS export and formatted citations). */
export function paperToCsl(p: Paper): CslItem {
  const item: CslItem = { id: p.citationKey || `paper-${p.id}`, type: CSL_TYPES.has(p.itemType) ? p.itemType : 'article' }
  const csl = (p.extra?.csl ?? {}) as Record<string, unknown>
  Object.assign(item, csl)
  if (p.title) item.title = p.title
  if (p.abstract) item.abstract = p.abstract
  if (p.venue) item['container-title'] = p.venue
  if (p.volume) item.volume = p.volume
  if (p.issue) item.issue = p.issue
  if (p.pages) item.page = p.pages
  if (p.publisher) item.publisher = p.publisher
  if (p.date || p.year != null) {
    const parts = (p.date ?? String(p.year)).split('-').map(Number)
    item.issued = { 'date-parts': [parts] }
  }
  if (p.doi) item.DOI = p.doi
  if (p.isbn) item.ISBN = p.isbn
  if (p.url) item.URL = p.url
  else if (p.arxivId) item.URL = `https://arxiv.org/abs/${p.arxivId}`
  if (p.language) item.language = p.language
  if (p.citationKey) item['citation-key'] = p.citationKey
  if (p.tags.length) item.keyword = p.tags.join(', ')
  if (p.authors.length) item.author = p.authors.map((a) => (a.given ? { family: a.family, given: a.given } : { literal: a.family }))
  return item
}
