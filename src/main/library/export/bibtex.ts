import type { Paper } from '../../../shared/contract/library'
import { modelledValue, sortTags, type BibtexExtra } from '../bibtex-fields'
import { fingerprint, normalizeArxiv } from '../normalize'

const TYPE_FOR: Record<string, string> = {
  'article-journal': 'article',
  'paper-conference': 'inproceedings',
  book: 'book',
  chapter: 'incollection',
  thesis: 'phdthesis',
  report: 'techreport',
  manuscript: 'unpublished',
  webpage: 'online',
  dataset: 'dataset',
  software: 'software',
  patent: 'patent',
}

const SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
}

/** Unicode text → a BibTeX value that parses back to the same text (UTF-8 output; TeX specials escaped). */
export function encodeBibValue(s: string): string {
  return s
    .replace(/[\\{}$%&#_~^]/g, (c) => SPECIALS[c])
    .replace(/-(?=-)/g, '-{}')
    .replace(/`(?=`)/g, '`{}')
    .replace(/'(?=')/g, "'{}")
    .replace(/([!?])`/g, '$1{}`')
}

const encodeVerbatim = (s: string) => s.replace(/[{}]/g, '')
/** Keywords are verbatim: kept as written unless their braces would not balance. */
const verbatimTag = (t: string) => {
  let depth = 0
  for (const c of t) if ((depth += c === '{' ? 1 : c === '}' ? -1 : 0) < 0) break
  return depth === 0 ? t.replace(/[,;]/g, ' ') : encodeVerbatim(t).replace(/[,;]/g, ' ')
}

function authorValue(p: Paper): string {
  return p.authors
    .map((a) => {
      const fam = encodeBibValue(a.family)
      const needsBraces = !a.given ? /\s|,/.test(a.family) : /,| and /i.test(a.family)
      const family = needsBraces ? `{${fam}}` : fam
      if (!a.given) return family
      const i = a.given.lastIndexOf(', ')
      if (i > 0) return `${family}, ${encodeBibValue(a.given.slice(i + 2))}, ${encodeBibValue(a.given.slice(0, i))}`
      return `${family}, ${encodeBibValue(a.given)}`
    })
    .join(' and ')
}

function citationKey(p: Paper, used: Set<string>): string {
  let base =
    p.citationKey?.replace(/[\s,{}"#%'()=\\~]/g, '') ||
    `${(p.authors[0]?.family ?? 'anon').normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'anon'}${p.year ?? ''}${
      (p.title.normalize('NFKD').match(/[A-Za-z]{4,}/)?.[0] ?? '').toLowerCase()
    }`
  if (!base) base = `paper${p.id}`
  let key = base
  for (let n = 0; used.has(key.toLowerCase()); n++) key = `${base}${String.fromCharCode(97 + (n % 26))}${n >= 26 ? Math.floor(n / 26) : ''}`
  used.add(key.toLowerCase())
  return key
}

/**
 * Papers → BibTeX. Fields imported from BibTeX and not edited since are written from their raw source;
 * unknown fields are written back verbatim; everything else is encoded from our Unicode values.
 */
export function toBibtex(papers: Paper[]): string {
  const used = new Set<string>()
  const out: string[] = []
  for (const p of papers) {
    const bib = (p.extra?.bibtex ?? null) as BibtexExtra | null
    const type = bib?.type ?? TYPE_FOR[p.itemType] ?? 'misc'
    const key = citationKey(p, used)
    const venueField = bib?.venueField ?? (p.itemType === 'paper-conference' || p.itemType === 'chapter' ? 'booktitle' : 'journal')
    const dateField = bib?.dateField === 'date'
    const order = ['author', 'title', venueField, dateField ? 'date' : 'year', ...(dateField ? [] : ['month']), 'volume', 'number', 'pages', 'publisher', 'doi', 'isbn', 'url', 'language', 'abstract', 'keywords']
    const lines: string[] = []
    const written = new Set<string>()
    for (const field of order) {
      const value = modelledValue(field, p)
      if (value == null || value === '') continue
      written.add(field)
      const raw = bib?.raw?.[field]
      if (raw !== undefined && bib?.sig?.[field] === fingerprint(value)) {
        lines.push(`  ${field} = {${raw}}`)
        continue
      }
      let enc: string
      if (field === 'author') enc = authorValue(p)
      else if (field === 'doi' || field === 'url' || field === 'isbn') enc = encodeVerbatim(value)
      else if (field === 'keywords') enc = sortTags(p.tags).map(verbatimTag).join(', ')
      else enc = encodeBibValue(value)
      lines.push(`  ${field} = {${enc}}`)
    }
    const fields = { ...(bib?.fields ?? {}) }
    if (p.arxivId) {
      const isArxiv = /arxiv/i.test(fields.archiveprefix ?? fields.eprinttype ?? '')
      if (!fields.eprint || (isArxiv && normalizeArxiv(fields.eprint) !== p.arxivId)) {
        fields.eprint = p.arxivId
        if (!fields.archiveprefix && !fields.eprinttype) fields.archiveprefix = 'arXiv'
      }
    }
    for (const [f, v] of Object.entries(fields)) if (!written.has(f)) lines.push(`  ${f} = {${v}}`)
    out.push(`@${type}{${key},\n${lines.join(',\n')}\n}\n`)
  }
  return out.join('\n')
}
