/**
 * SearchService: runs queries (MATCH first in a CTE, then joins and filters; broad relevance queries ranked
 * in two tiers, see `tiered`), cuts snippets, answers suggestions and facets, and drives the background indexers.
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
import { fold, highlight, matchRanges, snippet, type HighlightTerm } from './highlight'
import { SearchIndexer } from './indexer'
import { describe, FIELD_NAMES, parseQuery } from './parser'

export type SearchInput = z.output<typeof SearchQuerySchema>

const DEFAULT_LIMIT = 100
/** A search indexes this many pending papers itself before answering; more are left to the background. */
const SYNC_FLUSH_MAX = 2000
const FULLTEXT_WEIGHT = 0.5
/** Full-text snippets: papers with up to SCAN_PAGES pages are scanned whole; longer ones look at their first SNIPPET_PAGES matching pages. */
const SCAN_PAGES = 40
const SNIPPET_PAGES = 16
/** Narrow covering index on papers(id, year, rating, reading_status, added_at, venue): what hits are filtered and sorted on. */
const FILTER_INDEX = 'search_papers_filter_idx'

const SORT_KEY: Record<Exclude<SearchSort, 'relevance'>, string> = {
  year: 'coalesce(p.year, 0)',
  added: 'p.added_at',
  rating: 'coalesce(p.rating, 0)',
  title: 'p.title COLLATE NOCASE',
}
/** The index that yields each field sort's order (SORT_KEY's expression, then the rowid). */
const SORT_INDEX: Record<'year' | 'added' | 'rating', string> = {
  year: 'search_papers_year_idx',
  added: 'papers_added_idx',
  rating: 'search_papers_rating_idx',
}
const DEFAULT_DIR: Record<SearchSort, 'asc' | 'desc'> = { relevance: 'asc', year: 'desc', added: 'desc', rating: 'desc', title: 'asc' }

interface Cursor {
  s: SearchSort
  d: 'asc' | 'desc'
  k: number | string
  id: number
  /** Tier of the row, for a broad query ranked in tiers (absent: one exact ranking). */
  t?: 1 | 2
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor
    if (typeof c.id === 'number' && (typeof c.k === 'number' || typeof c.k === 'string') && typeof c.s === 'string' && (c.t === undefined || c.t === 1 || c.t === 2)) return c
  } catch {}
  throw new AppError('VALIDATION', 'The page cursor is not valid; start the search again.')
}

interface Plan {
  /** Parameters of `hitsCte` (the MATCH expressions). */
  cteParams: unknown[]
  from: string
  where: string[]
  params: unknown[]
  hasText: boolean
  compiled: CompiledQuery
}

interface PageRow {
  id: number
  score: number | null
  k: number | string
  total?: number
  t?: 1 | 2
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
  /**
   * A relevance query whose MATCH has more hits than this, and at least `tierMinKeyHits` of them in the key
   * fields, is ranked in two tiers (see `tiered`); otherwise every hit is ranked by bm25. Defaults
   * TIER_THRESHOLD and TIER_MIN_KEY_HITS; Infinity turns tiering off.
   */
  tierThreshold?: number
  tierMinKeyHits?: number
}

/**
 * bm25 costs ~0.5 µs per hit, plus one pass over each phrase's doclist: ranking ~4,000 hits takes 2–4 ms
 * at 100k papers, where the whole query still stays well inside 10 ms; the broad words above it take 5–30 ms.
 */
const TIER_THRESHOLD = 4000
/**
 * Tier 1 must hold a few pages (the Library loads 100 rows a page): when the words rarely meet in a title
 * ("results analysis": 36 of 14,324 hits) the first page would need tier 2 anyway, which costs the exact
 * ranking plus the tier overhead (19 → 28 ms at 100k), so such queries keep the exact ranking.
 */
const TIER_MIN_KEY_HITS = 200

export class SearchService {
  readonly indexer: SearchIndexer
  private timer: ReturnType<typeof setTimeout> | null = null
  private poll: ReturnType<typeof setInterval> | null = null
  private unsubscribe: (() => void) | null = null
  private closed = false
  private lastProgress = { papers: -1, attachments: -1, at: 0 }
  private stmtCache = new Map<string, Database.Statement>()
  private readonly tierThreshold: number
  private readonly tierMinKeyHits: number

