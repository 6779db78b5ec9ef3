import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportReport, ImportStarted, Paper } from '../../src/shared/contract'
import { jobReport, startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const
const FIX = join(__dirname, '../fixtures/library')
// Real bibliographies shipped by Debian's texlive-bibtex-extra (Nelson Beebe's TeX bibliographies, biblatex's examples).
const TEXMF_BIB = '/usr/share/texlive/texmf-dist/bibtex/bib'
const REAL_BIBS = [`${TEXMF_BIB}/biblatex/biblatex/biblatex-examples.bib`, `${TEXMF_BIB}/beebe/texbook2.bib`, `${TEXMF_BIB}/beebe/typeset.bib`, `${TEXMF_BIB}/beebe/tugboat.bib`]
// In CI nothing may be skipped: .ci/run installs texlive-bibtex-extra, so a missing file is a failure.
if (process.env.CI === 'true' && REAL_BIBS.some((f) => !existsSync(f)))
  throw new Error(`real .bib fixtures missing (apt-get install texlive-bibtex-extra): ${REAL_BIBS.filter((f) => !existsSync(f)).join(', ')}`)

describe('library', () => {
  let t: TestApp
  let events: { name: string; payload: unknown }[]

  beforeEach(async () => {
    t = await startTestApp()
    events = []
    t.app.events.subscribe((name, payload) => events.push({ name, payload }))
  })
  afterEach(() => t.close())

  const lib = () => t.app.services!.library
  async function call<T>(channel: string, input: unknown): Promise<T> {
    const r = await t.app.router.invoke(channel, input, ctx)
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code })
    return r.data as T
  }
  /** Import channels enqueue a job; wait for it and return its report. */
  const imported = (started: ImportStarted): Promise<ImportReport> => jobReport(t, started)
  // Paths count as picked in a native dialog (FileGrants); ungranted paths are tested in files.test.ts.
  const importFile = async (path: string, extra: Record<string, unknown> = {}) => {
    t.app.services!.grants.grantRead([path])
    return imported(await call<ImportStarted>('library.importFile', { path, ...extra }))
  }
  const importText = async (text: string, extra: Record<string, unknown> = {}) => imported(await call<ImportStarted>('library.importText', { text, ...extra }))
  const count = () => (t.app.services!.db.sqlite.prepare('SELECT count(*) FROM papers').pluck().get() as number)

  describe('BibTeX import', () => {
    it.each(REAL_BIBS.filter((f) => existsSync(f)))('imports the real bibliography %s', async (file) => {
      const report = await importFile(file)
      const text = readFileSync(file, 'utf8')
      const declared = (text.match(/^\s*@(?!string|comment|preamble)\w+\s*[{(]/gim) ?? []).length
      expect(report.added + report.duplicates + report.failed).toBeGreaterThanOrEqual(declared * 0.98)
      expect(report.added).toBeGreaterThan(declared * 0.8)
      expect(count()).toBe(report.added)
      for (const f of report.failures) expect(f.reason).toMatch(/\w/)
      // LaTeX became Unicode: no TeX accent commands or math left in titles of the plain-text fast path or the converted ones.
      const titles = t.app.services!.db.sqlite.prepare('SELECT title FROM papers').pluck().all() as string[]
      expect(titles.filter((x) => /\\["'`^~]\{?[a-zA-Z]/.test(x))).toEqual([])
    })

    it('converts LaTeX, parses names, keeps unknown fields, and reports a broken entry without aborting the rest', async () => {
      const report = await importFile(join(FIX, 'partly-broken.bib'))
      expect(report).toMatchObject({ format: 'bibtex', added: 2, failed: 1 })
      expect(report.failures[0]).toMatchObject({ index: 1, key: 'broken1' })
      const [knuth, lamport] = lib().getMany(report.addedIds)
      expect(knuth).toMatchObject({ title: 'Literate Programming', venue: 'The Computer Journal', year: 1984, pages: '97–111', doi: '10.1093/comjnl/27.2.97', citationKey: 'good1' })
      expect(knuth.authors).toEqual([{ family: 'Knuth', given: 'Donald E.' }])
      expect(lamport).toMatchObject({ title: 'The TeXnical side of typesetting', itemType: 'paper-conference', venue: 'Proceedings of Typesetting', date: '1994-05' })
      expect(lamport.authors).toEqual([
        { family: 'Lamport', given: 'Leslie' },
        { family: 'Müller', given: 'Jörg' },
      ])
      expect((lamport.extra.bibtex as { fields: Record<string, string> }).fields.customfield).toBe('kept \\verb|as is| {verbatim}')
      expect(events.some((e) => e.name === 'library.changed' && (e.payload as { kind: string }).kind === 'added')).toBe(true)
    })

    it('rejects a file that is not BibTeX with a clear error and writes nothing', async () => {
      await expect(importFile(join(FIX, 'malformed.bib'))).rejects.toMatchObject({ message: expect.stringMatching(/not .*BibTeX|no BibTeX entries/i) })
      expect(count()).toBe(0)
      await expect(importText('\u0000\u0001binary', { name: 'x.bib' })).rejects.toMatchObject({ message: expect.stringMatching(/binary/) })
      await expect(importFile(join(FIX, 'does-not-exist.bib'))).rejects.toMatchObject({ message: expect.stringMatching(/does not exist/) })
      expect(count()).toBe(0)
    })

    it('detects duplicates within a file and against the library (DOI, arXiv id, title + year + first author)', async () => {
      const bib = `
@article{a, author={Doe, Jane}, title={A Study of Things}, year=2020, doi={10.1000/ABC}}
@article{b, author={Roe, R.}, title={Other}, year=2020, doi={https://doi.org/10.1000/abc}}
@article{c, author={Jane Doe}, title={A study of things!}, year=2020}
@misc{d, author={X, Y}, title={Preprint}, eprint={2101.00001}, archiveprefix={arXiv}}
@misc{e, author={Z, Q}, title={Preprint v2}, url={https://arxiv.org/abs/2101.00001v2}}`
      const first = await importText(bib, { name: 'dups.bib' })
      expect(first).toMatchObject({ added: 2, duplicates: 3 })
      expect(first.duplicateItems.map((d) => d.key)).toEqual(['b', 'c', 'e'])
      expect(first.duplicateItems[0].reason).toMatch(/DOI/)
      expect(first.duplicateItems[1].reason).toMatch(/title/)
      expect(first.duplicateItems[2].reason).toMatch(/arXiv/)
      const again = await importText(bib, { name: 'dups.bib' })
      expect(again).toMatchObject({ added: 0, duplicates: 5 })
    })

    it('round-trips its own import losslessly through BibTeX export', async () => {
      const files = [join(FIX, 'partly-broken.bib'), ...REAL_BIBS.slice(0, 3).filter((f) => existsSync(f))]
      for (const f of files) await importFile(f)
      const before = lib().getMany(t.app.services!.db.sqlite.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as number[])
      const exported = await call<{ content: string; count: number }>('library.export', { format: 'bibtex' })
      expect(exported.count).toBe(before.length)

      const t2 = await startTestApp()
      try {
        const started = await t2.app.services!.library.importFile({ text: exported.content, name: 'roundtrip.bib' })
        const s = started.report ?? ((await t2.app.services!.jobs.waitFor(started.jobId!)).result as ImportReport)
        expect(s.failed).toBe(0)
        const after = t2.app.services!.library.getMany(t2.app.services!.db.sqlite.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as number[])
        // Everything the user sees, and every unknown field, is identical. (Only the raw-source cache in extra.bibtex.raw/sig may
        // differ, e.g. when the tag table spells a keyword with another case.)
        const strip = (p: Paper) => {
          const bib = p.extra.bibtex as { raw?: unknown; sig?: unknown } | undefined
          return { ...p, id: 0, addedAt: 0, modifiedAt: 0, extra: { ...p.extra, bibtex: bib ? { ...bib, raw: undefined, sig: undefined } : undefined } }
        }
        expect(after.length).toBe(before.length)
        for (let i = 0; i < before.length; i++) expect(strip(after[i])).toEqual(strip(before[i]))
      } finally {
        await t2.close()
      }
    })
  })

  describe('RIS and CSL-JSON', () => {
    it('imports RIS with citation-js, reporting the empty record', async () => {
      const r = await importFile(join(FIX, 'sample.ris'))
      expect(r).toMatchObject({ format: 'ris', added: 2, failed: 1 })
      const [dna, book] = lib().getMany(r.addedIds)
      expect(dna).toMatchObject({ title: expect.stringMatching(/^Molecular structure/), venue: 'Nature', year: 1953, date: '1953-04-25', doi: '10.1038/171737a0', volume: '171', issue: '4356' })
      expect(dna.authors[0]).toEqual({ family: 'Watson', given: 'J. D.' })
      expect(dna.tags).toEqual(['DNA', 'structure'])
      expect(book).toMatchObject({ itemType: 'book', title: 'The TeXbook', publisher: 'Addison-Wesley', year: 1984 })
    })

    it('imports CSL-JSON and reports items that are not objects', async () => {
      const r = await importFile(join(FIX, 'sample.csl.json'))
      expect(r).toMatchObject({ format: 'csl-json', added: 2, failed: 1 })
      expect(r.failures[0].index).toBe(1)
      const [e] = lib().getMany(r.addedIds)
      expect(e).toMatchObject({ title: 'Zur Elektrodynamik bewegter Körper', language: 'de', citationKey: 'einstein1905', year: 1905 })
      await expect(importText('{"not": "csl"', { name: 'x.json' })).rejects.toMatchObject({ message: expect.stringMatching(/not valid JSON/) })
      await expect(importText('TY  nothing', { format: 'ris' })).rejects.toMatchObject({ message: expect.stringMatching(/not a RIS file/) })
    })
  })

  describe('editing', () => {
    it('edits metadata and evaluation, enforces DOI uniqueness, bulk-updates a selection, and emits library.changed', async () => {
      const a = await call<Paper>('library.create', { title: 'Paper A', authors: [{ family: 'Ng', given: 'A.' }], doi: '10.5555/A', year: 2019 })
      const b = await call<Paper>('library.create', { title: 'Paper B' })
      const coll = await call<{ id: number }>('library.collectionCreate', { name: 'Thesis' })
      const sub = await call<{ id: number; parentId: number }>('library.collectionCreate', { name: 'Chapter 1', parentId: coll.id })
      expect(sub.parentId).toBe(coll.id)
      const edited = await call<Paper>('library.update', {
        id: a.id,
        patch: { rating: 5, notes: 'Key paper', readingStatus: 'completed', tags: ['ml', 'Core'], collectionIds: [sub.id], highlights: [{ page: 2, text: 'important' }] },
      })
      expect(edited).toMatchObject({ rating: 5, notes: 'Key paper', readingStatus: 'completed', tags: ['Core', 'ml'], collectionIds: [sub.id] })
      await expect(call('library.update', { id: b.id, patch: { doi: 'https://doi.org/10.5555/a' } })).rejects.toMatchObject({ code: 'CONFLICT' })
      await expect(call('library.update', { id: b.id, patch: { rating: 6 } })).rejects.toMatchObject({ code: 'VALIDATION' })
      await expect(call('library.update', { id: 9999, patch: { rating: 1 } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
      await expect(call('library.collectionUpdate', { id: coll.id, parentId: sub.id })).rejects.toMatchObject({ code: 'VALIDATION' })

      const bulk = await call<{ updated: number }>('library.bulkUpdate', { ids: [a.id, b.id], readingStatus: 'reading', addTags: ['batch'], removeTags: ['ml'], addToCollections: [coll.id] })
      expect(bulk.updated).toBe(2)
      const [a2, b2] = lib().getMany([a.id, b.id])
      expect(a2).toMatchObject({ readingStatus: 'reading', tags: ['batch', 'Core'], collectionIds: [coll.id, sub.id] })
      expect(b2).toMatchObject({ readingStatus: 'reading', tags: ['batch'], collectionIds: [coll.id] })
      expect((await call<{ name: string; count: number }[]>('library.tags', undefined)).map((x) => [x.name, x.count])).toEqual([
        ['batch', 2],
        ['Core', 1],
        ['ml', 0],
      ])
      const changed = events.filter((e) => e.name === 'library.changed').map((e) => e.payload)
      expect(changed).toContainEqual({ kind: 'updated', ids: [a.id, b.id] })
      const saved = await call<{ id: number }>('library.savedSearchSave', { name: 'Unread ML', query: 'tag:ml status:unread', filters: { rating: [4, 5] } })
      expect(await call('library.savedSearches', undefined)).toMatchObject([{ id: saved.id, name: 'Unread ML', filters: { rating: [4, 5] } }])
      expect(await call('library.collectionDelete', { id: coll.id })).toEqual({ deleted: 2 })
      expect(lib().get(a.id).collectionIds).toEqual([])
      expect(await call('library.delete', { ids: [a.id, b.id] })).toEqual({ deleted: 2 })
      expect(count()).toBe(0)
    })
  })

  describe('duplicates and merge', () => {
    it('finds duplicates across the library and merges keeping attachments, tags, notes and collections', async () => {
      const a = lib().create({ title: 'Deep Learning', authors: [{ family: 'LeCun', given: 'Yann' }], year: 2015, tags: ['dl'], notes: 'first note', rating: 3 })
      const b = lib().create({ title: 'Deep learning.', authors: [{ family: 'Lecun', given: 'Y.' }], year: 2015, doi: '10.1038/nature14539', tags: ['review'], notes: 'second note', readingStatus: 'completed', rating: 5, venue: 'Nature' })
      lib().create({ title: 'Deep learning', authors: [{ family: 'Goodfellow', given: 'Ian' }], year: 2016 })
      const pdf = join(t.dir, 'paper.pdf')
      writeFileSync(pdf, '%PDF-1.4\n% not really parsed\n')
      t.app.services!.grants.grantRead([pdf])
      const att = await call<{ id: number; sha256: string }>('library.attachmentAdd', { paperId: b.id, path: pdf })
      expect(att.sha256).toMatch(/^[0-9a-f]{64}$/)

      const groups = await call<{ reason: string; paperIds: number[] }[]>('library.duplicates', undefined)
      expect(groups).toEqual([{ reason: 'title', key: expect.any(String), paperIds: [a.id, b.id] }])

      const merged = await call<Paper>('library.merge', { keepId: a.id, mergeIds: [b.id] })
      expect(merged).toMatchObject({ id: a.id, doi: '10.1038/nature14539', venue: 'Nature', rating: 5, readingStatus: 'completed', tags: ['dl', 'review'] })
      expect(merged.notes).toBe('first note\n\n---\n\nsecond note')
      expect(merged.attachments.map((x) => x.id)).toEqual([att.id])
      expect(count()).toBe(2)
      expect(await call('library.duplicates', undefined)).toEqual([])
      const stored = (await call<{ path: string }>('library.attachmentPath', { id: att.id })).path
      expect(stored).toBe(join(t.dir, 'library', 'files', att.sha256.slice(0, 2), att.sha256.slice(2)))
      expect(readFileSync(stored, 'utf8')).toBe(readFileSync(pdf, 'utf8'))
      expect(events.some((e) => e.name === 'library.changed' && (e.payload as { kind: string }).kind === 'merged')).toBe(true)
    })
  })

  describe('export', () => {
    it('exports selected papers to RIS, CSL-JSON, and APA / IEEE / Chicago / Vancouver citations, and to a file', async () => {
      const p = lib().create({
        itemType: 'article-journal',
        title: 'A study of things',
        authors: [
          { family: 'Smith', given: 'John' },
          { family: 'Müller', given: 'Hans' },
        ],
        venue: 'Journal of Stuff',
        volume: '12',
        issue: '3',
        pages: '1-10',
        date: '2019-05-03',
        doi: '10.1000/xyz',
      })
      lib().create({ title: 'Not exported' })
      const ex = (input: Record<string, unknown>) => call<{ content: string; count: number }>('library.export', { ids: [p.id], ...input })
      expect((await ex({ format: 'ris' })).content).toMatch(/TY {2}- JOUR[\s\S]*AU {2}- Smith, John[\s\S]*DO {2}- 10.1000\/xyz/)
      expect(JSON.parse((await ex({ format: 'csl-json' })).content)).toMatchObject([{ type: 'article-journal', title: 'A study of things', DOI: '10.1000/xyz', issued: { 'date-parts': [[2019, 5, 3]] } }])
      expect((await ex({ format: 'citation', style: 'apa' })).content.trim()).toBe('Smith, J., & Müller, H. (2019). A study of things. Journal of Stuff, 12(3), 1–10. https://doi.org/10.1000/xyz')
      expect((await ex({ format: 'citation', style: 'ieee' })).content.trim()).toBe('[1] J. Smith and H. Müller, “A study of things,” Journal of Stuff, vol. 12, no. 3, pp. 1–10, May 2019, doi: 10.1000/xyz.')
      expect((await ex({ format: 'citation', style: 'chicago' })).content.trim()).toBe('Smith, John, and Hans Müller. 2019. “A Study of Things.” Journal of Stuff 12 (3): 1–10. https://doi.org/10.1000/xyz.')
      expect((await ex({ format: 'citation', style: 'vancouver' })).content.trim()).toBe('1. Smith J, Müller H. A study of things. Journal of Stuff. 2019 May 3;12(3):1–10. doi:10.1000/xyz')
      await expect(ex({ format: 'citation' })).rejects.toMatchObject({ code: 'VALIDATION' })
      const file = join(t.dir, 'out', 'refs.bib')
      t.app.services!.grants.grantWrite(file)
      const toFile = await ex({ format: 'bibtex', filePath: file })
      expect(readFileSync(file, 'utf8')).toBe(toFile.content)
      expect(toFile.content).toMatch(/^@article\{smith2019study,/)
      expect(statSync(file).size).toBeGreaterThan(0)
      expect(readdirSync(join(t.dir, 'out'))).toEqual(['refs.bib'])
    })
  })
})
