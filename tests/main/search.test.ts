import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HL_END, HL_START, type SearchQuery } from '../../src/shared/contract'
import { parseQuery, describe as describeAst } from '../../src/main/search/parser'
import type { SearchService } from '../../src/main/search/service'
import { startTestApp, type TestApp } from '../helpers/app'
import { collection, seed } from './search-helpers'

let t: TestApp
let s: SearchService
let ids: number[]
let coll: { parent: number; child: number }

const titles = (q: SearchQuery | string) => s.query(typeof q === 'string' ? { q } : (q as never)).items.map((h) => h.title).sort()

beforeAll(async () => {
  t = await startTestApp({ config: { search: { background: false } } })
  s = t.app.services!.search
  const db = t.app.services!.db.sqlite
  const parent = collection(db, 'Thesis')
  const child = collection(db, 'Chapter 2', parent)
  coll = { parent, child }
  ids = seed(db, [
    { title: 'Deep learning for cats', abstract: 'We study deep neural networks on cat pictures.', authors: [['Smith', 'John'], ['Lee', 'Ann']], tags: ['ml', 'vision'], venue: 'Nature', year: 2020, rating: 4, status: 'reading', collections: [child], pages: ['page one about transformers', 'page two about zebras and giraffes'] },
    { title: 'Protein folding with graphs', abstract: 'Graph networks predict protein structure.', authors: [['Müller', 'Eva']], tags: ['biology'], venue: 'Science', year: 2018, rating: 2, status: 'completed', notes: 'cite in chapter three', collections: [parent] },
    { title: 'A survey of reinforcement learning', abstract: 'Policies, rewards and agents.', authors: [['Garcia', 'Ana'], ['Smith', 'Jane']], tags: ['ml'], venue: 'Nature Reviews', year: 2015, status: 'unread' },
    { title: '深層学習による画像認識', abstract: '本研究では畳み込みニューラルネットワークを用いる。', authors: [['田中', '太郎']], venue: '情報処理学会論文誌', year: 2021, rating: 5 },
    { title: '基于深度学习的图像识别', abstract: '我们提出一种新方法。', authors: [['王', '伟']], year: 2019 },
    { title: '서울대학교 인공지능 연구', abstract: '딥러닝 모델을 연구한 결과입니다.', authors: [['김', '철수']], year: 2022, tags: ['한국어'] },
    { title: 'Café culture and naïve models', abstract: 'Diacritics should not matter.', authors: [['Søren', 'K']], year: 2010, rating: 3 },
  ])
  s.drain()
})
afterAll(() => t.close())

describe('query parser', () => {
  it('parses operators, fields and ranges', () => {
    const p = parseQuery('deep learn* "neural net" cats OR dogs -survey NOT graph author:smith year:2019..2023 rating:>=4 status:done')
    expect(p.error).toBeNull()
    expect(describeAst(p.ast)).toBe('deep learn* "neural net" (cats OR dogs) NOT survey NOT graph author:smith year:2019..2023 rating:4.. status:completed')
  })
  it('fixes up unbalanced quotes and parentheses with warnings', () => {
    const p = parseQuery('"deep learning (cats')
    expect(p.error).toBeNull()
    expect(p.warnings[0].message).toMatch(/quote/)
    const q = parseQuery('(cats OR dogs')
    expect(describeAst(q.ast)).toBe('cats OR dogs')
    expect(q.warnings[0].message).toMatch(/parenthesis/)
    expect(parseQuery('cats ) OR').warnings.length).toBe(2)
  })
  it('reports bad structured values with a position', () => {
    expect(parseQuery('deep year:abc').error).toEqual({ message: expect.stringContaining('year:'), position: 10 })
    expect(parseQuery('rating:9').error?.message).toMatch(/out of range/)
    expect(parseQuery('status:maybe').error?.message).toMatch(/unread, reading, completed/)
    expect(parseQuery('year:2023..2019').error?.message).toMatch(/empty/)
  })
  it('treats unknown fields and lower-case operators as text', () => {
    expect(describeAst(parseQuery('foo:bar or not').ast)).toBe('foo:bar or not')
  })
})

