import { randomBytes } from 'node:crypto'
import type { Author } from '../../../shared/contract/library'
import { MODELLED_FIELDS, modelledValue, sigOf, type BibtexExtra } from '../bibtex-fields'
import { encodeBibValue } from '../export/bibtex'
import type { EntryFailure, EntryWarning, PaperInput, ParsedBatch } from '../model'
import { cleanDoi, makeDate, normalizeArxiv, parseDateString } from '../normalize'
import { importEsm, packageFileUrl } from './esm'

type BibParser = typeof import('@retorquere/bibtex-parser')
interface VerbatimEntry {
  input: string
  type: string
  key: string
  fields: Record<string, string>
}
interface VerbatimLibrary {
  entries: VerbatimEntry[]
  errors: { error: string; input?: string }[]
  strings: Record<string, string>
  comments: string[]
  preambles: string[]
}
interface VerbatimModule {
  /** `strings` preloads @string macros; the file's own definitions take precedence. */
  parse(input: string, options?: { strings?: Record<string, string> }): VerbatimLibrary
}
type Creator = { name?: string; lastName?: string; firstName?: string; prefix?: string; suffix?: string }

const PKG = '@retorquere/bibtex-parser'
const loadParser = () => importEsm<BibParser>(PKG)
const loadVerbatim = () => importEsm<VerbatimModule>(packageFileUrl(PKG, '../esm/verbatim.js'))

/** A file that is not BibTeX at all (nothing could be read): nothing is imported. */
export class MalformedFileError extends Error {
  override name = 'MalformedFileError'
}

const TYPE_MAP: Record<string, string> = {
  article: 'article-journal',
  inproceedings: 'paper-conference',
  conference: 'paper-conference',
  book: 'book',
  mvbook: 'book',
  booklet: 'book',
  proceedings: 'book',
  collection: 'book',
  inbook: 'chapter',
  incollection: 'chapter',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  thesis: 'thesis',
  techreport: 'report',
  report: 'report',
  manual: 'report',
  unpublished: 'manuscript',
  online: 'webpage',
  electronic: 'webpage',
  www: 'webpage',
  dataset: 'dataset',
  software: 'software',
  patent: 'patent',
}

const PARSE_OPTIONS = {
  english: false as const,
  sentenceCase: false as const,
  caseProtection: false as const,
  // Unknown commands keep their TeX source rather than vanishing.
  unsupported: (_node: unknown, tex: string) => tex,
}

// Anything TeX would transform. Values without these are plain text: TeX only collapses their whitespace.
const SPECIAL = /[\\$~^_%&#]|``|''|!`|\?`/
const VERBATIM_FIELDS = new Set(['doi', 'url', 'isbn', 'eprint'])

function plainValue(raw: string): string | null {
  if (SPECIAL.test(raw)) return null
  // Dashes before braces: TeX forms no ligature across a group boundary, so `-{}-` stays two hyphens.
  let v = raw.includes('--') ? raw.replace(/---/g, '\u2014').replace(/--/g, '\u2013') : raw
  if (v.includes('{') || v.includes('}')) v = v.replace(/[{}]/g, '')
  return v.replace(/\s+/g, ' ').trim()
}

const MARKUP = /<\/?(?:i|b|sup|sub|sc|span|nc)(?:\s[^>]*)?>/g
const stripMarkup = (s: string) => s.replace(MARKUP, '').normalize('NFC').trim()

/** BibTeX name splitting for plain names (no braces or TeX); `von` particles join the family name. */
export function parsePlainNames(raw: string): Author[] {
  const out: Author[] = []
  for (const part of raw.replace(/\s+/g, ' ').trim().split(/ and /i)) {
    const name = part.trim()
    if (!name || name.toLowerCase() === 'others') continue
    const commas = name.split(',').map((s) => s.trim())
    if (commas.length >= 3) {
      out.push({ family: commas[0], given: `${commas.slice(2).join(', ')}, ${commas[1]}` })
    } else if (commas.length === 2) {
      out.push({ family: commas[0], given: commas[1] || null })
    } else {
      const words = name.split(' ')
      if (words.length === 1) {
        out.push({ family: words[0], given: null })
        continue
      }
      const isLower = (w: string) => /^\p{Ll}/u.test(w)
      let vonStart = -1
      for (let i = 0; i < words.length - 1; i++)
        if (isLower(words[i])) {
          vonStart = i
          break
        }
      if (vonStart > 0 || (vonStart === 0 && words.length > 1)) {
        out.push({ family: words.slice(vonStart).join(' '), given: words.slice(0, vonStart).join(' ') || null })
      } else {
        out.push({ family: words[words.length - 1], given: words.slice(0, -1).join(' ') })
      }
    }
  }
  return out
}

function creatorsToAuthors(list: Creator[]): Author[] {
  const out: Author[] = []
  for (const c of list) {
    if (c.name !== undefined) {
      if (c.name.trim()) out.push({ family: stripMarkup(c.name), given: null })
      continue
    }
    if (!c.lastName || c.lastName === 'others') continue
    const family = stripMarkup([c.prefix, c.lastName].filter(Boolean).join(' '))
    let given = c.firstName ? stripMarkup(c.firstName) : null
    if (c.suffix) given = `${given ?? ''}, ${stripMarkup(c.suffix)}`
    out.push({ family, given })
  }
  return out
}

/**
 * bibtex-parser's verbatim mode has no callback for undefined @string macros: it records one error per
 * macro name (without saying which entry used it) and substitutes `{{name}}`. Its message is the only
 * place the name is given; if the wording ever changes, such errors stay reported as they are.
 * It also reports macros defined as "" (Beebe's `pub-X:adr = ""`) as undefined; those are empty, as in BibTeX.
 */
const UNRESOLVED_MACRO = /^Unresolved @string reference ("(?:[^"\\]|\\.)*")$/

