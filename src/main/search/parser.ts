/**
 * The search query language: a tokenizer and a recursive-descent parser producing an AST.
 *
 *   query   := and
 *   and     := or ( ["AND"] or )*                 (juxtaposition means AND)
 *   or      := unary ( "OR" unary )*              (OR binds tighter: `a OR b c` = `(a OR b) c`)
 *   unary   := ("NOT" | "-") unary | primary
 *   primary := "(" and ")" | FIELD ":" value | PHRASE | WORD
 *
 * Lenient where a user would expect it (an unclosed quote or parenthesis is closed at the end, a stray
 * ")" or a dangling OR is dropped, an unknown field is searched as text), each with a warning; strict
 * where guessing would mislead (year:abc, rating:9, status:maybe), with an error and its position.
 * Operators are upper-case (OR, AND, NOT), so "or" and "not" are ordinary words.
 */
import { READING_STATUSES, type ReadingStatus } from '../../shared/contract/library'
import type { QueryProblem } from '../../shared/contract/search'

export type TextField = 'title' | 'abstract' | 'authors' | 'tags' | 'notes' | 'venue' | 'fulltext'

export type Node =
  | { type: 'and'; items: Node[] }
  | { type: 'or'; items: Node[] }
  | { type: 'not'; item: Node }
  | { type: 'term'; field: TextField | null; value: string; phrase: boolean; prefix: boolean }
  | { type: 'range'; field: 'year' | 'rating'; from: number | null; to: number | null }
  | { type: 'unrated' }
  | { type: 'status'; value: ReadingStatus }

export interface ParsedQuery {
  ast: Node | null
  error: QueryProblem | null
  warnings: QueryProblem[]
}

export class QueryError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message)
  }
}

const TEXT_FIELDS: Record<string, TextField> = {
  author: 'authors',
  authors: 'authors',
  au: 'authors',
  tag: 'tags',
  tags: 'tags',
  journal: 'venue',
  venue: 'venue',
  in: 'venue',
  title: 'title',
  ti: 'title',
  abstract: 'abstract',
  ab: 'abstract',
  note: 'notes',
  notes: 'notes',
  text: 'fulltext',
  fulltext: 'fulltext',
  pdf: 'fulltext',
}
const STRUCT_FIELDS = new Set(['year', 'rating', 'status', 'stars', 'read'])
const STATUS_ALIASES: Record<string, ReadingStatus> = {
  unread: 'unread',
  new: 'unread',
  toread: 'unread',
  'to-read': 'unread',
  reading: 'reading',
  started: 'reading',
  completed: 'completed',
  complete: 'completed',
  done: 'completed',
  finished: 'completed',
  read: 'completed',
}
export const FIELD_NAMES = ['author:', 'tag:', 'journal:', 'title:', 'abstract:', 'notes:', 'text:', 'year:', 'rating:', 'status:']

type Tok =
  | { t: 'word'; v: string; pos: number; end: number }
  | { t: 'phrase'; v: string; pos: number; end: number; closed: boolean }
  | { t: 'field'; v: string; pos: number; end: number }
  | { t: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'minus'; pos: number; end: number }

const SPACE = /\s/u

/** Splits the query into tokens; `field:` is a token only when directly followed by its value. */
export function tokenize(q: string, warnings: QueryProblem[]): Tok[] {
  const out: Tok[] = []
  let i = 0
  const n = q.length
  while (i < n) {
    const c = q[i]
    if (SPACE.test(c)) {
      i++
      continue
    }
    if (c === '(' || c === ')') {
      out.push({ t: c === '(' ? 'lparen' : 'rparen', pos: i, end: i + 1 })
      i++
      continue
    }
    if (c === '"' || c === '\u201c' || c === '\u201d') {
      const start = i
      i++
      let v = ''
      while (i < n && q[i] !== '"' && q[i] !== '\u201d' && q[i] !== '\u201c') v += q[i++]
      const closed = i < n
      if (closed) i++
      else warnings.push({ message: 'A quote was not closed; it was closed at the end of the query.', position: start })
      out.push({ t: 'phrase', v, pos: start, end: i, closed })
      continue
    }
    if (c === '-' && i + 1 < n && !SPACE.test(q[i + 1]) && (out.length === 0 || out[out.length - 1].end < i || out[out.length - 1].t === 'lparen')) {
      out.push({ t: 'minus', pos: i, end: i + 1 })
      i++
      continue
    }
    // A word runs to whitespace, a parenthesis or a quote.
    const start = i
    let v = ''
    while (i < n && !SPACE.test(q[i]) && q[i] !== '(' && q[i] !== ')' && q[i] !== '"' && q[i] !== '\u201c' && q[i] !== '\u201d') {
      v += q[i++]
      // field: directly followed by a value (word, quote or parenthesis)
      if (q[i - 1] === ':' && /^[A-Za-z]+:$/.test(v) && i < n && !SPACE.test(q[i])) {
        const key = v.slice(0, -1).toLowerCase()
        if (TEXT_FIELDS[key] || STRUCT_FIELDS.has(key)) {
          out.push({ t: 'field', v: key, pos: start, end: i })
          v = ''
          break
        }
      }
    }
    if (!v) continue
    if (v === 'OR' || v === '|' || v === '||') out.push({ t: 'or', pos: start, end: i })
    else if (v === 'AND' || v === '&&') out.push({ t: 'and', pos: start, end: i })
    else if (v === 'NOT') out.push({ t: 'not', pos: start, end: i })
    else out.push({ t: 'word', v, pos: start, end: i })
  }
  return out
}

