/**
 * Turns a parsed query into (a) one FTS5 MATCH expression for the word index — the part that drives the
 * query and is run first, in a CTE — and (b) SQL predicates over `papers p` for everything FTS5 cannot
 * express (year / rating / status, and text under OR-with-structured or a lone NOT), with bound parameters.
 *
 * User text reaches FTS5 only inside double-quoted strings (quotes doubled), and SQL only as parameters.
 */
import { queryBigrams, splitCjk } from './cjk'
import type { HighlightTerm } from './highlight'
import type { Node, TextField } from './parser'

const WORD_COLS: Record<Exclude<TextField, 'fulltext'>, string> = {
  title: 'title',
  abstract: 'abstract',
  authors: 'authors',
  tags: 'tags',
  notes: 'notes',
  venue: 'venue',
}
const ALL_META = ['title', 'abstract', 'authors', 'tags', 'notes', 'venue'] as const

export type Target = 'meta' | 'fulltext'

export function ftsString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`
}

/**
 * The key fields of a paper: a broad query ranks the hits that match within them first (service.ts). Not
 * venue: journal names are made of broad words ("Neural Networks", "… Analysis"), so a venue match says little,
 * and at 100k it doubled the first tier of "model".
 */
const KEY_META = new Set<string>(['title', 'authors', 'tags'])

/** FTS5 expression for one term in the given table, or null when the term cannot match there (`key`: in KEY_META). */
function termFts(node: Extract<Node, { type: 'term' }>, target: Target, key = false): string | null {
  if (target === 'fulltext' && node.field && node.field !== 'fulltext') return null
  if (target === 'meta' && node.field === 'fulltext') return null
  let cols: string[] =
    target === 'fulltext' ? ['body'] : node.field && node.field !== 'fulltext' ? [WORD_COLS[node.field]] : [...ALL_META]
  if (key) cols = cols.filter((c) => KEY_META.has(c))
  if (!cols.length) return null
  const { cjk, rest } = splitCjk(node.value)
  const parts: string[] = []
  if (rest && /[\p{L}\p{N}]/u.test(rest)) {
    const body = ftsString(rest) + (node.prefix && !cjk.length ? '*' : '')
    parts.push(`{${cols.join(' ')}}: ${body}`)
  }
  for (const run of cjk) {
    const grams = queryBigrams(run)
    const cjkCols = cols.map((c) => `${c}_cjk`)
    // One character: any bigram starting with it (or the run-final unigram).
    const body = grams.length === 1 && Array.from(run).length === 1 ? `${ftsString(grams[0])}*` : ftsString(grams.join(' '))
    parts.push(`{${cjkCols.join(' ')}}: ${body}`)
  }
  if (!parts.length) return null
  return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`
}

export function isText(node: Node): boolean {
  switch (node.type) {
    case 'term':
      return true
    case 'and':
    case 'or':
      return node.items.every(isText)
    case 'not':
      return false
    default:
      return false
  }
}

/** Text-only subtree whose positive parts are in `target`; NOT inside is fine when there is a positive part. */
function isFtsable(node: Node, target: Target): boolean {
  switch (node.type) {
    case 'term':
      return termFts(node, target) !== null
    case 'or':
      return node.items.every((n) => isFtsable(n, target))
    case 'and': {
      const pos = node.items.filter((n) => n.type !== 'not')
      const neg = node.items.filter((n): n is Extract<Node, { type: 'not' }> => n.type === 'not')
      return pos.length > 0 && pos.every((n) => isFtsable(n, target)) && neg.every((n) => isFtsable(n.item, target))
    }
    default:
      return false
  }
}

/** FTS5 expression for an FTS-able subtree. */
export function toFts(node: Node, target: Target): string {
  switch (node.type) {
    case 'term':
      return termFts(node, target)!
    case 'or':
      return `(${node.items.map((n) => toFts(n, target)).join(' OR ')})`
    case 'and': {
      const pos = node.items.filter((n) => n.type !== 'not').map((n) => toFts(n, target))
      const neg = node.items.filter((n): n is Extract<Node, { type: 'not' }> => n.type === 'not').map((n) => toFts(n.item, target))
      let s = pos.length === 1 ? pos[0] : `(${pos.join(' AND ')})`
      for (const n of neg) s = `(${s} NOT ${n})`
      return s
    }
    default:
      throw new Error(`not FTS-able: ${node.type}`)
  }
}

/**
 * `toFts(node, 'meta')` with every positive term confined to the key fields, or null when nothing can match
 * there. Negated parts keep all their columns, so this selects a subset of the hits of `toFts(node, 'meta')`.
 */
function toKeyFts(node: Node): string | null {
  switch (node.type) {
    case 'term':
      return termFts(node, 'meta', true)
    case 'or': {
      const items = node.items.map(toKeyFts).filter((x): x is string => x !== null)
      return !items.length ? null : items.length === 1 ? items[0] : `(${items.join(' OR ')})`
    }
    case 'and': {
      const pos = node.items.filter((n) => n.type !== 'not').map(toKeyFts)
      if (!pos.length || pos.some((x) => x === null)) return null
      const neg = node.items.filter((n): n is Extract<Node, { type: 'not' }> => n.type === 'not').map((n) => toFts(n.item, 'meta'))
      let s = pos.length === 1 ? pos[0]! : `(${pos.join(' AND ')})`
      for (const n of neg) s = `(${s} NOT ${n})`
      return s
    }
    default:
      return null
  }
}