function undefinedMacros(lib: VerbatimLibrary): string[] {
  const names: string[] = []
  for (const err of lib.errors) {
    const m = UNRESOLVED_MACRO.exec(err.error)
    if (m) names.push(JSON.parse(m[1]) as string)
  }
  return names
}

interface MacroMarks {
  /** Preloaded as the value of each undefined macro, so the entries and fields using it can be found. */
  strings: Record<string, string>
  pattern: RegExp
  names: string[]
  /** Indexes into `names` of macros the file defines as the empty string. */
  empty: Set<number>
}

function macroMarks(names: string[], defined: Record<string, string>): MacroMarks {
  // Private-use characters plus a random nonce: cannot occur in the file by accident.
  const nonce = randomBytes(6).toString('hex')
  return {
    strings: Object.fromEntries(names.map((n, i) => [n, `\uE000${nonce}:${i}\uE001`])),
    pattern: new RegExp(`\uE000${nonce}:(\\d+)\uE001`, 'g'),
    names,
    empty: new Set(names.flatMap((n, i) => (defined[n.toUpperCase()] === '' ? [i] : []))),
  }
}

/** Replaces the marks in an entry's fields by the macro names as literal text; returns field → macros used. */
function resolveMarks(e: VerbatimEntry, marks: MacroMarks): Map<string, string[]> | null {
  let used: Map<string, string[]> | null = null
  for (const [field, value] of Object.entries(e.fields)) {
    if (!value.includes('\uE000')) continue
    const names: string[] = []
    e.fields[field] = value.replace(marks.pattern, (_m, i: string) => {
      if (marks.empty.has(Number(i))) return ''
      const name = marks.names[Number(i)]
      names.push(name)
      return encodeBibValue(name)
    })
    if (names.length) (used ??= new Map()).set(field.toLowerCase(), names)
  }
  return used
}

const splitKeywords = (s: string) => [...new Set(s.split(/\s*[,;]\s*/).map((k) => k.trim()).filter(Boolean))]

type Converted = Record<string, string | Author[] | string[]>

/**
 * Parses BibTeX text into paper inputs. Plain-text fields are converted here directly; only fields with
 * TeX in them go through bibtex-parser's LaTeX → Unicode conversion (in one batch), which is what makes
 * large files fast. Broken entries become failures; a text without any readable entry throws.
 *
 * Like BibTeX, an entry using an @string macro the file does not define (e.g. a journal abbreviation from
 * another .bib file) is imported with a warning; unlike BibTeX, which leaves the field empty, the macro's
 * name is kept as the field's text so nothing is lost.
 */