const YEAR_MAX = 9999

function parseRange(field: 'year' | 'rating', raw: string, pos: number): Node {
  const lo = field === 'year' ? 0 : 1
  const hi = field === 'year' ? YEAR_MAX : 5
  const what = field === 'year' ? 'a year like 2020, 2019..2023, >=2015 or <2000' : 'a rating from 1 to 5 like 4, >=4, 2..4 or none'
  const num = (s: string): number => {
    if (!/^\d{1,4}$/.test(s)) throw new QueryError(`${field}: expects ${what}; "${raw}" is not one.`, pos)
    const v = Number(s)
    if (v < lo || v > hi) throw new QueryError(`${field}: ${v} is out of range (${lo}–${hi}).`, pos)
    return v
  }
  if (field === 'rating' && /^(none|unrated|0)$/i.test(raw)) return { type: 'unrated' }
  let m: RegExpMatchArray | null
  if ((m = raw.match(/^(\d*)(?:\.\.|–|—)(\d*)$/)) && (m[1] || m[2])) {
    const from = m[1] ? num(m[1]) : null
    const to = m[2] ? num(m[2]) : null
    if (from !== null && to !== null && from > to) throw new QueryError(`${field}: the range ${raw} is empty (${from} > ${to}).`, pos)
    return { type: 'range', field, from, to }
  }
  if (field === 'year' && (m = raw.match(/^(\d{4})-(\d{4})$/))) return parseRange(field, `${m[1]}..${m[2]}`, pos)
  if ((m = raw.match(/^(>=|<=|>|<|=)(\d+)$/))) {
    const v = num(m[2])
    switch (m[1]) {
      case '>=':
        return { type: 'range', field, from: v, to: null }
      case '>':
        return { type: 'range', field, from: v + 1, to: null }
      case '<=':
        return { type: 'range', field, from: null, to: v }
      case '<':
        return { type: 'range', field, from: null, to: v - 1 }
      default:
        return { type: 'range', field, from: v, to: v }
    }
  }
  const v = num(raw)
  return { type: 'range', field, from: v, to: v }
}

