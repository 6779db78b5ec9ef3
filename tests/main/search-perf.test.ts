// The fast paths of the search: text queries filter and sort their hits on the narrow covering index with
// per-hit probes, browse queries drive from the filter sets — both must give the same answers; full-text
// snippets are confined to the hit's own pages; the ASCII highlighter agrees with the general one; broad
// queries ranked in tiers page and count exactly like one exact ranking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type Database from 'better-sqlite3'
import { HL_END, HL_START, type SearchFilters } from '../../src/shared/contract'
import { matchRanges, type HighlightTerm } from '../../src/main/search/highlight'
import { SearchService as SearchServiceClass, type SearchService } from '../../src/main/search/service'
import { startTestApp, type TestApp } from '../helpers/app'
import { collection, seed, type SeedPaper } from './search-helpers'

let t: TestApp
let s: SearchService
let db: Database.Database
let coll: { parent: number; child: number }

const AUTHORS = ['Smith', 'Müller', 'Lee', 'García']
const TAGS = ['ml', 'bio', 'Vision', 'stats']
const STATUSES = ['unread', 'reading', 'completed'] as const

beforeAll(async () => {
  t = await startTestApp({ config: { search: { background: false } } })
  s = t.app.services!.search
  db = t.app.services!.db.sqlite
  const parent = collection(db, 'Thesis')
  const child = collection(db, 'Chapter 1', parent)
  coll = { parent, child }
  // Every paper says "alpha", so a text query for it and a browse give the same set under any filter.
  const papers: SeedPaper[] = Array.from({ length: 60 }, (_, i) => ({
    title: `Alpha paper ${i} ${i % 2 ? 'beta' : 'gamma'}`,
    abstract: `An alpha study number ${i}${i % 3 ? ' with beta' : ''}.`,
    venue: i % 4 ? 'Nature' : 'Science',
    year: 2000 + (i % 20),
    rating: i % 5 ? (i % 5) : undefined,
    status: STATUSES[i % 3],
    authors: [[AUTHORS[i % 4], 'A'], [AUTHORS[(i + 1) % 4], 'B']],
    tags: i % 6 === 5 ? [] : [TAGS[i % 4], ...(i % 7 === 0 ? [TAGS[(i + 1) % 4]] : [])],
    collections: i % 5 === 0 ? [child] : i % 5 === 1 ? [parent] : [],
  }))
  seed(db, papers)
  // Papers outside every browse below (year 1800, no "alpha"): they make most filters selective.
  seed(db, Array.from({ length: 300 }, (_, i) => ({ title: `Filler ${i}`, year: 1800, status: 'completed' as const, tags: ['ml'], venue: 'Nature' })))
  s.drain()
})
afterAll(() => t.close())

const FILTERS: SearchFilters[] = [
  {},
  { ratingMin: 2, ratingMax: 3 },
  { unrated: true },
  { tags: ['ML'] },
  { tags: ['ml', 'bio'], tagMode: 'any' },
  { tags: ['ml', 'bio'], tagMode: 'all' },
  { tags: ['ml', 'no-such-tag'], tagMode: 'all' },
  { tags: ['no-such-tag'] },
  { yearFrom: 2005, yearTo: 2010 },
  { addedFrom: 1_700_000_010_000, addedTo: 1_700_000_030_000 },
  { journals: ['science'] },
  { authors: ['muller'] },
  { authors: ['MüLLER', 'lee'] },
  { statuses: ['reading', 'completed'] },
  { collectionId: 0 },
  { collectionId: 0, subcollections: false },
  { hasAttachment: false },
  { tags: ['vision', 'stats'], yearFrom: 2003, statuses: ['unread', 'completed'], authors: ['García'] },
]
const withCollection = (f: SearchFilters): SearchFilters => (f.collectionId === 0 ? { ...f, collectionId: coll.parent } : f)