export async function parseBibtex(text: string): Promise<ParsedBatch> {
  const [verbatim, parser] = await Promise.all([loadVerbatim(), loadParser()])
  let base = verbatim.parse(text)
  const macroNames = undefinedMacros(base)
  // A second pass with the undefined macros preloaded as marks: only then is it known which entries use them.
  const marks = macroNames.length ? macroMarks(macroNames, base.strings) : null
  if (marks) {
    base = verbatim.parse(text, { strings: marks.strings })
    base.errors = base.errors.filter((err) => !UNRESOLVED_MACRO.test(err.error))
  }
  const failures: EntryFailure[] = []
  const warnings: string[] = []
  const entryWarnings: EntryWarning[] = []
  const warnedMacros = new Set<string>()

  // Entries and errors in source order, so failures carry the entry's position.
  const items: ({ kind: 'entry'; e: VerbatimEntry } | { kind: 'error'; err: object; error: string; input?: string })[] = []
  for (const e of base.entries) items.push({ kind: 'entry', e })
  for (const err of base.errors) items.push({ kind: 'error', err, error: err.error, input: err.input })
  // Both lists are in source order: find positions with a moving cursor (indexOf from 0 would be quadratic).
  const positions = new Map<unknown, number>()
  for (const list of [base.entries.map((e) => ({ key: e as unknown, input: e.input })), base.errors.map((e) => ({ key: e as unknown, input: e.input }))]) {
    let cursor = 0
    for (const it of list) {
      const at = it.input ? text.indexOf(it.input, cursor) : -1
      positions.set(it.key, at >= 0 ? at : Number.MAX_SAFE_INTEGER)
      if (at >= 0) cursor = at + 1
    }
  }
  items.sort((a, b) => (positions.get(a.kind === 'entry' ? a.e : a.err) ?? 0) - (positions.get(b.kind === 'entry' ? b.e : b.err) ?? 0))

  const entries: VerbatimEntry[] = []
  const entryIndex: number[] = []
  const errorKey = (input?: string) => (input ? (/@\w+\s*[{(]\s*([^,\s]+)/.exec(input)?.[1] ?? null) : null)
  // After a syntax error the parser may recover a mangled copy of the same entry: report it once, as failed.
  const failedKeys = new Set(items.map((it) => (it.kind === 'error' ? errorKey(it.input) : null)).filter(Boolean))
  let index = -1
  items.forEach((it) => {
    if (it.kind === 'entry' && failedKeys.has(it.e.key)) return
    index++
    if (it.kind === 'error') {
      failures.push({ index, key: errorKey(it.input), title: null, reason: `Could not parse the entry: ${it.error.split('\n')[0].slice(0, 300)}` })
    } else {
      entries.push(it.e)
      entryIndex.push(index)
    }
  })

  if (!entries.length) {
    if (base.errors.length) throw new MalformedFileError(`This is not a readable BibTeX file: ${base.errors[0].error.split('\n')[0].slice(0, 300)}`)
    if (!/@\s*\w+\s*[{(]/.test(text)) throw new MalformedFileError('This file contains no BibTeX entries (nothing starting with @type{…}).')
  }

  const macroUses = entries.map((e) => (marks ? resolveMarks(e, marks) : null))

  // 1. Convert plain fields directly; collect TeX-bearing ones for one batched parse.
  const converted: Converted[] = entries.map(() => ({}))
  let batch = ''
  const batchIdx: number[] = []
  entries.forEach((e, i) => {
    let complex = ''
    for (const [rawField, value] of Object.entries(e.fields)) {
      const field = rawField.toLowerCase()
      if (!MODELLED_FIELDS.has(field) || !value.trim()) continue
      if (field === 'keywords') {
        // Keywords are a verbatim list (as in bibtex-parser): split, never TeX-converted.
        converted[i][field] = splitKeywords(value.replace(/\s+/g, ' ').trim())
        continue
      }
      if (VERBATIM_FIELDS.has(field)) {
        converted[i][field] = value.replace(/\\([_%&#$])/g, '$1').trim()
        continue
      }
      const plain = plainValue(value)
      if (plain === null || (field === 'author' && /[{}]/.test(value))) complex += `  ${field} = {${value}},\n`
      else if (field === 'author') converted[i][field] = parsePlainNames(plain)
      else converted[i][field] = plain
    }
    if (complex) {
      batch += `@misc{e${i},\n${complex}}\n`
      batchIdx.push(i)
    }
  })
  const broken = new Set<number>()
  if (batch) {
    const lib = parser.parse(batch, PARSE_OPTIONS)
    for (const pe of lib.entries) {
      const i = Number(pe.key.slice(1))
      for (const [field, value] of Object.entries(pe.fields)) {
        if (field === 'author') converted[i].author = creatorsToAuthors(value as Creator[])
        else if (field === 'publisher') converted[i].publisher = stripMarkup((value as string[]).join(' and '))
        else if (Array.isArray(value)) converted[i][field] = value.map(String).join(' and ')
        else converted[i][field] = stripMarkup(String(value))
      }
    }
    for (const err of lib.errors) {
      const m = err.input ? /^@misc\{e(\d+),/.exec(err.input) : null
      if (m) broken.add(Number(m[1]))
      else warnings.push(err.error.split('\n')[0].slice(0, 300))
    }
  }

  // 2. Build paper inputs.
  const out: ParsedBatch['entries'] = []
  entries.forEach((e, i) => {
    const index = entryIndex[i]
    const c = converted[i]
    const str = (f: string) => (typeof c[f] === 'string' && c[f] ? (c[f] as string) : null)
    if (broken.has(i)) {
      failures.push({ index, key: e.key || null, title: e.fields.title ?? null, reason: 'The LaTeX in this entry could not be converted.' })
      return
    }
    try {
      const type = e.type.toLowerCase()
      const venueField = ['journal', 'journaltitle', 'booktitle'].find((f) => str(f))
      const dateField = str('date')
      const fromDate = dateField ? parseDateString(dateField) : null
      const { year, date } = fromDate?.year ? fromDate : makeDate(str('year'), str('month'))
      // Of alternative spellings only the one we read is modelled; the others are kept as unknown fields.
      const issueField = str('number') ? 'number' : 'issue'
      const unused = new Set(['journal', 'journaltitle', 'booktitle', 'number', 'issue'].filter((f) => f !== venueField && f !== issueField))
      for (const f of fromDate?.year ? ['year', 'month'] : ['date']) unused.add(f)
      const modelled = (f: string) => MODELLED_FIELDS.has(f) && !unused.has(f)
      const fields: Record<string, string> = {}
      for (const [f, v] of Object.entries(e.fields)) if (!modelled(f.toLowerCase())) fields[f.toLowerCase()] = v
      const isArxiv = /arxiv/i.test(fields.archiveprefix ?? fields.eprinttype ?? '')
      const arxivId =
        (isArxiv ? normalizeArxiv(fields.eprint) : null) ??
        (/arxiv\.org\/(abs|pdf)\//i.test(str('url') ?? '') ? normalizeArxiv(str('url')) : null) ??
        (/arxiv/i.test(str('journal') ?? '') ? normalizeArxiv((str('journal') ?? '').replace(/^.*arxiv[:\s]*/i, '')) : null)
      const input: PaperInput = {
        itemType: TYPE_MAP[type] ?? (type === 'misc' && str('url') && !str('doi') ? 'webpage' : 'article'),
        title: str('title'),
        abstract: str('abstract'),
        venue: venueField ? str(venueField) : null,
        volume: str('volume'),
        issue: str('number') ?? str('issue'),
        pages: str('pages'),
        publisher: str('publisher'),
        year,
        date,
        doi: cleanDoi(str('doi')) ?? null,
        arxivId,
        isbn: str('isbn'),
        url: str('url'),
        language: str('language'),
        citationKey: e.key || null,
        authors: (c.author as Author[] | undefined) ?? [],
        tags: (c.keywords as string[] | undefined) ?? [],
      }
      if (str('doi') && !input.doi) fields.doi = e.fields.doi
      const bib: BibtexExtra = { type: e.type, key: e.key, fields }
      if (venueField) bib.venueField = venueField
      if (fromDate?.year) bib.dateField = 'date'
      // Keep the raw source of modelled fields that were not plain text, with a fingerprint of what we made of it.
      for (const [f, v] of Object.entries(e.fields)) {
        const field = f.toLowerCase()
        if (!modelled(field) || !v.trim()) continue
        if (field === 'doi' && fields.doi) continue
        const value = modelledValue(field, input)
        // A value we could not interpret (e.g. year = {198x}) stays an unknown field, exported as written.
        if (value === null) {
          fields[field] = v
          continue
        }
        if (v.replace(/\s+/g, ' ').trim() === value) continue
        ;(bib.raw ??= {})[field] = v
        ;(bib.sig ??= {})[field] = sigOf(field, input)
      }
      input.extra = { bibtex: bib }
      if (!input.title && !input.authors?.length && !input.doi) {
        failures.push({ index, key: e.key || null, title: null, reason: 'The entry has no title, author or DOI.' })
        return
      }
      out.push({ index, input })
      const uses = macroUses[i]
      if (uses) {
        for (const names of uses.values()) for (const n of names) warnedMacros.add(n)
        const list = [...uses].map(([field, names]) => `${field} = ${names.join(' # ')}`).join('; ')
        entryWarnings.push({
          index,
          key: e.key || null,
          title: input.title ?? null,
          reason: `Uses @string macros this file does not define (${list}); their names were kept as the text.`,
        })
      }
    } catch (err) {
      failures.push({ index, key: e.key || null, title: e.fields.title ?? null, reason: `Could not read the entry: ${(err as Error).message}` })
    }
  })
  if (entryWarnings.length) {
    const used = [...warnedMacros]
    warnings.push(
      `${entryWarnings.length} ${entryWarnings.length === 1 ? 'entry uses' : 'entries use'} @string macros this file does not define (${used.slice(0, 8).join(', ')}${used.length > 8 ? ', …' : ''}), probably from another .bib file; the macro names were kept as text.`,
    )
  }
  return { entries: out, failures, warnings, entryWarnings }
}
