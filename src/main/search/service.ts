/**
 * SearchService: runs queries (MATCH first in a materialised CTE, then joins and filters), cuts snippets,
 * answers suggestions and facets, and drives the background indexers.
 */
import type Database from 'better-sqlite3'
import type { z } from 'zod'
import type {
  QueryProblem,
  SearchFilters,
  SearchHit,
  SearchIndexStatus,
  SearchQuerySchema,
  SearchResult,
  SearchSnippet,
  SearchSort,
  Suggestion,
} from '../../shared/contract/search'
import type { ReadingStatus } from '../../shared/contract/library'
import { AppError } from '../../shared/errors'
import type { EventBus } from '../events'
import type { Logger } from '../logger'
import { queryBigrams } from './cjk'
import { compile, ftsString, type CompiledQuery } from './compile'
import { fold, highlight, snippet, type HighlightTerm } from './highlight'
import { SearchIndexer } from './indexer'
import { describe, FIELD_NAMES, parseQuery } from './parser'

export type SearchInput = z.output<typeof SearchQuerySchema>

const DEFAULT_LIMIT = 100
/** A search indexes this many pending papers itself before answering; more are left to the background. */
const SYNC_FLUSH_MAX = 2000
const FULLTEXT_WEIGHT = 0.5

const SORT_KEY: Record<Exclude<SearchSort, 'relevance'>, string> = {
  year: 'coalesce(p.year, 0)',
  added: 'p.added_at',
  rating: 'coalesce(p.rating, 0)',
  title: 'p.title COLLATE NOCASE',
}
const DEFAULT_DIR: Record<SearchSort, 'asc' | 'desc'> = { relevance: 'asc', year: 'desc', added: 'desc', rating: 'desc', title: 'asc' }

interface Cursor {
  s: SearchSort
  d: 'asc' | 'desc'
  k: number | string
  id: number
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor
    if (typeof c.id === 'number' && (typeof c.k === 'number' || typeof c.k === 'string') && typeof c.s === 'string') return c
  } catch {}
  throw new AppError('VALIDATION', 'The page cursor is not valid; start the search again.')
}

interface Plan {
  /** WITH … prefix (may be ''). */
  cte: string
  cteParams: unknown[]
  from: string
  where: string[]
  params: unknown[]
  score: string
  hasText: boolean
  compiled: CompiledQuery
}

interface HitRow {
  id: number
  title: string
  year: number | null
  venue: string | null
  rating: number | null
  readingStatus: ReadingStatus
  addedAt: number
  authors: string
  nAuthors: number
  tags: string
  attachments: number
  abstract?: string | null
  notes?: string
}

export interface SearchServiceOptions {
  /** Start the background indexer loop (default true). Tests may drive it by hand. */
  background?: boolean
  /** Poll interval for changes made without an event, ms. */
  pollMs?: number
}

export class SearchService {
  readonly indexer: SearchIndexer
  private timer: ReturnType<typeof setTimeout> | null = null
  private poll: ReturnType<typeof setInterval> | null = null
  private unsubscribe: (() => void) | null = null
  private closed = false
  private lastProgress = { papers: -1, attachments: -1, at: 0 }

  constructor(
    private db: Database.Database,
    private events: EventBus,
    private logger: Logger,
    opts: SearchServiceOptions = {},
  ) {
    this.indexer = new SearchIndexer(db)
    this.indexer.ensureInitialised()
    if (opts.background !== false) {
      this.unsubscribe = events.subscribe((name) => {
        const n: string = name
        if (n === 'library.changed' || n === 'library.tagsChanged') this.kick()
      })
      this.poll = setInterval(() => this.kick(), opts.pollMs ?? 1500)
      this.poll.unref?.()
      this.kick()
    }
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    if (this.poll) clearInterval(this.poll)
    this.unsubscribe?.()
  }

  // ---------------------------------------------------------------- background indexing

  /** Schedules an indexing tick if there is work and none is scheduled. */
  kick(): void {
    if (this.closed || this.timer) return
    if (!this.indexer.pendingPapers() && !this.indexer.pendingAttachments() && !this.indexer.mergeStep()) {
      this.indexer.refreshSuggestions()
      this.reportProgress(true)
      return
    }
    this.timer = setTimeout(() => this.tick(), 5)
    this.timer.unref?.()
  }