describe('search', () => {
  it('words, prefixes, phrases, diacritics', () => {
    expect(titles('deep')).toEqual(['Deep learning for cats'])
    expect(titles('learn*')).toEqual(['A survey of reinforcement learning', 'Deep learning for cats'])
    expect(titles('"neural networks"')).toEqual(['Deep learning for cats'])
    expect(titles('"networks neural"')).toEqual([])
    expect(titles('cafe naive')).toEqual(['Café culture and naïve models'])
  })
  it('OR, NOT, -, parentheses and precedence', () => {
    expect(titles('cats OR protein')).toEqual(['Deep learning for cats', 'Protein folding with graphs'])
    expect(titles('learning -survey')).toEqual(['Deep learning for cats'])
    expect(titles('learning NOT cats')).toEqual(['A survey of reinforcement learning'])
    expect(titles('NOT learning')).toHaveLength(5)
    expect(titles('(cats OR survey) learning')).toEqual(['A survey of reinforcement learning', 'Deep learning for cats'])
    expect(titles('cats OR survey learning')).toEqual(titles('(cats OR survey) learning'))
  })
  it('fields: author, tag, journal, title, abstract, notes, text', () => {
    expect(titles('author:smith')).toEqual(['A survey of reinforcement learning', 'Deep learning for cats'])
    expect(titles('author:muller')).toEqual(['Protein folding with graphs'])
    expect(titles('tag:ml')).toEqual(['A survey of reinforcement learning', 'Deep learning for cats'])
    expect(titles('journal:nature')).toEqual(['A survey of reinforcement learning', 'Deep learning for cats'])
    expect(titles('journal:"nature reviews"')).toEqual(['A survey of reinforcement learning'])
    expect(titles('title:graphs')).toEqual(['Protein folding with graphs'])
    expect(titles('abstract:graph')).toEqual(['Protein folding with graphs'])
    expect(titles('abstract:graphs')).toEqual([])
    expect(titles('notes:chapter')).toEqual(['Protein folding with graphs'])
    expect(titles('text:zebras')).toEqual(['Deep learning for cats'])
    expect(titles('author:(smith OR garcia) -cats')).toEqual(['A survey of reinforcement learning'])
  })
  it('year, rating and status, alone and mixed with text and OR', () => {
    expect(titles('year:2019..2021')).toHaveLength(3)
    expect(titles('year:>=2021')).toEqual(['서울대학교 인공지능 연구', '深層学習による画像認識'].sort())
    expect(titles('year:<2015')).toEqual(['Café culture and naïve models'])
    expect(titles('rating:>=4')).toEqual(['Deep learning for cats', '深層学習による画像認識'])
    expect(titles('rating:none')).toHaveLength(3)
    expect(titles('status:completed')).toEqual(['Protein folding with graphs'])
    expect(titles('learning status:unread')).toEqual(['A survey of reinforcement learning'])
    expect(titles('status:unread OR status:reading learning')).toEqual(['A survey of reinforcement learning', 'Deep learning for cats'])
    expect(titles('cats OR rating:2')).toEqual(['Deep learning for cats', 'Protein folding with graphs'])
    expect(titles('-status:unread -status:reading')).toEqual(['Protein folding with graphs'])
  })
  it('filters, each and combined', () => {
    const f = (filters: object, q = '') => titles({ q, filters } as SearchQuery)
    expect(f({ ratingMin: 3, ratingMax: 4 })).toEqual(['Café culture and naïve models', 'Deep learning for cats'])
    expect(f({ unrated: true })).toHaveLength(3)
    expect(f({ tags: ['ml', 'vision'], tagMode: 'all' })).toEqual(['Deep learning for cats'])
    expect(f({ tags: ['ML', 'biology'], tagMode: 'any' })).toHaveLength(3)
    expect(f({ yearFrom: 2018, yearTo: 2020 })).toHaveLength(3)
    expect(f({ addedFrom: 1_700_000_001_000, addedTo: 1_700_000_002_000 })).toEqual(['A survey of reinforcement learning', 'Protein folding with graphs'])
    expect(f({ journals: ['nature'] })).toEqual(['Deep learning for cats'])
    expect(f({ authors: ['smith'] })).toHaveLength(2)
    expect(f({ statuses: ['reading', 'completed'] })).toHaveLength(2)
    expect(f({ collectionId: coll.parent })).toEqual(['Deep learning for cats', 'Protein folding with graphs'])
    expect(f({ collectionId: coll.parent, subcollections: false })).toEqual(['Protein folding with graphs'])
    expect(f({ hasAttachment: true })).toEqual(['Deep learning for cats'])
    expect(f({ tags: ['ml'], yearFrom: 2016, ratingMin: 4, statuses: ['reading'], authors: ['Lee'] }, 'deep')).toEqual(['Deep learning for cats'])
    expect(f({ tags: ['ml'], yearFrom: 2016 }, 'survey')).toEqual([])
  })
  it('CJK substrings of 2 and 3+ characters (Japanese, Chinese, Korean)', () => {
    expect(titles('学習')).toEqual(['基于深度学习的图像识别'.includes('学習') ? '' : '深層学習による画像認識'].filter(Boolean))
    expect(titles('層学')).toEqual(['深層学習による画像認識'])
    expect(titles('画像認識')).toEqual(['深層学習による画像認識'])
    expect(titles('ニューラル')).toEqual(['深層学習による画像認識'])
    expect(titles('学习')).toEqual(['基于深度学习的图像识别'])
    expect(titles('度学习的')).toEqual(['基于深度学习的图像识别'])
    expect(titles('대학')).toEqual(['서울대학교 인공지능 연구'])
    expect(titles('러닝')).toEqual(['서울대학교 인공지능 연구'])
    expect(titles('대학교 인공')).toEqual(['서울대학교 인공지능 연구'])
    expect(titles('学認')).toEqual([])
    expect(titles('author:田中')).toEqual(['深層学習による画像認識'])
    expect(titles('tag:한국')).toEqual(['서울대학교 인공지능 연구'])
    expect(titles('journal:情報')).toEqual(['深層学習による画像認識'])
    const hit = s.query({ q: '대학' } as never).items[0]
    expect(hit.titleHl).toBe(`서울${HL_START}대학${HL_END}교 인공지능 연구`)
  })
  it('snippets: title highlights, abstract, notes and full-text page', () => {
    const [hit] = s.query({ q: 'neural' } as never).items
    expect(hit.snippet).toEqual({ field: 'abstract', page: null, attachmentId: null, text: `We study deep ${HL_START}neural${HL_END} networks on cat pictures.` })
    expect(s.query({ q: 'deep' } as never).items[0].titleHl).toBe(`${HL_START}Deep${HL_END} learning for cats`)
    expect(s.query({ q: 'chapter' } as never).items[0].snippet?.field).toBe('notes')
    const ft = s.query({ q: 'giraffes', scope: 'all' } as never)
    expect(ft.items.map((h) => h.title)).toEqual(['Deep learning for cats'])
    expect(ft.items[0].snippet).toMatchObject({ field: 'fulltext', page: 2, text: `page two about zebras and ${HL_START}giraffes${HL_END}` })
    expect(s.query({ q: 'giraffes' } as never).items).toEqual([]) // metadata scope by default
  })
  it('sorts and paginates with keyset cursors and offsets', () => {
    const all = s.query({ q: '', sort: 'year', limit: 100 } as never).items.map((h) => h.year)
    expect(all).toEqual([...all].sort((a, b) => (b ?? 0) - (a ?? 0)))
    for (const sort of ['year', 'added', 'rating', 'title'] as const)
      for (const dir of ['asc', 'desc'] as const) {
        const full = s.query({ q: '', sort, dir, limit: 100 } as never).items.map((h) => h.id)
        const paged: number[] = []
        let cursor: string | undefined
        do {
          const r = s.query({ q: '', sort, dir, limit: 2, cursor } as never)
          paged.push(...r.items.map((h) => h.id))
          cursor = r.nextCursor ?? undefined
        } while (cursor)
        expect(paged).toEqual(full)
        expect(s.query({ q: '', sort, dir, limit: 2, offset: 2 } as never).items.map((h) => h.id)).toEqual(full.slice(2, 4))
      }
    const rel = s.query({ q: 'learning', limit: 1 } as never)
    expect(rel.total).toBe(2)
    const p2 = s.query({ q: 'learning', limit: 1, cursor: rel.nextCursor! } as never)
    expect([rel.items[0].id, p2.items[0].id].sort()).toEqual([ids[0], ids[2]].sort())
    expect(p2.nextCursor).toBeNull()
    expect(rel.items[0].score).toBeLessThan(0)
    expect(titles({ q: '', sort: 'title', dir: 'asc', limit: 1 } as never)).toEqual(['A survey of reinforcement learning'])
  })
  it('suggests authors, tags, journals, titles and fields as you type', () => {
    expect(s.suggest('smi').map((x) => [x.kind, x.label, x.count])).toContainEqual(['author', 'Smith, John', 1])
    expect(s.suggest('author:gar')[0]).toMatchObject({ kind: 'author', query: 'author:Garcia ' })
    expect(s.suggest('deep tag:vi')[0]).toMatchObject({ kind: 'tag', label: 'vision', query: 'deep tag:vision ' })
    expect(s.suggest('journal:natu').map((x) => x.label)).toEqual(['Nature', 'Nature Reviews'])
    expect(s.suggest('prot').some((x) => x.kind === 'title' && x.label === 'Protein folding with graphs')).toBe(true)
    expect(s.suggest('aut').some((x) => x.kind === 'field' && x.label === 'author:')).toBe(true)
    expect(s.suggest('')).toEqual([])
  })
  it('follows edits, deletes and tag renames through the triggers', () => {
    const db = t.app.services!.db.sqlite
    db.prepare(`UPDATE papers SET title = 'Deep learning for dogs' WHERE id = ?`).run(ids[0])
    expect(titles('dogs')).toEqual(['Deep learning for dogs'])
    expect(titles('cats')).toEqual([]) // abstract still says "cat", not "cats"
    db.prepare(`UPDATE tags SET name = 'machine-learning' WHERE name = 'ml'`).run()
    expect(titles('tag:machine')).toHaveLength(2)
    const id = seed(db, [{ title: 'Temporary zebra paper' }])[0]
    expect(titles('zebra')).toEqual(['Temporary zebra paper'])
    db.prepare('DELETE FROM papers WHERE id = ?').run(id)
    expect(titles('zebra')).toEqual([])
  })
  it('returns problems instead of failing, and validates input at the router', async () => {
    const r = s.query({ q: 'rating:7' } as never)
    expect(r.error?.message).toMatch(/rating/)
    expect(r.items).toEqual([])
    const weird = s.query({ q: '"" * ( ) OR NOT - "a"b' } as never)
    expect(weird.error).toBeNull()
    const bad = await t.app.router.invoke('search.query', { q: 'x', limit: 5000 }, { transport: 'internal' })
    expect(bad.ok).toBe(false)
    const ok = await t.app.router.invoke('search.query', { q: 'deep OR dogs', filters: { yearFrom: 2000 } }, { transport: 'internal' })
    expect(ok.ok).toBe(true)
    const counted = await t.app.router.invoke('search.count', { q: 'deep OR dogs', filters: { yearFrom: 2000 } }, { transport: 'internal' })
    expect(counted).toEqual({ ok: true, data: { total: (ok as { data: { total: number } }).data.total } })
    expect((await t.app.router.invoke('search.count', { q: 'x', limit: 5 }, { transport: 'internal' })).ok).toBe(false) // strict input
    // the rating error above counts nothing
    expect(s.count({ q: 'rating:7' })).toBe(0)
  })
})