describe('text search path (covering index, per-hit probes) = browse path (filter sets)', () => {
  it('same papers, order and totals for every filter and sort', () => {
    for (const raw of FILTERS)
      for (const sort of ['added', 'title', 'year', 'rating'] as const) {
        const filters = withCollection({ ...raw, yearFrom: raw.yearFrom ?? 1900 })
        const browse = s.query({ q: '', filters, limit: 500, sort } as never)
        const text = s.query({ q: 'alpha', filters, limit: 500, sort } as never)
        const what = `${JSON.stringify(raw)} ${sort}`
        expect(text.items.map((h) => h.id), what).toEqual(browse.items.map((h) => h.id))
        expect(text.total, what).toBe(browse.total)
        expect(browse.total, what).toBe(browse.items.length)
      }
    // Without filters a field sort takes its page straight from the join and counts the MATCH.
    for (const sort of ['added', 'title', 'year', 'rating'] as const)
      for (const dir of ['asc', 'desc'] as const) {
        const browse = s.query({ q: '', filters: { yearFrom: 1900 }, sort, dir, limit: 500 } as never)
        const text = s.query({ q: 'alpha', sort, dir, limit: 500 } as never)
        expect(text.items.map((h) => h.id), sort).toEqual(browse.items.map((h) => h.id))
        expect(text.total, sort).toBe(browse.total)
        const paged: number[] = []
        let cursor: string | undefined
        do {
          const r = s.query({ q: 'alpha', sort, dir, limit: 7, cursor } as never)
          paged.push(...r.items.map((h) => h.id))
          cursor = r.nextCursor ?? undefined
        } while (cursor)
        expect(paged, `${sort} ${dir}`).toEqual(text.items.map((h) => h.id))
        expect(s.query({ q: 'alpha', sort, dir, limit: 7, offset: 14 } as never).items.map((h) => h.id)).toEqual(paged.slice(14, 21))
      }
    // Spot checks that the sets are what they claim.
    expect(s.query({ q: 'alpha', filters: { tags: ['no-such-tag'] }, limit: 500 } as never).total).toBe(0)
    const muller = s.query({ q: 'alpha', filters: { authors: ['muller'] }, limit: 500 } as never)
    expect(muller.total).toBe(0) // family names compare case-insensitively (ASCII), not accent-insensitively
    expect(s.query({ q: 'alpha', filters: { authors: ['MüLLER'] }, limit: 500 } as never).total).toBeGreaterThan(0)
    const all = s.query({ q: 'alpha', filters: { tags: ['ml', 'bio'], tagMode: 'all' }, limit: 500 } as never)
    expect(all.items.every((h) => h.tags.includes('ml') && h.tags.includes('bio'))).toBe(true)
    expect(all.total).toBeGreaterThan(0)
  })

  it('keyset pages of a filtered text query add up to the whole result, for relevance and field sorts', () => {
    const filters: SearchFilters = { statuses: ['unread', 'reading'], yearFrom: 2002 }
    for (const sort of ['relevance', 'year', 'added', 'rating', 'title'] as const) {
      const whole = s.query({ q: 'alpha beta', filters, sort, limit: 500 } as never)
      expect(whole.total).toBe(whole.items.length)
      const paged: number[] = []
      let cursor: string | undefined
      let first = true
      do {
        const r = s.query({ q: 'alpha beta', filters, sort, limit: 3, cursor } as never)
        if (first) expect(r.total).toBe(whole.total)
        else expect(r.total).toBeNull()
        first = false
        paged.push(...r.items.map((h) => h.id))
        cursor = r.nextCursor ?? undefined
      } while (cursor)
      expect(paged, sort).toEqual(whole.items.map((h) => h.id))
      expect(s.query({ q: 'alpha beta', filters, sort, limit: 3, offset: 3 } as never).items.map((h) => h.id)).toEqual(paged.slice(3, 6))
    }
    // ids() (select all / export a result) agrees with the pages.
    for (const sort of ['relevance', 'title', 'year'] as const) {
      const whole = s.query({ q: 'alpha beta', filters, sort, limit: 500 } as never)
      expect(s.ids({ q: 'alpha beta', filters, sort }).ids, sort).toEqual(whole.items.map((h) => h.id))
    }
    // Few hits (< 1 % of the library) sorted by title: sorted directly instead of walking the title index.
    const few = s.query({ q: '"paper 3" OR "paper 1" OR "paper 2"', sort: 'title', dir: 'desc', limit: 2 } as never)
    expect(few.total).toBe(3)
    const rest = s.query({ q: '"paper 3" OR "paper 1" OR "paper 2"', sort: 'title', dir: 'desc', limit: 2, cursor: few.nextCursor! } as never)
    expect([...few.items, ...rest.items].map((h) => h.title)).toEqual(['Alpha paper 3 beta', 'Alpha paper 2 gamma', 'Alpha paper 1 beta'])
    const rel = s.query({ q: 'beta', limit: 500 } as never).items.map((h) => h.score!)
    expect(rel).toEqual([...rel].sort((a, b) => a - b))
  })

  it('pages a filtered browse by title whether many or few papers match', () => {
    for (const filters of [{ yearFrom: 1900 }, { yearFrom: 2005, yearTo: 2005 }, { ratingMin: 4, statuses: ['reading'] }] as SearchFilters[]) {
      const whole = s.query({ q: '', filters, sort: 'title', limit: 500 } as never)
      const titles = whole.items.map((h) => h.title.toLowerCase())
      expect(titles).toEqual([...titles].sort())
      const paged: number[] = []
      let cursor: string | undefined
      do {
        const r = s.query({ q: '', filters, sort: 'title', limit: 2, cursor } as never)
        paged.push(...r.items.map((h) => h.id))
        cursor = r.nextCursor ?? undefined
      } while (cursor)
      expect(paged, JSON.stringify(filters)).toEqual(whole.items.map((h) => h.id))
      expect(s.query({ q: '', filters, sort: 'title', limit: 2, offset: 1 } as never).items.map((h) => h.id)).toEqual(paged.slice(1, 3))
    }
  })

  it('filters text hits on the narrow covering index, never by scanning papers', () => {
    const seen: string[] = []
    const prepare = db.prepare.bind(db)
    const spy = (sql: string) => {
      seen.push(sql)
      return prepare(sql)
    }
    ;(db as unknown as { prepare: typeof spy }).prepare = spy
    try {
      s.query({ q: 'alpha', filters: { yearFrom: 2001, ratingMin: 2, statuses: ['reading'], journals: ['Nature'], tags: ['bio'] }, limit: 7 } as never)
      s.query({ q: 'alpha', filters: { yearFrom: 2001, statuses: ['reading'] }, sort: 'rating', limit: 7 } as never)
    } finally {
      ;(db as unknown as { prepare: typeof prepare }).prepare = prepare
    }
    const planOf = (sql: string) => {
      const params = (sql.match(/\?/g) ?? []).map(() => 1)
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail)
    }
    const sql = seen.find((q) => q.includes('MATCH') && q.includes('h AS MATERIALIZED'))
    expect(sql).toBeDefined()
    const plan = planOf(sql!)
    expect(plan.join('\n')).toMatch(/SEARCH p USING COVERING INDEX search_papers_filter_idx \(id=\?/)
    expect(plan.some((d) => /^SCAN p\b/.test(d))).toBe(false)
    // Many hits sorted by a field: the field's index is walked in order (no sort of all hits), hits tested by IN.
    const walk = seen.find((q) => q.includes('MATCH') && q.includes('INDEXED BY search_papers_rating_idx'))
    expect(walk).toBeDefined()
    const walkPlan = planOf(walk!).join('\n')
    expect(walkPlan).toMatch(/SCAN p USING INDEX search_papers_rating_idx/)
    expect(walkPlan).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
  })
})