  /** One bounded slice of work (~40 ms), then yields to the event loop. Returns true if work remains. */
  runSlice(budgetMs = 40): boolean {
    const t0 = performance.now()
    while (performance.now() - t0 < budgetMs * 0.6 && this.indexer.flushPapers(250) > 0) continue
    if (performance.now() - t0 < budgetMs) this.indexer.flushFulltext(Math.max(5, budgetMs - (performance.now() - t0)))
    if (performance.now() - t0 < budgetMs) this.indexer.mergeStep()
    const more = this.indexer.pendingPapers() > 0 || this.indexer.pendingAttachments() > 0
    if (!more) this.indexer.refreshSuggestions()
    return more || this.indexer.mergeStep()
  }

  private tick(): void {
    this.timer = null
    if (this.closed) return
    let more = false
    try {
      more = this.runSlice()
    } catch (err) {
      this.logger.error('search indexing step failed', { error: (err as Error).message })
    }
    this.reportProgress(!more)
    if (more && !this.closed) {
      this.timer = setTimeout(() => this.tick(), 10)
      this.timer.unref?.()
    }
  }

  private reportProgress(force: boolean): void {
    const papers = this.indexer.pendingPapers()
    const attachments = this.indexer.pendingAttachments()
    const now = Date.now()
    if (papers === this.lastProgress.papers && attachments === this.lastProgress.attachments) return
    if (!force && now - this.lastProgress.at < 250) return
    this.lastProgress = { papers, attachments, at: now }
    this.events.emit('search.indexProgress', { pendingPapers: papers, pendingAttachments: attachments })
  }

  /** Runs the indexers to completion (tests, benchmarks, rebuild from the CLI). */
  drain(): void {
    while (this.runSlice(1000)) continue
    this.indexer.refreshSuggestions(true)
  }

  rebuild(opts: { fulltext?: boolean; metadata?: boolean } = {}): SearchIndexStatus {
    const metadata = opts.metadata ?? true
    const fulltext = opts.fulltext ?? true
    this.indexer.queueAll(metadata, fulltext)
    this.kick()
    return this.status()
  }

  status(): SearchIndexStatus {
    const one = (sql: string) => this.db.prepare(sql).pluck().get() as number
    const pendingPapers = this.indexer.pendingPapers()
    const pendingAttachments = this.indexer.pendingAttachments()
    let sizes: Record<string, number> = {}
    try {
      const rows = this.db
        .prepare(
          `SELECT CASE WHEN name LIKE 'search_fts%' THEN 'search_fts' WHEN name LIKE 'search_fulltext%' THEN 'search_fulltext' ELSE name END AS t, sum(pgsize) AS bytes
           FROM dbstat WHERE name LIKE 'search%' OR name IN ('papers', 'paper_authors', 'attachment_pages') GROUP BY t`,
        )
        .all() as { t: string; bytes: number }[]
      sizes = Object.fromEntries(rows.map((r) => [r.t, r.bytes]))
    } catch {
      // dbstat not compiled in: sizes stay unknown.
    }
    return {
      papers: one('SELECT count(*) FROM papers'),
      pendingPapers,
      attachmentsIndexed: one('SELECT count(DISTINCT attachment_id) FROM search_ft_pages'),
      pendingAttachments,
      pagesIndexed: one('SELECT count(*) FROM search_ft_pages'),
      state: pendingPapers || pendingAttachments ? 'indexing' : 'idle',
      sizes,
    }
  }

  /** Makes the word index current before a search (bounded; large backlogs continue in the background). */
  private catchUp(): void {
    let budget = SYNC_FLUSH_MAX
    while (budget > 0) {
      const n = this.indexer.flushPapers(Math.min(500, budget))
      if (!n) break
      budget -= n
    }
    if (this.indexer.pendingPapers() || this.indexer.pendingAttachments()) this.kick()
  }

  // ---------------------------------------------------------------- queries