describe('full-text index', () => {
  it('resumes after a restart and can be rebuilt', async () => {
    const tt = await startTestApp({ config: { search: { background: false } } })
    const db = tt.app.services!.db.sqlite
    seed(db, Array.from({ length: 30 }, (_, i) => ({ title: `Paper ${i}`, pages: [`alpha page of ${i}`, `omega text ${i}`] })))
    const svc = tt.app.services!.search
    svc.indexer.flushPapers(10_000)
    expect(svc.indexer.flushFulltext(0)).toBe(1) // one attachment, then the budget is spent
    expect(svc.status().pendingAttachments).toBe(29)
    const dir = tt.dir
    await tt.app.shutdown()
    // Same data folder: the queue survived.
    const again = await startTestApp({ dir, config: { search: { background: false } } })
    const svc2 = again.app.services!.search
    expect(svc2.status().pendingAttachments).toBe(29)
    svc2.drain()
    expect(svc2.status()).toMatchObject({ pendingAttachments: 0, attachmentsIndexed: 30, pagesIndexed: 60 })
    expect(svc2.query({ q: 'omega', scope: 'all' } as never).total).toBe(30)
    svc2.rebuild({ fulltext: true, metadata: false })
    expect(svc2.status().pendingAttachments).toBe(30)
    svc2.drain()
    expect(svc2.query({ q: 'omega', scope: 'all' } as never).total).toBe(30)
    await again.close()
    const { rmSync } = await import('node:fs')
    rmSync(dir, { recursive: true, force: true })
  })
})