describe('full-text snippets', () => {
  it('come from the best page of the hit’s own attachments, not from better pages of other papers', () => {
    const [a, b] = seed(db, [
      { title: 'Paper with two PDFs', year: 1990, pages: ['nothing here', 'still nothing'] },
      { title: 'Paper full of quokkas', year: 1991, pages: ['quokka quokka quokka quokka', 'quokka quokka'] },
    ])
    // A second attachment on the first paper, its second page mentions the word once.
    const att = Number(
      db
        .prepare(`INSERT INTO attachments(paper_id, sha256, mime, size, original_name, text_state, page_count, added_at) VALUES (?, 'sha-2nd', 'application/pdf', 1, 'b.pdf', 'pending', 2, 0)`)
        .run(a).lastInsertRowid,
    )
    db.prepare('INSERT INTO attachment_pages(attachment_id, page, text) VALUES (?, 1, ?), (?, 2, ?)').run(att, 'an unrelated page', att, 'a lone quokka on page two of the appendix')
    db.prepare(`UPDATE attachments SET text_state = 'done' WHERE id = ?`).run(att)
    s.drain()
    const r = s.query({ q: 'quokka', scope: 'all', filters: { yearTo: 1990 } } as never)
    expect(r.items.map((h) => h.id)).toEqual([a])
    expect(r.items[0].snippet).toEqual({ field: 'fulltext', page: 2, attachmentId: att, text: `a lone ${HL_START}quokka${HL_END} on page two of the appendix` })
    const both = s.query({ q: 'quokka', scope: 'all' } as never)
    expect(both.items.map((h) => h.id)).toEqual([b, a])
    expect(both.items[0].snippet).toMatchObject({ field: 'fulltext', page: 1 })
  })
})