  private plan(q: string, filters: SearchFilters | undefined, scopeAll: boolean): { plan: Plan; error: QueryProblem | null; warnings: QueryProblem[]; understood: string } {
    const parsed = parseQuery(q)
    const compiled = compile(parsed.ast, scopeAll)
    const plan: Plan = { cte: '', cteParams: [], from: 'papers p', where: [...compiled.where], params: [...compiled.params], score: 'NULL', hasText: false, compiled }
    if (compiled.match) {
      plan.hasText = true
      plan.score = 'r.score'
      plan.cteParams.push(compiled.match)
      if (compiled.fulltextMatch) {
        plan.cteParams.push(compiled.fulltextMatch)
        plan.cte = `WITH m AS MATERIALIZED (SELECT rowid AS id, rank AS score FROM search_fts WHERE search_fts MATCH ?),
          f AS MATERIALIZED (SELECT rowid AS rid, rank AS score FROM search_fulltext WHERE search_fulltext MATCH ?),
          r AS MATERIALIZED (SELECT id, min(score) AS score FROM (SELECT id, score FROM m UNION ALL SELECT fp.paper_id AS id, f.score * ${FULLTEXT_WEIGHT} AS score FROM f JOIN search_ft_pages fp ON fp.id = f.rid) GROUP BY id) `
      } else {
        plan.cte = 'WITH r AS MATERIALIZED (SELECT rowid AS id, rank AS score FROM search_fts WHERE search_fts MATCH ?) '
      }
      plan.from = 'r JOIN papers p ON p.id = r.id'
    }
    if (filters) this.addFilters(filters, plan.where, plan.params)
    return { plan, error: parsed.error, warnings: parsed.warnings, understood: describe(parsed.ast) }
  }

  private addFilters(f: SearchFilters, where: string[], params: unknown[]): void {
    const list = (xs: readonly unknown[]) => {
      params.push(...xs)
      return xs.map(() => '?').join(', ')
    }
    if (f.unrated) where.push('p.rating IS NULL')
    if (f.ratingMin !== undefined || f.ratingMax !== undefined) {
      where.push('p.rating BETWEEN ? AND ?')
      params.push(f.ratingMin ?? 1, f.ratingMax ?? 5)
    }
    if (f.tags?.length) {
      const names = [...new Set(f.tags.map((t) => t.toLowerCase()))]
      const inList = list(names)
      if (f.tagMode === 'all') {
        where.push(`p.id IN (SELECT pt.paper_id FROM paper_tags pt WHERE pt.tag_id IN (SELECT id FROM tags WHERE lower(name) IN (${inList})) GROUP BY pt.paper_id HAVING count(*) = ?)`)
        params.push(names.length)
      } else {
        where.push(`p.id IN (SELECT pt.paper_id FROM paper_tags pt WHERE pt.tag_id IN (SELECT id FROM tags WHERE lower(name) IN (${inList})))`)
      }
    }
    if (f.yearFrom !== undefined || f.yearTo !== undefined) {
      where.push('p.year BETWEEN ? AND ?')
      params.push(f.yearFrom ?? 0, f.yearTo ?? 9999)
    }
    if (f.addedFrom !== undefined || f.addedTo !== undefined) {
      where.push('p.added_at BETWEEN ? AND ?')
      params.push(f.addedFrom ?? 0, f.addedTo ?? Number.MAX_SAFE_INTEGER)
    }
    if (f.journals?.length) where.push(`p.venue COLLATE NOCASE IN (${list(f.journals)})`)
    if (f.authors?.length) where.push(`p.id IN (SELECT paper_id FROM paper_authors WHERE family COLLATE NOCASE IN (${list(f.authors)}))`)
    if (f.statuses?.length) where.push(`p.reading_status IN (${list(f.statuses)})`)
    if (f.collectionId !== undefined) {
      if (f.subcollections === false) {
        where.push('p.id IN (SELECT paper_id FROM paper_collections WHERE collection_id = ?)')
        params.push(f.collectionId)
      } else {
        where.push(
          'p.id IN (SELECT paper_id FROM paper_collections WHERE collection_id IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT c.id FROM collections c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub))',
        )
        params.push(f.collectionId)
      }
    }
    if (f.hasAttachment !== undefined) where.push(`${f.hasAttachment ? '' : 'NOT '}EXISTS (SELECT 1 FROM attachments a WHERE a.paper_id = p.id)`)
  }

  private pending(): SearchResult['pending'] {
    return { papers: this.indexer.pendingPapers(), attachments: this.indexer.pendingAttachments() }
  }