  constructor(
    private db: Database.Database,
    private events: EventBus,
    private logger: Logger,
    opts: SearchServiceOptions = {},
  ) {
    this.indexer = new SearchIndexer(db)
    this.indexer.ensureInitialised()
    this.tierThreshold = opts.tierThreshold ?? TIER_THRESHOLD
    this.tierMinKeyHits = opts.tierMinKeyHits ?? TIER_MIN_KEY_HITS
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

  /**
   * Prepared statements by SQL text (queries are built from a small set of shapes; preparing them anew
   * costs more than a small query itself). Returned with pluck mode off.
   */
  private prep(sql: string): Database.Statement {
    let st = this.stmtCache.get(sql)
    if (!st) {
      if (this.stmtCache.size >= 300) this.stmtCache.clear()
      st = this.db.prepare(sql)
      this.stmtCache.set(sql, st)
    }
    return st.reader ? st.pluck(false) : st
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
      const rows = this.prep(
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
    const plan: Plan = { cteParams: [], from: 'papers p', where: [...compiled.where], params: [...compiled.params], hasText: false, compiled }
    if (compiled.match) {
      plan.hasText = true
      plan.cteParams.push(compiled.match)
      if (compiled.fulltextMatch) plan.cteParams.push(compiled.fulltextMatch)
      // MATCH first (CROSS JOIN fixes the loop order), then each hit is looked up in the narrow covering
      // index, not in the wide papers rows (see 0004_search_perf.sql).
      plan.from = `r CROSS JOIN papers p INDEXED BY ${FILTER_INDEX} ON p.id = r.id`
    }
    if (filters) this.addFilters(filters, plan.where, plan.params, plan.hasText)
    return { plan, error: parsed.error, warnings: parsed.warnings, understood: describe(parsed.ast) }
  }

  /**
   * `WITH r(id, score) AS (the text hits) ` for `plan.cteParams`. Unranked (score NULL) when the order is not
   * relevance: bm25 is most of the cost of a broad query, and a field sort does not need it.
   */
  private hitsCte(plan: Plan, ranked: boolean): string {
    const meta = ranked ? 'rank' : 'NULL'
    if (!plan.compiled.fulltextMatch) {
      // Streamed, not materialised: the CROSS JOIN keeps the MATCH as the outer loop anyway, and copying
      // 40k ranked hits into a temporary table first cost up to a third of a broad query.
      return `WITH r AS NOT MATERIALIZED (SELECT rowid AS id, ${meta} AS score FROM search_fts WHERE search_fts MATCH ?) `
    }
    if (!ranked) {
      return `WITH r AS MATERIALIZED (SELECT rowid AS id, NULL AS score FROM search_fts WHERE search_fts MATCH ?
        UNION SELECT fp.paper_id AS id, NULL AS score FROM search_fulltext JOIN search_ft_pages fp ON fp.id = search_fulltext.rowid WHERE search_fulltext MATCH ?) `
    }
    return `WITH m AS MATERIALIZED (SELECT rowid AS id, ${meta} AS score FROM search_fts WHERE search_fts MATCH ?),
      f AS MATERIALIZED (SELECT rowid AS rid, rank AS score FROM search_fulltext WHERE search_fulltext MATCH ?),
      r AS MATERIALIZED (SELECT id, min(score) AS score FROM (SELECT id, score FROM m UNION ALL SELECT fp.paper_id AS id, f.score * ${FULLTEXT_WEIGHT} AS score FROM f JOIN search_ft_pages fp ON fp.id = f.rid) GROUP BY id) `
  }

  /**
   * UI filters as predicates over `p`. With a text query (`perHit`) the hits are usually few compared with
   * the library, so tag and collection filters probe per hit (primary-key lookups) instead of first building
   * the set of every paper with a popular tag; without one, the sets drive.
   */
  private addFilters(f: SearchFilters, where: string[], params: unknown[], perHit = false): void {
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
      // Tag names → ids first (tags_name_uq is NOCASE); an unknown name matches nothing.
      const tagIds = this.prep(`SELECT id FROM tags WHERE name COLLATE NOCASE IN (${names.map(() => '?').join(', ')})`)
        .pluck()
        .all(...names) as number[]
      const wanted = f.tagMode === 'all' ? names.length : 1
      if (tagIds.length < wanted) where.push('0')
      else if (f.tagMode === 'all') {
        where.push(
          perHit
            ? `(SELECT count(*) FROM paper_tags pt WHERE pt.paper_id = p.id AND pt.tag_id IN (${list(tagIds)})) = ?`
            : `p.id IN (SELECT pt.paper_id FROM paper_tags pt WHERE pt.tag_id IN (${list(tagIds)}) GROUP BY pt.paper_id HAVING count(*) = ?)`,
        )
        params.push(tagIds.length)
      } else if (perHit) where.push(`EXISTS (SELECT 1 FROM paper_tags pt WHERE pt.paper_id = p.id AND pt.tag_id IN (${list(tagIds)}))`)
      else where.push(`p.id IN (SELECT pt.paper_id FROM paper_tags pt WHERE pt.tag_id IN (${list(tagIds)}))`)
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
    // Authors: a small set from search_authors_family_nocase_idx, cheaper than a probe per hit.
    if (f.authors?.length) where.push(`p.id IN (SELECT paper_id FROM paper_authors WHERE family COLLATE NOCASE IN (${list(f.authors)}))`)
    if (f.statuses?.length) where.push(`p.reading_status IN (${list(f.statuses)})`)
    if (f.collectionId !== undefined) {
      const colls =
        f.subcollections === false ? '?' : 'WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT c.id FROM collections c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub'
      where.push(
        perHit
          ? `EXISTS (SELECT 1 FROM paper_collections pc WHERE pc.paper_id = p.id AND pc.collection_id IN (${colls}))`
          : `p.id IN (SELECT paper_id FROM paper_collections WHERE collection_id IN (${colls}))`,
      )
      params.push(f.collectionId)
    }
    if (f.hasAttachment !== undefined) {
      where.push(perHit ? `p.id ${f.hasAttachment ? '' : 'NOT '}IN (SELECT paper_id FROM attachments)` : `${f.hasAttachment ? '' : 'NOT '}EXISTS (SELECT 1 FROM attachments a WHERE a.paper_id = p.id)`)
    }
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
    const limit = input.limit ?? DEFAULT_LIMIT
    const cursor = input.cursor ? decodeCursor(input.cursor) : null
    if (cursor && (cursor.s !== sort || cursor.d !== dir)) throw new AppError('VALIDATION', 'The page cursor belongs to another sort order; start the search again.')
    const offset = cursor ? 0 : (input.offset ?? 0)
    const wantTotal = input.total ?? (!input.cursor && !input.offset)
    let rows: PageRow[]
    let total: number | null = null
    try {
      // A cursor keeps the mode of the page it came from.
      if (this.tierable(plan, sort, dir) && (cursor ? cursor.t !== undefined : this.broad(plan))) ({ rows, total } = this.tiered(plan, cursor, offset, limit, wantTotal))
      else ({ rows, total } = this.exactPage(plan, sort, dir, cursor, offset, limit, wantTotal, input.filters))
    } catch (err) {
      return this.ftsFailure(err, empty)
    }
    const more = rows.length > limit
    if (more) rows.pop()

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
      nextCursor: more && last ? encodeCursor({ s: sort, d: dir, k: last.k, id: last.id, ...(last.t ? { t: last.t } : {}) }) : null,
      error: null,
      warnings,
      understood,
      tookMs: performance.now() - t0,
      pending: this.pending(),
    }
  }

  /** One page in a single order: every text hit ranked (relevance) or sorted by a field; or a browse. */
  private exactPage(
    plan: Plan,
    sort: SearchSort,
    dir: 'asc' | 'desc',
    cursor: Cursor | null,
    offset: number,
    limit: number,
    wantTotal: boolean,
    filters: SearchFilters | undefined,
  ): { rows: PageRow[]; total: number | null } {
    const key = sort === 'relevance' ? 'r.score' : SORT_KEY[sort]
    const d = dir.toUpperCase()
    const cmp = dir === 'asc' ? '>' : '<'
    const where = [...plan.where]
    const params = [...plan.params]
    if (cursor) {
      where.push(`(${key}, p.id) ${cmp} (?, ?)`)
      params.push(cursor.k, cursor.id)
    }
    let filteredCount: number | undefined
    let sql: string
    let args: unknown[]
    if (plan.hasText) {
      // MATCH first (r), then filter the hits on the narrow index (h, materialised once), then count h and
      // take the page from it with a top-N sort — no window function, no second MATCH, no wide rows.
      // Relevance without filters needs no join at all.
      const cte = this.hitsCte(plan, sort === 'relevance')
      const filtered = plan.where.length ? `WHERE ${plan.where.join(' AND ')}` : ''
      const count = wantTotal ? ', (SELECT count(*) FROM h) AS total' : ''
      const cursorParams = params.slice(plan.params.length)
      if (sort === 'title' && this.manyHits(plan)) {
        // Titles are not in the narrow index: with many hits (≥ 1 % of the library), walk the title index in
        // order and stop at the page instead of reading every hit's wide row to sort them.
        sql = `${cte}, h AS MATERIALIZED (SELECT r.id AS id FROM ${plan.from} ${filtered})
          SELECT t.id AS id, NULL AS score, t.title COLLATE NOCASE AS k${count} FROM papers t INDEXED BY search_papers_title_idx CROSS JOIN h ON h.id = t.id
          ${cursorParams.length ? `WHERE (t.title COLLATE NOCASE, t.id) ${cmp} (?, ?)` : ''} ORDER BY k ${d}, t.id ${d} LIMIT ? OFFSET ?`
      } else if (sort !== 'relevance' && sort !== 'title' && this.manyHits(plan)) {
        // Many hits sorted by year, added date or rating: walk that field's index in order and stop at the page,
        // testing each paper against the hits (SQLite builds them into an ephemeral index once) and the filters,
        // instead of joining, materialising and sorting every hit ("results analysis" by added: 8 → 3 ms).
        sql = `${cte}SELECT p.id AS id, NULL AS score, ${key} AS k FROM papers p INDEXED BY ${SORT_INDEX[sort]}
          WHERE p.id IN (SELECT id FROM r)${where.map((w) => ` AND ${w}`).join('')} ORDER BY k ${d}, p.id ${d} LIMIT ? OFFSET ?`
        if (wantTotal) filteredCount = this.textCount(plan)
      } else if (sort !== 'relevance' && !plan.where.length && !plan.compiled.fulltextMatch) {
        // A field sort without filters: the page straight from the join (top-N), the total from a count of
        // the MATCH (~0.05 µs a hit) instead of materialising every hit to count it (1.5 ms at 14k hits).
        sql = `${cte}SELECT r.id AS id, NULL AS score, ${key} AS k FROM ${plan.from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY k ${d}, r.id ${d} LIMIT ? OFFSET ?`
        if (wantTotal) filteredCount = this.textCount(plan)
      } else {
        const base = plan.where.length || sort !== 'relevance' ? `SELECT r.id AS id, r.score AS score, ${key} AS k FROM ${plan.from} ${filtered}` : 'SELECT id, score, score AS k FROM r'
        sql = `${cte}, h AS MATERIALIZED (${base})
          SELECT id, score, k${count} FROM h ${cursorParams.length ? `WHERE (k, id) ${cmp} (?, ?)` : ''} ORDER BY k ${d}, id ${d} LIMIT ? OFFSET ?`
      }
      args = [...plan.cteParams, ...plan.params, ...cursorParams, limit + 1, offset]
    } else {
      const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : ''
      // Browsing. Without filters the sort index drives. With filters, left to itself SQLite drives from a
      // filter's index (status, year …) and reads every matching wide row, then sorts them (40 ms at 100k).
      // Instead: year / added / rating orders scan the narrow covering index (every column at hand, ~5 ms);
      // the title order walks the title index when many papers match, or sorts the few that match.
      let from = plan.from
      let withSql = ''
      let withParams: unknown[] = []
      // A journal filter is selective and has its own index (search_papers_venue_idx): the planner's choice.
      if (plan.where.length && !filters?.journals?.length) {
        if (sort !== 'title') from = `papers p INDEXED BY ${FILTER_INDEX}`
        else {
          filteredCount = this.browseCount(plan, true)
          if (filteredCount * 100 >= this.paperCount()) from = 'papers p INDEXED BY search_papers_title_idx'
          else {
            withSql = `WITH f AS MATERIALIZED (SELECT p.id FROM papers p INDEXED BY ${FILTER_INDEX} WHERE ${plan.where.join(' AND ')}) `
            withParams = plan.params
            from = 'f CROSS JOIN papers p ON p.id = f.id'
          }
        }
      }
      sql = `${withSql}SELECT p.id AS id, NULL AS score, ${key} AS k FROM ${from} ${whereSql} ORDER BY k ${d}, p.id ${d} LIMIT ? OFFSET ?`
      args = [...withParams, ...params, limit + 1, offset]
    }
    const rows = this.prep(sql).all(...args) as PageRow[]
    let total: number | null = null
    if (wantTotal && plan.hasText) {
      // Past the last row the count is not visible; an empty page with a cursor/offset means "no more".
      total = filteredCount ?? (rows.length ? rows[0].total! : offset || cursor ? null : 0)
      if (cursor) total = null
    } else if (wantTotal) total = filteredCount ?? this.browseCount(plan, !filters?.journals?.length)
    return { rows, total }
  }

  /**
   * A broad relevance query, ranked in two tiers (a champion list): first the hits whose query matches within
   * the key fields (title, authors, tags: `keyMatch`), by bm25 over those fields; then every other hit by the
   * full bm25. Why: bm25 costs ~0.5 µs per hit, so ranking all hits of a word found in 40 % of 100k papers
   * takes 20–30 ms, while its key-field hits are a few thousand and fill the first pages; the rest is ranked
   * only when a page reaches it. Scores compare within a tier only. Tier 2 excludes keyMatch's rowids and
   * cursors carry the tier, so walking the pages yields every hit exactly once. The choice depends on the
   * MATCH alone, not on the filters, so a filter never reorders what it keeps. The total stays exact: a count
   * of the MATCH, or with filters every hit looked up in the narrow index (~0.25 µs a hit, ~10 ms for 39k
   * hits — most of what a broad filtered query still costs).
   */
  private tiered(plan: Plan, cursor: Cursor | null, offset: number, limit: number, wantTotal: boolean): { rows: PageRow[]; total: number | null } {
    const keyMatch = plan.compiled.keyMatch
    const join = plan.where.length ? `CROSS JOIN papers p INDEXED BY ${FILTER_INDEX} ON p.id = x.id` : ''
    const filtered = plan.where.length ? `WHERE ${plan.where.join(' AND ')}` : ''
    const page = (tier: 1 | 2, after: Cursor | null, skip: number, n: number): PageRow[] => {
      const x =
        tier === 1
          ? `WITH x AS NOT MATERIALIZED (SELECT rowid AS id, rank AS score FROM search_fts WHERE search_fts MATCH ?) `
          : `${this.hitsCte(plan, true)}, x AS NOT MATERIALIZED (SELECT id, score FROM r WHERE id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)) `
      const where = [...plan.where]
      const args = [...(tier === 1 ? [] : plan.cteParams), keyMatch, ...plan.params]
      if (after) {
        where.push('(x.score, x.id) > (?, ?)')
        args.push(after.k, after.id)
      }
      const sql = `${x}SELECT x.id AS id, x.score AS score, x.score AS k FROM x ${join} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY x.score, x.id LIMIT ? OFFSET ?`
      return (this.prep(sql).all(...args, n, skip) as PageRow[]).map((r) => ({ ...r, t: tier }))
    }
    let rows: PageRow[] = []
    if (cursor?.t === 2) rows = page(2, cursor, 0, limit + 1)
    else {
      // An offset past tier 1 goes straight to tier 2: counting tier 1 is cheaper than ranking it.
      const inTier1 = offset
        ? (this.prep(`SELECT count(*) FROM (SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ?) x ${join} ${filtered}`).pluck().get(keyMatch, ...plan.params) as number)
        : Infinity
      if (offset < inTier1) rows = page(1, cursor, offset, limit + 1)
      // Tier 1 ends on this page: go on with tier 2.
      if (rows.length <= limit) rows.push(...page(2, null, Math.max(0, offset - inTier1), limit + 1 - rows.length))
    }
    return { rows, total: wantTotal && !cursor ? this.textCount(plan) : null }
  }

  /** Hits of a text query with its filters: a count of the MATCH, or of its hits through the narrow filter index. */
  private textCount(plan: Plan): number {
    if (!plan.where.length && !plan.compiled.fulltextMatch) return this.matchCount(plan)
    const from = plan.where.length ? `${plan.from} WHERE ${plan.where.join(' AND ')}` : 'r'
    return this.prep(`${this.hitsCte(plan, false)}SELECT count(*) FROM ${from}`).pluck().get(...plan.cteParams, ...plan.params) as number
  }

  /**
   * The exact number of hits, asked apart from the first page: counting a word found in 40 % of the library
   * through the filter index takes ~10 ms at 100k papers, as long as ranking and cutting the page itself.
   */
  count(input: { q?: string; filters?: SearchFilters; scope?: 'all' | 'metadata' }): number {
    this.catchUp()
    const { plan, error } = this.plan(input.q ?? '', input.filters, input.scope === 'all')
    if (error) return 0
    return plan.hasText ? this.textCount(plan) : this.browseCount(plan, !input.filters?.journals?.length)
  }

  /** Whether tiers could order a query differently from one exact ranking (some hits outside the key fields). */
  private tierable(plan: Plan, sort: SearchSort, dir: string): boolean {
    const c = plan.compiled
    return plan.hasText && sort === 'relevance' && dir === 'asc' && c.keyMatch !== null && c.keyMatch !== c.match
  }

  /**
   * Whether a tierable query is ranked in tiers. Depends on the query text and the library only — never on
   * filters or the page asked for — so pages, offsets and ids() agree. Counting without ranking is cheap
   * (~0.05 µs a hit) and both counts stop at their bound.
   */
  private broad(plan: Plan): boolean {
    const c = plan.compiled
    return this.matchCount(c.match!, this.tierThreshold + 1) > this.tierThreshold && this.matchCount(c.keyMatch!, this.tierMinKeyHits) >= this.tierMinKeyHits
  }

  private paperCount(): number {
    return this.prep('SELECT count(*) FROM papers').pluck().get() as number
  }

  /** Whether the driving MATCH hits at least 1 % of the library. */
  private manyHits(plan: Plan): boolean {
    const papers = this.paperCount()
    return this.matchCount(plan, Math.ceil(papers / 100)) * 100 >= papers
  }

  /** Hits of a MATCH expression (the driving one by default), without ranking, counting no further than `cap`. */
  private matchCount(plan: Plan | string, cap = Infinity): number {
    const expr = typeof plan === 'string' ? plan : plan.cteParams[0]
    if (!Number.isFinite(cap)) return this.prep('SELECT count(*) FROM search_fts WHERE search_fts MATCH ?').pluck().get(expr) as number
    return this.prep('SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ?)').pluck().get(expr, cap) as number
  }

  /** Papers matching a browse's filters: a scan of the narrow covering index rather than of the wide rows. */
  private browseCount(plan: Plan, covering: boolean): number {
    if (!plan.where.length) return this.prep('SELECT count(*) FROM papers').pluck().get() as number
    const from = covering ? `papers p INDEXED BY ${FILTER_INDEX}` : 'papers p'
    return this.prep(`SELECT count(*) FROM ${from} WHERE ${plan.where.join(' AND ')}`).pluck().get(...plan.params) as number
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
    let cte = plan.hasText ? this.hitsCte(plan, sort === 'relevance') : ''
    let from = plan.from
    let order = `${key} ${dir}, p.id ${dir}`
    const args = [...plan.cteParams]
    if (this.tierable(plan, sort, dir.toLowerCase()) && this.broad(plan)) {
      // The order of the tiered pages (see `tiered`).
      cte += `, k AS MATERIALIZED (SELECT rowid AS id, rank AS score FROM search_fts WHERE search_fts MATCH ?) `
      args.push(plan.compiled.keyMatch)
      from += ' LEFT JOIN k ON k.id = r.id'
      order = 'k.id IS NULL, coalesce(k.score, r.score), p.id'
    }
    const ids = this.prep(`${cte}SELECT p.id FROM ${from} ${whereSql} ORDER BY ${order} LIMIT ?`)
      .pluck()
      .all(...args, ...plan.params, max + 1) as number[]
    const truncated = ids.length > max
    if (truncated) ids.pop()
    return { ids, truncated }
  }

  private hydrate(ids: number[], scores: Map<number, number | null>, plan: Plan, withSnippets: boolean): SearchHit[] {
    if (!ids.length) return []
    const rows = this.prep(
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

  /**
   * For hits whose match is in an attachment: the page with the most matches, cut into a snippet. A paper of
   * up to SCAN_PAGES pages is read and matched in JS (~0.1 ms); the index is asked only for longer ones,
   * confined to the paper's rowid runs and unranked: FTS5 needs ~2.5 ms even for such a range query on a broad
   * word, and rank (bm25) adds a pass over the word's pages across the whole table for its IDF (4–13 ms a call).
   */
  private fulltextSnippets(hits: SearchHit[], ids: number[], terms: HighlightTerm[]): void {
    const parts: string[] = []
    for (const t of terms) {
      if (t.field && t.field !== 'fulltext') continue
      if (t.kind === 'word') parts.push(`{body}: ${ftsString(t.text)}${t.prefix ? '*' : ''}`)
      else parts.push(`{body_cjk}: ${ftsString(queryBigrams(t.text).join(' '))}`)
    }
    if (!parts.length) return
    const expr = parts.join(' OR ')
    const runs = this.prep('SELECT min(id) AS lo, max(id) AS hi FROM search_ft_pages WHERE paper_id = ? GROUP BY attachment_id')
    const pageSql = `SELECT fp.attachment_id AS attachmentId, fp.page AS page, ap.text AS text FROM search_ft_pages fp
      JOIN attachment_pages ap ON ap.attachment_id = fp.attachment_id AND ap.page = fp.page`
    const allPages = this.prep(`${pageSql} WHERE fp.paper_id = ? ORDER BY fp.id`)
    const pageOf = this.prep(`${pageSql} WHERE fp.id = ? AND fp.paper_id = ?`)
    const pagesIn = this.prep(`SELECT rowid FROM search_fulltext WHERE search_fulltext MATCH ? AND rowid BETWEEN ? AND ? LIMIT ${SNIPPET_PAGES}`).pluck()
    type Page = { attachmentId: number; page: number; text: string }
    const wanted = new Set(ids)
    for (const h of hits) {
      if (!wanted.has(h.id) || h.snippet) continue
      let best: { p: Page; n: number } | undefined
      try {
        const rs = runs.all(h.id) as { lo: number; hi: number }[]
        const pages =
          rs.reduce((n, r) => n + r.hi - r.lo + 1, 0) <= SCAN_PAGES
            ? (allPages.all(h.id) as Page[])
            : rs.flatMap((r) => (pagesIn.all(expr, r.lo, r.hi) as number[]).map((rid) => pageOf.get(rid, h.id) as Page | undefined).filter((p) => p !== undefined))
        for (const p of pages) {
          const n = matchRanges(p.text, terms, 'fulltext').length
          if (n && (!best || n > best.n)) best = { p, n }
        }
      } catch {
        return
      }
      const s = best ? snippet(best.p.text, terms, 'fulltext') : null
      if (best && s) h.snippet = { field: 'fulltext', page: best.p.page, attachmentId: best.p.attachmentId, text: s.text }
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
      const rows = this.prep(
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
        const titles = this.prep(`SELECT p.title FROM (SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ? LIMIT ?) m JOIN papers p ON p.id = m.id`)
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
        this.prep(`SELECT label AS value, n AS count FROM search_suggest WHERE kind = ? AND norm >= ? AND norm < ? ORDER BY n DESC, label LIMIT ?`)
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