class Parser {
  private i = 0
  constructor(
    private toks: Tok[],
    private warnings: QueryProblem[],
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.i]
  }

  parse(): Node | null {
    const items: Node[] = []
    while (this.i < this.toks.length) {
      const node = this.and()
      if (node) items.push(node)
      const t = this.peek()
      if (t && t.t === 'rparen') {
        this.warnings.push({ message: 'A closing parenthesis had no opening one; it was ignored.', position: t.pos })
        this.i++
      }
    }
    return items.length === 0 ? null : items.length === 1 ? items[0] : { type: 'and', items }
  }

  /** Juxtaposition (or AND) joins OR-groups: `a OR b c` is `(a OR b) AND c`, as in web search engines. */
  private and(): Node | null {
    const items: Node[] = []
    for (;;) {
      const t = this.peek()
      if (!t || t.t === 'rparen') break
      if (t.t === 'and') {
        this.i++
        continue
      }
      if (t.t === 'or') {
        this.warnings.push({ message: 'OR needs something on both sides; it was ignored.', position: t.pos })
        this.i++
        continue
      }
      const node = this.or()
      if (node) items.push(node)
    }
    return items.length === 0 ? null : items.length === 1 ? items[0] : { type: 'and', items }
  }

  private or(): Node | null {
    const items: Node[] = []
    const first = this.unary()
    if (first) items.push(first)
    while (this.peek()?.t === 'or') {
      const op = this.peek()!
      this.i++
      const nt = this.peek()
      if (!nt || nt.t === 'rparen' || nt.t === 'or' || nt.t === 'and') {
        this.warnings.push({ message: 'OR needs something on both sides; it was ignored.', position: op.pos })
        continue
      }
      const next = this.unary()
      if (next) items.push(next)
    }
    return items.length === 0 ? null : items.length === 1 ? items[0] : { type: 'or', items }
  }

  private unary(): Node | null {
    const t = this.peek()!
    if (t.t === 'not' || t.t === 'minus') {
      this.i++
      const next = this.peek()
      if (!next || next.t === 'or' || next.t === 'rparen' || next.t === 'and') {
        this.warnings.push({ message: `${t.t === 'not' ? 'NOT' : '-'} needs something to exclude; it was ignored.`, position: t.pos })
        return null
      }
      const item = this.unary()
      if (!item) return null
      return item.type === 'not' ? item.item : { type: 'not', item }
    }
    return this.primary()
  }

  private primary(): Node | null {
    const t = this.peek()!
    this.i++
    switch (t.t) {
      case 'lparen': {
        const inner = this.and()
        if (this.peek()?.t === 'rparen') this.i++
        else this.warnings.push({ message: 'A parenthesis was not closed; it was closed at the end of the query.', position: t.pos })
        return inner
      }
      case 'word':
        return this.term(null, t.v, false, t.pos)
      case 'phrase':
        return this.term(null, t.v, true, t.pos)
      case 'field':
        return this.field(t)
      default:
        return null
    }
  }

  private term(field: TextField | null, raw: string, phrase: boolean, pos: number): Node | null {
    let value = raw
    let prefix = false
    if (!phrase && value.endsWith('*')) {
      value = value.replace(/\*+$/, '')
      prefix = true
    }
    if (phrase && value.endsWith('*')) {
      value = value.replace(/\*+$/, '')
      prefix = true
    }
    if (!/[\p{L}\p{N}]/u.test(value)) {
      if (value.trim() || prefix) this.warnings.push({ message: `"${raw}" has no letters or digits; it was ignored.`, position: pos })
      return null
    }
    return { type: 'term', field, value: value.trim(), phrase, prefix }
  }

  private field(t: Extract<Tok, { t: 'field' }>): Node | null {
    const next = this.peek()
    if (!next) return null
    const text = TEXT_FIELDS[t.v]
    if (text) {
      if (next.t === 'lparen') {
        // author:(smith OR jones) — the field applies to every term inside.
        const inner = this.primary()
        return inner ? withField(inner, text) : null
      }
      this.i++
      if (next.t === 'word') return this.term(text, next.v, false, next.pos)
      if (next.t === 'phrase') return this.term(text, next.v, true, next.pos)
      this.warnings.push({ message: `${t.v}: needs a value.`, position: t.pos })
      return null
    }
    this.i++
    const raw = next.t === 'word' || next.t === 'phrase' ? next.v.trim() : ''
    if (t.v === 'status' || t.v === 'read') {
      const s = STATUS_ALIASES[raw.toLowerCase()]
      if (!s) throw new QueryError(`status: expects ${READING_STATUSES.join(', ')}; "${raw}" is not one.`, next.pos)
      return { type: 'status', value: s }
    }
    return parseRange(t.v === 'stars' ? 'rating' : (t.v as 'year' | 'rating'), raw, next.pos)
  }
}

function withField(node: Node, field: TextField): Node {
  switch (node.type) {
    case 'term':
      return { ...node, field }
    case 'and':
    case 'or':
      return { ...node, items: node.items.map((n) => withField(n, field)) }
    case 'not':
      return { type: 'not', item: withField(node.item, field) }
    default:
      return node
  }
}

export function parseQuery(q: string): ParsedQuery {
  const warnings: QueryProblem[] = []
  try {
    const toks = tokenize(q, warnings)
    const ast = new Parser(toks, warnings).parse()
    return { ast, error: null, warnings }
  } catch (err) {
    if (err instanceof QueryError) return { ast: null, error: { message: err.message, position: err.position }, warnings }
    throw err
  }
}

/** The AST written back as a query (normalised), for "searching for …" hints and tests. */
export function describe(node: Node | null): string {
  if (!node) return ''
  const FIELD_LABEL: Record<TextField, string> = {
    authors: 'author',
    tags: 'tag',
    venue: 'journal',
    title: 'title',
    abstract: 'abstract',
    notes: 'notes',
    fulltext: 'text',
  }
  switch (node.type) {
    case 'term': {
      const v = node.phrase || /\s/.test(node.value) ? `"${node.value}"` : node.value
      return `${node.field ? FIELD_LABEL[node.field] + ':' : ''}${v}${node.prefix ? '*' : ''}`
    }
    case 'and':
      return node.items.map((n) => (n.type === 'or' ? `(${describe(n)})` : describe(n))).join(' ')
    case 'or':
      return node.items.map((n) => (n.type === 'and' ? `(${describe(n)})` : describe(n))).join(' OR ')
    case 'not':
      return `NOT ${node.item.type === 'and' || node.item.type === 'or' ? `(${describe(node.item)})` : describe(node.item)}`
    case 'range':
      return `${node.field}:${node.from === node.to ? node.from : `${node.from ?? ''}..${node.to ?? ''}`}`
    case 'unrated':
      return 'rating:none'
    case 'status':
      return `status:${node.value}`
  }
}