  query(input: SearchInput): SearchResult {
    const t0 = performance.now()
    this.catchUp()
    const scopeAll = input.scope === 'all'
    const { plan, error, warnings, understood } = this.plan(input.q, input.filters, scopeAll)
    const empty = (err: QueryProblem | null): SearchResult => ({
      items: [],
      total: 0,
      nextCursor: null,
      error: err,
      warnings,
      understood,
      tookMs: performance.now() - t0,
      pending: this.pending(),
    })
    if (error) return empty(error)

    let sort: SearchSort = input.sort ?? (plan.hasText ? 'relevance' : 'added')
    if (sort === 'relevance' && !plan.hasText) sort = 'added'
    const dir = input.dir ?? DEFAULT_DIR[sort]
    const key = sort === 'relevance' ? 'r.score' : SORT_KEY[sort]
    const limit = input.limit ?? DEFAULT_LIMIT
    const where = [...plan.where]
    const params = [...plan.params]
    let offset = 0
    if (input.cursor) {
      const c = decodeCursor(input.cursor)
      if (c.s !== sort || c.d !== dir) throw new AppError('VALIDATION', 'The page cursor belongs to another sort order; start the search again.')
      where.push(`(${key}, p.id) ${dir === 'asc' ? '>' : '<'} (?, ?)`)
      params.push(c.k, c.id)
    } else if (input.offset) offset = input.offset

    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : ''
    const d = dir.toUpperCase()
    const wantTotal = input.total ?? (!input.cursor && !input.offset)
    // With a MATCH the hits are materialised anyway: count them in the same pass (window) instead of twice.
    const windowTotal = wantTotal && plan.hasText
    const sql = `${plan.cte}SELECT p.id AS id, ${plan.score} AS score, ${key} AS k${windowTotal ? ', count(*) OVER () AS total' : ''} FROM ${plan.from} ${whereSql} ORDER BY k ${d}, p.id ${d} LIMIT ? OFFSET ?`
    let rows: { id: number; score: number | null; k: number | string; total?: number }[]
    try {
      rows = this.db.prepare(sql).all(...plan.cteParams, ...params, limit + 1, offset) as typeof rows
    } catch (err) {
      return this.ftsFailure(err, empty)
    }
    const more = rows.length > limit
    if (more) rows.pop()

    let total: number | null = null
    if (windowTotal) {
      // Past the last row the window count is not visible; an empty page with a cursor/offset means "no more".
      total = rows.length ? rows[0].total! : offset || input.cursor ? null : 0
      if (input.cursor) total = null
    } else if (wantTotal) {
      const baseWhere = plan.where.length ? `WHERE ${plan.where.join(' AND ')}` : ''
      total = this.db.prepare(`${plan.cte}SELECT count(*) FROM ${plan.from} ${baseWhere}`).pluck().get(...plan.cteParams, ...plan.params) as number
    }

    const items = this.hydrate(
      rows.map((r) => r.id),
      new Map(rows.map((r) => [r.id, r.score])),
      plan,
      input.snippets !== false && plan.compiled.terms.length > 0,
    )
    const last = rows[rows.length - 1]
    return {
      items,
      total,
      nextCursor: more && last ? encodeCursor({ s: sort, d: dir, k: last.k, id: last.id }) : null,
      error: null,
      warnings,
      understood,
      tookMs: performance.now() - t0,
      pending: this.pending(),
    }
  }

  private ftsFailure(err: unknown, empty: (e: QueryProblem | null) => SearchResult): SearchResult {
    const msg = (err as Error).message ?? ''
    // FTS5 rejects some expressions we cannot rule out up front (e.g. a query too complex for its parser).
    if ((err as { code?: string }).code === 'SQLITE_ERROR' && /fts5|MATCH/i.test(msg)) {
      this.logger.warn('fts query rejected', { error: msg })
      return empty({ message: 'This query could not be run; try fewer operators or quote unusual words.', position: 0 })
    }
    throw err
  }

  /** All ids of a result in order (select all, export a result). */
  ids(input: { q: string; filters?: SearchFilters; sort?: SearchSort; dir?: 'asc' | 'desc' }): { ids: number[]; truncated: boolean } {
    this.catchUp()
    const { plan, error } = this.plan(input.q, input.filters, true)
    if (error) throw new AppError('VALIDATION', error.message)
    let sort: SearchSort = input.sort ?? (plan.hasText ? 'relevance' : 'added')
    if (sort === 'relevance' && !plan.hasText) sort = 'added'
    const dir = (input.dir ?? DEFAULT_DIR[sort]).toUpperCase()
    const key = sort === 'relevance' ? 'r.score' : SORT_KEY[sort]
    const whereSql = plan.where.length ? `WHERE ${plan.where.join(' AND ')}` : ''
    const max = 100_000
    const ids = this.db
      .prepare(`${plan.cte}SELECT p.id FROM ${plan.from} ${whereSql} ORDER BY ${key} ${dir}, p.id ${dir} LIMIT ?`)
      .pluck()
      .all(...plan.cteParams, ...plan.params, max + 1) as number[]
    const truncated = ids.length > max
    if (truncated) ids.pop()
    return { ids, truncated }
  }

