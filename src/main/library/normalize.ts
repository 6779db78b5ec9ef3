/** Identifier and text normalisation shared by import, duplicates and export. Pure functions. */

const DOI_RE = /\b(10\.\d{4,9}\/[^\s"<>]+)/i

/** Bare, lower-cased DOI (no resolver prefix, no trailing punctuation), or null when it is not a DOI. */
export function normalizeDoi(input: string | null | undefined): string | null {
  if (!input) return null
  let s = input.trim()
  try {
    s = decodeURIComponent(s)
  } catch {
    // keep as-is
  }
  s = s.replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '').replace(/^doi:\s*/i, '')
  const m = DOI_RE.exec(s)
  if (!m) return null
  return m[1].replace(/[.,;:)\]}>'"]+$/, '').toLowerCase()
}

/** The DOI as written (prefix removed, case kept) for display; null when invalid. */
export function cleanDoi(input: string | null | undefined): string | null {
  if (!input) return null
  const s = input
    .trim()
    .replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
  const m = DOI_RE.exec(s)
  return m ? m[1].replace(/[.,;:)\]}>'"]+$/, '') : null
}

const ARXIV_NEW = /(?:^|[^\d.])(\d{4}\.\d{4,5})(v\d+)?(?![\d])/
const ARXIV_OLD = /\b([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?\b/i

/** arXiv id without version: 2101.00001, hep-th/9901001. Accepts arXiv: prefixes and abs/pdf URLs. */
export function normalizeArxiv(input: string | null | undefined): string | null {
  if (!input) return null
  const s = input
    .trim()
    .replace(/^arxiv:\s*/i, '')
    .replace(/^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\//i, '')
    .replace(/\.pdf$/i, '')
  const n = ARXIV_NEW.exec(s)
  if (n) {
    const [yy, mm] = [Number(n[1].slice(0, 2)), Number(n[1].slice(2, 4))]
    if (mm >= 1 && mm <= 12 && yy >= 7) return n[1]
  }
  const o = ARXIV_OLD.exec(s)
  return o ? o[1].replace(/^([a-z-]+(?:\.[a-z]{2})?)/i, (p) => p.toLowerCase().replace(/\.([a-z]{2})$/, (_m, c: string) => `.${c.toUpperCase()}`)) : null
}

export type Identifier = { kind: 'doi'; value: string } | { kind: 'arxiv'; value: string }

/** Classifies a typed-in identifier (DOI, doi.org URL, arXiv id or URL). */
export function parseIdentifier(input: string): Identifier | null {
  const s = input.trim()
  if (/arxiv/i.test(s) || /^\d{4}\.\d{4,5}(v\d+)?$/.test(s) || /^[a-z-]+(\.[A-Z]{2})?\/\d{7}(v\d+)?$/i.test(s)) {
    const a = normalizeArxiv(s)
    if (a) return { kind: 'arxiv', value: a }
    // arXiv DOIs (10.48550/arXiv.2101.00001) fall through to DOI.
  }
  const d = cleanDoi(s)
  if (d) return { kind: 'doi', value: d }
  const a = normalizeArxiv(s)
  return a ? { kind: 'arxiv', value: a } : null
}

/** Finds the first DOI and arXiv id in free text (e.g. a PDF's first pages). */
export function findIdentifiers(text: string): { doi: string | null; arxivId: string | null } {
  const doiMatch = DOI_RE.exec(text)
  let doi = doiMatch ? doiMatch[1].replace(/[.,;:)\]}>'"]+$/, '') : null
  if (doi && /^10\.48550\/arxiv\./i.test(doi)) doi = null
  const ax = /arxiv[:\s]*(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?/i.exec(text) ?? /10\.48550\/arxiv\.(\d{4}\.\d{4,5})/i.exec(text)
  return { doi, arxivId: ax ? normalizeArxiv(ax[1]) : null }
}

/** Lower-case, accents and punctuation removed, whitespace collapsed: for fuzzy title matching. */
export function normalizeTitle(title: string | null | undefined): string {
  if (!title) return ''
  return title
    .normalize('NFKD')
    .replace(/<[^>]+>/g, '')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** normalised title | year | first author's family name; null when the title is too short to be meaningful. */
export function dedupeKey(title: string | null | undefined, year: number | null | undefined, firstFamily: string | null | undefined): string | null {
  const t = normalizeTitle(title)
  if (t.replace(/ /g, '').length < 4) return null
  return `${t}|${year ?? ''}|${normalizeTitle(firstFamily ?? '')}`
}

/** Year and ISO date (YYYY, YYYY-MM, YYYY-MM-DD) from loose parts. */
export function makeDate(year?: number | string | null, month?: number | string | null, day?: number | string | null): { year: number | null; date: string | null } {
  const y = year == null || year === '' ? NaN : Number(String(year).match(/\d{4}/)?.[0])
  if (!Number.isFinite(y)) return { year: null, date: null }
  let date = String(y).padStart(4, '0')
  const m = month == null || month === '' ? NaN : Number(month)
  if (Number.isInteger(m) && m >= 1 && m <= 12) {
    date += `-${String(m).padStart(2, '0')}`
    const d = day == null || day === '' ? NaN : Number(day)
    if (Number.isInteger(d) && d >= 1 && d <= 31) date += `-${String(d).padStart(2, '0')}`
  }
  return { year: y, date }
}

/** Parses an ISO-ish date string (2019, 2019-05, 2019-05-03, 2019/05/03) into year + normalised date. */
export function parseDateString(s: string | null | undefined): { year: number | null; date: string | null } {
  if (!s) return { year: null, date: null }
  const m = /^\s*(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?/.exec(s)
  if (!m) {
    const y = /\b(\d{4})\b/.exec(s)
    return makeDate(y?.[1])
  }
  return makeDate(m[1], m[2], m[3])
}

/** 32-bit FNV-1a as 8 hex chars: a cheap fingerprint used to detect edits since import. */
export function fingerprint(s: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}

export function cleanText(s: string | null | undefined): string | null {
  if (s == null) return null
  const t = s.replace(/\s+/g, ' ').trim()
  return t ? t : null
}