export interface CompiledQuery {
  /** MATCH expression for search_fts that drives the query; null when the query has no positive text. */
  match: string | null
  /** `match` with its positive terms confined to the key fields (title, authors, tags): the first tier of a broad query. */
  keyMatch: string | null
  /** The same text for the full-text table (pages), when the driving text is unfielded. */
  fulltextMatch: string | null
  /** Extra SQL over `p` (papers), ANDed; with parameters in order. */
  where: string[]
  params: unknown[]
  terms: HighlightTerm[]
}

function metaSubquery(expr: string, params: unknown[]): string {
  params.push(expr)
  return 'p.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)'
}
function fulltextSubquery(expr: string, params: unknown[]): string {
  params.push(expr)
  return 'p.id IN (SELECT fp.paper_id FROM search_ft_pages fp WHERE fp.id IN (SELECT rowid FROM search_fulltext WHERE search_fulltext MATCH ?))'
}

/** Any node as an SQL boolean over p (text parts as MATCH subqueries: each is an index lookup). */
function toSql(node: Node, params: unknown[], scopeAll: boolean): string {
  switch (node.type) {
    case 'term': {
      if (node.field === 'fulltext') return fulltextSubquery(termFts(node, 'fulltext')!, params)
      const meta = metaSubquery(termFts(node, 'meta')!, params)
      if (scopeAll && !node.field) return `(${meta} OR ${fulltextSubquery(termFts(node, 'fulltext')!, params)})`
      return meta
    }
    case 'and':
      return `(${node.items.map((n) => toSql(n, params, scopeAll)).join(' AND ')})`
    case 'or':
      return `(${node.items.map((n) => toSql(n, params, scopeAll)).join(' OR ')})`
    case 'not':
      return `NOT ${toSql(node.item, params, scopeAll)}`
    case 'range': {
      const col = node.field === 'year' ? 'p.year' : 'p.rating'
      const parts: string[] = [`${col} IS NOT NULL`]
      if (node.from !== null) {
        parts.push(`${col} >= ?`)
        params.push(node.from)
      }
      if (node.to !== null) {
        parts.push(`${col} <= ?`)
        params.push(node.to)
      }
      return `(${parts.join(' AND ')})`
    }
    case 'unrated':
      return 'p.rating IS NULL'
    case 'status':
      params.push(node.value)
      return 'p.reading_status = ?'
  }
}

function hasUnfieldedOnly(node: Node): boolean {
  switch (node.type) {
    case 'term':
      return node.field === null
    case 'and':
    case 'or':
      return node.items.every(hasUnfieldedOnly)
    case 'not':
      return hasUnfieldedOnly(node.item)
    default:
      return false
  }
}

export function collectTerms(node: Node | null, out: HighlightTerm[] = [], negated = false): HighlightTerm[] {
  if (!node) return out
  switch (node.type) {
    case 'term': {
      if (negated) break
      const { cjk, rest } = splitCjk(node.value)
      for (const run of cjk) out.push({ kind: 'cjk', text: run, field: node.field })
      for (const w of rest.split(/[^\p{L}\p{N}]+/u).filter(Boolean)) out.push({ kind: 'word', text: w, prefix: node.prefix, field: node.field })
      break
    }
    case 'and':
    case 'or':
      node.items.forEach((n) => collectTerms(n, out, negated))
      break
    case 'not':
      collectTerms(node.item, out, !negated)
      break
  }
  return out
}

/**
 * Top level: the positive text conjuncts become the driving MATCH; the rest become SQL predicates.
 * With scope 'all', unfielded driving text also matches attachment pages (union of both tables).
 */
export function compile(ast: Node | null, scopeAll: boolean): CompiledQuery {
  const out: CompiledQuery = { match: null, keyMatch: null, fulltextMatch: null, where: [], params: [], terms: collectTerms(ast) }
  if (!ast) return out
  const conjuncts = ast.type === 'and' ? ast.items : [ast]
  const driving = conjuncts.filter((n) => n.type !== 'not' && isFtsable(n, 'meta') && isText(n))
  const rest = conjuncts.filter((n) => !driving.includes(n))
  // Negated text conjuncts go into the MATCH as NOT when there is something to subtract from.
  const negText = driving.length ? rest.filter((n): n is Extract<Node, { type: 'not' }> => n.type === 'not' && isText(n.item) && isFtsable(n.item, 'meta')) : []
  const sqlParts = rest.filter((n) => !negText.includes(n as Extract<Node, { type: 'not' }>))
  if (driving.length) {
    const drivingNode: Node = driving.length === 1 && !negText.length ? driving[0] : { type: 'and', items: [...driving, ...negText] }
    out.match = toFts(drivingNode, 'meta')
    out.keyMatch = toKeyFts(drivingNode)
    if (scopeAll && hasUnfieldedOnly(drivingNode) && isFtsable(drivingNode, 'fulltext')) out.fulltextMatch = toFts(drivingNode, 'fulltext')
  }
  for (const n of sqlParts) out.where.push(toSql(n, out.params, scopeAll))
  return out
}