  private hydrate(ids: number[], scores: Map<number, number | null>, plan: Plan, withSnippets: boolean): SearchHit[] {
    if (!ids.length) return []
    const rows = this.db
      .prepare(
        `SELECT p.id, p.title, p.year, p.venue, p.rating, p.reading_status AS readingStatus, p.added_at AS addedAt,
          (SELECT json_group_array(family) FROM (SELECT family FROM paper_authors WHERE paper_id = p.id ORDER BY position LIMIT 3)) AS authors,
          (SELECT count(*) FROM paper_authors WHERE paper_id = p.id) AS nAuthors,
          (SELECT json_group_array(t.name) FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.paper_id = p.id) AS tags,
          (SELECT count(*) FROM attachments WHERE paper_id = p.id) AS attachments
          ${withSnippets ? ', p.abstract, p.notes' : ''}
        FROM papers p WHERE p.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as HitRow[]
    const byId = new Map(rows.map((r) => [r.id, r]))
    const terms = plan.compiled.terms
    const hits: SearchHit[] = []
    const needFulltext: number[] = []
    for (const id of ids) {
      const r = byId.get(id)
      if (!r) continue
      const fam = JSON.parse(r.authors) as string[]
      const authors = r.nAuthors > 3 ? `${fam[0]} et al.` : fam.join(', ')
      let titleHl = r.title
      let snip: SearchSnippet | null = null
      if (withSnippets) {
        const th = highlight(r.title, terms, 'title')
        titleHl = th.text
        const ab = r.abstract ? snippet(r.abstract, terms, 'abstract') : null
        const no = !ab && r.notes ? snippet(r.notes, terms, 'notes') : null
        if (ab) snip = { field: 'abstract', page: null, attachmentId: null, text: ab.text }
        else if (no) snip = { field: 'notes', page: null, attachmentId: null, text: no.text }
        else if (r.attachments > 0) needFulltext.push(id)
      }
      hits.push({
        id: r.id,
        title: r.title,
        titleHl,
        authors,
        year: r.year,
        venue: r.venue,
        rating: r.rating,
        readingStatus: r.readingStatus,
        addedAt: r.addedAt,
        tags: JSON.parse(r.tags) as string[],
        attachments: r.attachments,
        score: scores.get(id) ?? null,
        snippet: snip,
      })
    }
    if (needFulltext.length) this.fulltextSnippets(hits, needFulltext, terms)
    return hits
  }

  /** For hits whose match is in an attachment: the best-ranked matching page, cut into a snippet. */
  private fulltextSnippets(hits: SearchHit[], ids: number[], terms: HighlightTerm[]): void {
    const parts: string[] = []
    for (const t of terms) {
      if (t.field && t.field !== 'fulltext') continue
      if (t.kind === 'word') parts.push(`{body}: ${ftsString(t.text)}${t.prefix ? '*' : ''}`)
      else parts.push(`{body_cjk}: ${ftsString(queryBigrams(t.text).join(' '))}`)
    }
    if (!parts.length) return
    let pages: { paperId: number; attachmentId: number; page: number }[]
    try {
      pages = this.db
        .prepare(
          `WITH f AS MATERIALIZED (SELECT rowid AS rid, rank AS score FROM search_fulltext WHERE search_fulltext MATCH ?)
           SELECT fp.paper_id AS paperId, fp.attachment_id AS attachmentId, fp.page AS page FROM f JOIN search_ft_pages fp ON fp.id = f.rid
           WHERE fp.paper_id IN (SELECT value FROM json_each(?)) ORDER BY f.score`,
        )
        .all(parts.join(' OR '), JSON.stringify(ids)) as typeof pages
    } catch {
      return
    }
    const best = new Map<number, { attachmentId: number; page: number }>()
    for (const p of pages) if (!best.has(p.paperId)) best.set(p.paperId, p)
    const getPage = this.db.prepare('SELECT text FROM attachment_pages WHERE attachment_id = ? AND page = ?').pluck()
    for (const h of hits) {
      const b = best.get(h.id)
      if (!b || h.snippet) continue
      const text = getPage.get(b.attachmentId, b.page) as string | undefined
      const s = text ? snippet(text, terms, 'fulltext') : null
      if (s) h.snippet = { field: 'fulltext', page: b.page, attachmentId: b.attachmentId, text: s.text }
    }
  }

  // ---------------------------------------------------------------- suggestions and facets

  suggest(q: string, limit = 8): Suggestion[] {
    const m = q.match(/^(.*?)(?:(author|au|tag|journal|venue):)?("?)([^\s"]*)$/i)
    if (!m) return []
    const before = m[1]
    const fieldRaw = m[2]?.toLowerCase()
    const word = m[4]
    const out: Suggestion[] = []
    const kind = fieldRaw === 'author' || fieldRaw === 'au' ? 'author' : fieldRaw === 'tag' ? 'tag' : fieldRaw ? 'journal' : null
    const quote = (s: string) => (/[\s"():]/.test(s) ? `"${s.replace(/"/g, '')}"` : s)
    const fieldOf = { author: 'author', tag: 'tag', journal: 'journal' } as const
    if (!kind && word && !word.includes(':') && /^[a-z]+$/i.test(word)) {
      for (const f of FIELD_NAMES) if (f.startsWith(word.toLowerCase()) && f !== word.toLowerCase() + ':') out.push({ kind: 'field', label: f, query: before + f, count: null })
    }
    const norm = fold(word)
    if (norm.length >= 1 || kind) {
      const rows = this.db
        .prepare(
          `SELECT kind, label, n FROM (SELECT kind, label, n FROM search_suggest WHERE norm >= ? AND norm < ? ${kind ? 'AND kind = ?' : ''} ORDER BY norm LIMIT 300)
           ORDER BY n DESC, label LIMIT ?`,
        )
        .all(...[norm, norm + '\uffff', ...(kind ? [kind] : []), limit]) as { kind: 'author' | 'tag' | 'journal'; label: string; n: number }[]
      for (const r of rows) {
        const value = r.kind === 'author' ? r.label.split(',')[0] : r.label
        out.push({ kind: r.kind, label: r.label, query: `${before}${fieldOf[r.kind]}:${quote(value)} `, count: r.n })
      }
    }
    // Titles: the words typed so far, the last one as a prefix (needs 3+ characters to stay fast).
    const words = (before + word).split(/[^\p{L}\p{N}]+/u).filter(Boolean)
    if (!kind && words.length && words[words.length - 1].length >= 3 && !/[:()"]/.test(before)) {
      const expr = `{title}: ${words.map((w, i) => ftsString(w) + (i === words.length - 1 ? '*' : '')).join(' ')}`
      try {
        const titles = this.db
          .prepare(`SELECT p.title FROM (SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ? LIMIT ?) m JOIN papers p ON p.id = m.id`)
          .pluck()
          .all(expr, Math.min(4, limit)) as string[]
        for (const t of titles) out.push({ kind: 'title', label: t, query: `title:${quote(t)}`, count: null })
      } catch {}
    }
    return out.slice(0, limit)
  }

  facets(input?: { prefix?: string; limit?: number }): { journals: { value: string; count: number }[]; authors: { value: string; count: number }[] } {
    const limit = input?.limit ?? 50
    const norm = fold(input?.prefix ?? '')
    const q = (kind: string) =>
      (
        this.db
          .prepare(`SELECT label AS value, n AS count FROM search_suggest WHERE kind = ? AND norm >= ? AND norm < ? ORDER BY n DESC, label LIMIT ?`)
          .all(kind, norm, norm + '\uffff', limit) as { value: string; count: number }[]
      ).map((r) => (kind === 'author' ? { value: r.value.split(',')[0], count: r.count } : r))
    const authors: { value: string; count: number }[] = []
    const seen = new Set<string>()
    for (const a of q('author')) {
      if (seen.has(a.value.toLowerCase())) continue
      seen.add(a.value.toLowerCase())
      authors.push(a)
    }
    return { journals: q('journal'), authors }
  }
}
