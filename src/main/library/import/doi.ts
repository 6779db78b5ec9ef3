import type { PaperInput } from '../model'
import { cslAuthors } from '../csl'
import { cleanDoi, cleanText, makeDate } from '../normalize'
import { httpGet, type LookupOptions } from './http'

/** Crossref work types → CSL types. */
const TYPES: Record<string, string> = {
  'journal-article': 'article-journal',
  'proceedings-article': 'paper-conference',
  'book-chapter': 'chapter',
  'book-section': 'chapter',
  'book-part': 'chapter',
  book: 'book',
  monograph: 'book',
  'edited-book': 'book',
  'reference-book': 'book',
  'posted-content': 'article',
  report: 'report',
  dissertation: 'thesis',
  dataset: 'dataset',
  standard: 'standard',
}

interface CrossrefWork {
  DOI?: string
  type?: string
  title?: string[]
  'container-title'?: string[]
  author?: { given?: string; family?: string; name?: string }[]
  issued?: { 'date-parts'?: (number | null)[][] }
  'published-print'?: { 'date-parts'?: (number | null)[][] }
  'published-online'?: { 'date-parts'?: (number | null)[][] }
  volume?: string
  issue?: string
  page?: string
  publisher?: string
  abstract?: string
  ISBN?: string[]
  URL?: string
  language?: string
  subject?: string[]
}

const stripJats = (s: string) =>
  s
    .replace(/<jats:title>[^<]*<\/jats:title>/i, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()

/** Crossref's /works/{doi} JSON → paper input. */
export function crossrefToInput(work: CrossrefWork): PaperInput {
  const parts = (work.issued ?? work['published-print'] ?? work['published-online'])?.['date-parts']?.[0] ?? []
  const { year, date } = makeDate(parts[0], parts[1], parts[2])
  return {
    itemType: (work.type && TYPES[work.type]) || 'article-journal',
    title: cleanText(work.title?.[0]),
    abstract: work.abstract ? stripJats(work.abstract) : null,
    venue: cleanText(work['container-title']?.[0]),
    volume: cleanText(work.volume),
    issue: cleanText(work.issue),
    pages: cleanText(work.page),
    publisher: cleanText(work.publisher),
    year,
    date,
    doi: cleanDoi(work.DOI),
    isbn: work.ISBN?.[0] ?? null,
    url: work.URL ?? null,
    language: work.language ?? null,
    authors: cslAuthors((work.author ?? []).map((a) => (a.name && !a.family ? { literal: a.name } : a))),
  }
}

export async function fetchCrossref(doi: string, baseUrl: string, opts: LookupOptions): Promise<PaperInput> {
  const body = await httpGet(`${baseUrl.replace(/\/$/, '')}/works/${encodeURIComponent(doi)}`, 'application/json', opts, `The DOI ${doi} at Crossref`)
  let json: { status?: string; message?: CrossrefWork }
  try {
    json = JSON.parse(body)
  } catch {
    throw new Error(`Crossref sent an unreadable answer for ${doi}.`)
  }
  if (!json.message || json.status !== 'ok') throw new Error(`Crossref sent an unexpected answer for ${doi}.`)
  const input = crossrefToInput(json.message)
  input.doi ??= doi
  return input
}
