/**
 * When two papers with the same dedupe key (normalised title | year | first author) are still different works.
 * Recurring columns ("Calendar", "Editorial", "Greetings from the Editor") share title, year and author
 * issue after issue; what tells them apart is where they were printed. Differing identifiers (DOI, arXiv id,
 * ISBN, as in Zotero) mean different publications. A side that lacks a field cannot contradict the other, so a
 * record with less detail still matches a fuller one (that is what merging is for). The venue is not compared:
 * the same journal comes spelt many ways (\TUB and TUGboat, abbreviations, soft hyphens).
 */
import { normalizeTitle } from './normalize'

export interface WorkFacts {
  /** Lower-cased bare DOI (normalizeDoi). */
  doi: string | null
  arxivId: string | null
  isbn: string | null
  itemType: string | null
  volume: string | null
  issue: string | null
  pages: string | null
}

/**
 * Volumes and issues compare by their digits when they have any: sources spell the same number
 * "STAN-CS-83-971" and "STAN CS-TR-83-971", "Special Publication 424" and "424", "3/4" and "34".
 */
function part(s: string | null): string | null {
  const digits = s?.match(/\d+/g)
  return digits ? digits.map(Number).join('') : normalizeTitle(s) || null
}

/** First and last page as numbers, so that "c3" = "Cover 3", "M-10" = "10" and "169--??" = "169". */
function pageRange(s: string | null): [number, number] | null {
  const n = s?.match(/\d+/g)
  if (!n) return null
  const [a, b = a] = n.map(Number)
  return a <= b ? [a, b] : [b, a]
}

/** ISBN-10 and ISBN-13 of one book share the nine digits before the check digit; a record may list several. */
function isbns(s: string | null): string[] {
  return (s?.replace(/-/g, '').match(/\b(?:978)?\d{9}(?=[\dx]\b)/gi) ?? []).map((x) => x.slice(-9))
}

/**
 * How many papers of one key are compared with a newcomer. A generic title without author ("Editorial") may
 * be shared by very many papers; past this, a newcomer is kept as a new paper rather than checked against all.
 */
export const MAX_CANDIDATES = 50

// For whole publications BibTeX's pages is the extent ("xiii + 169"), which catalogues count differently.
const WHOLE = new Set(['book', 'thesis', 'report'])

/** The facts in comparable form, computed once per paper (the library-wide scan compares each with many). */
export interface Work {
  doi: string | null
  arxivId: string | null
  isbns: string[]
  volume: string | null
  issue: string | null
  pages: [number, number] | null
}

export function toWork(f: WorkFacts): Work {
  return {
    doi: f.doi,
    arxivId: f.arxivId,
    isbns: isbns(f.isbn),
    volume: part(f.volume),
    issue: part(f.issue),
    pages: WHOLE.has(f.itemType ?? '') ? null : pageRange(f.pages),
  }
}

export function differentWorks(a: Work, b: Work): boolean {
  const differ = (x: string | null, y: string | null) => x !== null && y !== null && x !== y
  if (differ(a.doi, b.doi) || differ(a.arxivId, b.arxivId) || differ(a.volume, b.volume) || differ(a.issue, b.issue)) return true
  if (a.isbns.length && b.isbns.length && !a.isbns.some((x) => b.isbns.includes(x))) return true
  // Overlap, not equality: "238--252" and "252" are one piece listed twice; disjoint pages are two pieces.
  const [p, q] = [a.pages, b.pages]
  return !!p && !!q && (p[1] < q[0] || q[1] < p[0])
}

/** Completes a group's record with a newcomer's fields, as merging the group would: the first known value wins. */
export function mergeWork(into: Work, w: Work): void {
  into.doi ??= w.doi
  into.arxivId ??= w.arxivId
  into.volume ??= w.volume
  into.issue ??= w.issue
  into.pages ??= w.pages
  if (!into.isbns.length) into.isbns = w.isbns
}