describe('highlighting', () => {
  it('the ASCII fast path finds the same ranges as the general tokenizer', () => {
    const terms: HighlightTerm[] = [
      { kind: 'word', text: 'Net', prefix: true, field: null },
      { kind: 'word', text: 'model', prefix: false, field: null },
      { kind: 'word', text: 'x2', prefix: false, field: null },
      { kind: 'word', text: 'café', prefix: false, field: null },
      { kind: 'word', text: 'title', prefix: false, field: 'title' },
    ]
    const ascii = 'NETWORKS of models, a Model_x2 model; subnet net2 X2 x22 modeling (model) cafe title'
    // The same text with one non-ASCII character at the end takes the general path.
    const general = `${ascii} é`
    expect(matchRanges(ascii, terms, 'abstract')).toEqual(matchRanges(general, terms, 'abstract'))
    const words = matchRanges(ascii, terms, 'abstract').map(([a, b]) => ascii.slice(a, b))
    expect(words).toEqual(['NETWORKS', 'Model', 'x2', 'model', 'net2', 'X2', 'model', 'cafe'])
    expect(matchRanges(ascii, terms, 'title').map(([a, b]) => ascii.slice(a, b))).toContain('title')
  })
})

describe('broad queries ranked in tiers (key-field hits first)', () => {
  let tt: TestApp
  let tdb: Database.Database
  let tiered: SearchService
  const services: SearchService[] = []
  const noop = () => {}
  const logger = { info: noop, warn: noop, error: noop, debug: noop, child: () => logger }
  /** Another service on the same library with its own thresholds (Infinity: one exact bm25 ranking). */
  const withThreshold = (tierThreshold: number, tierMinKeyHits = 5) => {
    const svc = new SearchServiceClass(tdb, { subscribe: () => noop, emit: noop } as never, logger as never, { background: false, tierThreshold, tierMinKeyHits })
    services.push(svc)
    return svc
  }
  let exact: SearchService
  let tcoll: number
  /** Papers with "alpha" in title, authors or tags: tier 1 of "alpha". */
  const key = new Set<number>()

  beforeAll(async () => {
    tt = await startTestApp({ config: { search: { background: false, tierThreshold: 10, tierMinKeyHits: 5 } } })
    tiered = tt.app.services!.search
    tdb = tt.app.services!.db.sqlite
    tcoll = collection(tdb, 'Reading list')
    // "alpha" in a key field (title, author, tag) for some papers, only in the abstract / notes / venue or
    // only in an attachment for others; "beta" here and there (NOT queries); filter columns vary.
    const papers: SeedPaper[] = Array.from({ length: 90 }, (_, i) => {
      const where = i % 6
      return {
        title: where === 0 ? `Alpha results ${i}` : `Study number ${i}`,
        abstract: `${where === 0 || where === 3 ? 'An alpha alpha analysis' : 'An analysis'} of case ${i}${i % 4 === 0 ? ' with beta' : ''}.`,
        notes: where === 4 ? 'alpha in the notes' : '',
        // Papers 17, 47 and 77 say "alpha" only on an attachment page.
        venue: where === 5 && i % 10 !== 7 ? 'Alpha Letters' : 'Nature',
        authors: [[where === 1 ? 'Alpha' : AUTHORS[i % 4], 'A'], [AUTHORS[(i + 1) % 4], 'B']],
        tags: where === 2 ? ['alpha', TAGS[i % 4]] : [TAGS[i % 4]],
        year: 2000 + (i % 15),
        rating: i % 5 ? i % 5 : undefined,
        status: STATUSES[i % 3],
        collections: i % 3 === 0 ? [tcoll] : [],
        pages: i % 10 === 7 ? ['an attachment page', `alpha on a later page ${i}`] : undefined,
      }
    })
    const ids = seed(tdb, papers)
    ids.forEach((id, i) => [0, 1, 2].includes(i % 6) && key.add(id))
    seed(tdb, Array.from({ length: 40 }, (_, i) => ({ title: `Filler ${i}`, abstract: 'nothing to see', year: 1990 })))
    tiered.drain()
    exact = withThreshold(Infinity)
  })
  afterAll(async () => {
    for (const svc of services) svc.close()
    await tt.close()
  })

  const idsOf = (r: { items: { id: number }[] }) => r.items.map((h) => h.id)

  it('ranks the key-field hits first, each tier by its own bm25, the rest in the exact order', () => {
    const r = tiered.query({ q: 'alpha', limit: 500 } as never)
    const ex = exact.query({ q: 'alpha', limit: 500 } as never)
    expect(r.total).toBe(ex.total)
    expect(r.total).toBe(r.items.length)
    expect(new Set(idsOf(r))).toEqual(new Set(idsOf(ex)))
    const n1 = idsOf(r).filter((id) => key.has(id)).length
    expect(n1).toBe(key.size)
    expect(new Set(idsOf(r).slice(0, n1))).toEqual(key)
    const scores = r.items.map((h) => h.score!)
    for (const part of [scores.slice(0, n1), scores.slice(n1)]) expect(part).toEqual([...part].sort((a, b) => a - b))
    // Tier 2 is ranked by the full bm25: the exact order with the tier-1 papers taken out.
    expect(idsOf(r).slice(n1)).toEqual(idsOf(ex).filter((id) => !key.has(id)))
    expect(idsOf(r)).not.toEqual(idsOf(ex))
  })

  it('pages across the tier boundary with cursors and offsets, every hit exactly once', () => {
    const cases: { q: string; filters?: SearchFilters; scope?: 'all' }[] = [
      { q: 'alpha' },
      { q: 'alpha -beta' },
      { q: 'alpha OR analysis', filters: { statuses: ['unread', 'reading'] } },
      { q: 'alpha', scope: 'all' },
      { q: 'alpha', filters: { yearFrom: 2003, ratingMin: 2 } },
    ]
    for (const c of cases) {
      const what = JSON.stringify(c)
      const whole = tiered.query({ ...c, limit: 500 } as never)
      expect(whole.total, what).toBe(whole.items.length)
      const ex = exact.query({ ...c, limit: 500 } as never)
      expect(whole.total, what).toBe(ex.total)
      expect(new Set(idsOf(whole)), what).toEqual(new Set(idsOf(ex)))
      expect(whole.total! > 10, what).toBe(true)
      for (const limit of [1, 4, 7]) {
        const paged: number[] = []
        let cursor: string | undefined
        let pages = 0
        do {
          const r = tiered.query({ ...c, limit, cursor } as never)
          expect(r.total, what).toBe(pages ? null : whole.total)
          paged.push(...idsOf(r))
          cursor = r.nextCursor ?? undefined
          pages++
        } while (cursor)
        expect(paged, `${what} limit ${limit}`).toEqual(idsOf(whole))
        expect(new Set(paged).size).toBe(paged.length)
        for (let offset = 0; offset < whole.total! + 2; offset += limit)
          expect(idsOf(tiered.query({ ...c, limit, offset } as never)), `${what} offset ${offset}`).toEqual(idsOf(whole).slice(offset, offset + limit))
      }
      // ids() (select all, export) takes the same order; it always includes attachments.
      const all = c.scope ? whole : tiered.query({ ...c, scope: 'all', limit: 500 } as never)
      expect(tiered.ids({ q: c.q, filters: c.filters }).ids, what).toEqual(idsOf(all))
    }
  })

  it('gives the exact total under every filter', () => {
    const filters: SearchFilters[] = [
      {},
      { ratingMin: 2, ratingMax: 3 },
      { unrated: true },
      { tags: ['ML'] },
      { tags: ['ml', 'alpha'], tagMode: 'all' },
      { tags: ['bio', 'alpha'], tagMode: 'any' },
      { yearFrom: 2005, yearTo: 2010 },
      { addedFrom: 1_700_000_010_000, addedTo: 1_700_000_060_000 },
      { journals: ['nature'] },
      { authors: ['smith'] },
      { statuses: ['reading'] },
      { collectionId: 0 },
      { hasAttachment: true },
      { hasAttachment: false },
      { tags: ['stats'], yearFrom: 2002, statuses: ['unread', 'completed'] },
    ]
    for (const raw of filters) {
      const f = raw.collectionId === 0 ? { ...raw, collectionId: tcoll } : raw
      for (const scope of ['metadata', 'all'] as const) {
        const r = tiered.query({ q: 'alpha', filters: f, scope, limit: 500 } as never)
        const ex = exact.query({ q: 'alpha', filters: f, scope, limit: 500 } as never)
        const what = `${JSON.stringify(raw)} ${scope}`
        expect(r.total, what).toBe(ex.total)
        expect(r.total, what).toBe(r.items.length)
        expect(new Set(idsOf(r)), what).toEqual(new Set(idsOf(ex)))
        expect(tiered.query({ q: 'alpha', filters: f, scope, limit: 2 } as never).total, what).toBe(ex.total)
        // asked apart from the first page (search.count), on both the tiered and the exact service
        expect(tiered.count({ q: 'alpha', filters: f, scope }), what).toBe(ex.total)
        expect(exact.count({ q: 'alpha', filters: f, scope }), what).toBe(ex.total)
        expect(tiered.query({ q: 'alpha', filters: f, scope, limit: 2, total: false } as never).total, what).toBeNull()
      }
      // browse (no text)
      expect(exact.count({ q: '', filters: f }), JSON.stringify(raw)).toBe(exact.query({ q: '', filters: f, limit: 1 } as never).total)
    }
    // a query fixed up with warnings counts what its first page shows
    expect(exact.count({ q: 'title:(' })).toBe(exact.query({ q: 'title:(', limit: 1 } as never).total)
  })

  it('keeps one exact ranking at or below the threshold, for field sorts, descending relevance and key-only queries', () => {
    const hits = tdb.prepare('SELECT count(*) FROM search_fts WHERE search_fts MATCH ?').pluck().get('alpha') as number
    const ex = idsOf(exact.query({ q: 'alpha', limit: 500 } as never))
    expect(idsOf(withThreshold(hits).query({ q: 'alpha', limit: 500 } as never))).toEqual(ex)
    expect(idsOf(withThreshold(hits - 1).query({ q: 'alpha', limit: 500 } as never))).toEqual(idsOf(tiered.query({ q: 'alpha', limit: 500 } as never)))
    // Too few key-field hits to fill the first pages: the exact ranking, for pages and ids() alike.
    expect(idsOf(withThreshold(10, key.size).query({ q: 'alpha', limit: 500 } as never))).toEqual(idsOf(tiered.query({ q: 'alpha', limit: 500 } as never)))
    const few = withThreshold(10, key.size + 1)
    expect(idsOf(few.query({ q: 'alpha', limit: 500 } as never))).toEqual(ex)
    expect(few.ids({ q: 'alpha' }).ids).toEqual(exact.ids({ q: 'alpha' }).ids)
    expect(idsOf(tiered.query({ q: 'alpha', dir: 'desc', limit: 500 } as never))).toEqual(idsOf(exact.query({ q: 'alpha', dir: 'desc', limit: 500 } as never)))
    // Every hit is in a key field: nothing to tier.
    expect(idsOf(tiered.query({ q: 'title:alpha OR author:alpha OR tag:alpha', limit: 500 } as never))).toEqual(
      idsOf(exact.query({ q: 'title:alpha OR author:alpha OR tag:alpha', limit: 500 } as never)),
    )
    for (const sort of ['year', 'added', 'rating', 'title'] as const)
      for (const scope of ['metadata', 'all'] as const) {
        const r = tiered.query({ q: 'alpha', sort, scope, limit: 500 } as never)
        expect(idsOf(r), sort).toEqual(idsOf(exact.query({ q: 'alpha', sort, scope, limit: 500 } as never)))
        expect(r.total, sort).toBe(r.items.length)
        // No bm25 for field sorts: the score is only computed for relevance.
        expect(r.items.every((h) => h.score === null)).toBe(true)
      }
    expect(tiered.query({ q: 'alpha', scope: 'all', sort: 'year', limit: 500 } as never).total).toBeGreaterThan(tiered.query({ q: 'alpha', sort: 'year', limit: 500 } as never).total!)
    expect(tiered.query({ q: 'alpha', limit: 5 } as never).items.every((h) => typeof h.score === 'number')).toBe(true)
  })
})
