import { existsSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportReport, ImportStarted } from '../../src/shared/contract'
import { parseBibtex } from '../../src/main/library/import/bibtex'
import { LibraryStore } from '../../src/main/library/store'
import { jobReport, startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const
// Nelson Beebe's TUGboat bibliography as shipped by Debian's texlive-bibtex-extra (see library-macros.test.ts).
const TUGBOAT = '/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib'
if (process.env.CI === 'true' && !existsSync(TUGBOAT)) throw new Error(`real .bib fixture missing: ${TUGBOAT} (apt-get install texlive-bibtex-extra)`)

/**
 * tugboat.bib lists 16 pieces twice, under two citation keys, with the page written two ways. Each pair has
 * the same title, year, author, volume and issue, and pages that overlap once read as numbers:
 * - 11 pieces on the inside back cover (advertisements, announcements): pages "c3--c3" and "Cover 3";
 * - the 1990 membership-list supplement and its index of advertisers: "1--9" / "M-1--M-9" and "10--10" / "M-10--M-10";
 * - two Calendars whose second entry has a mangled range: "504--504" / "505--504" and "276--276" / "276K-276";
 * - the 1987 index of advertisers: "238--252" (the section) and "252--252" (its page).
 * Every other of the 821 entries the old title + year + first author rule flagged is a recurring column
 * ("Calendar", "Greetings from the Editor", "Addresses") from another issue, or pages apart in the same one.
 * [existing entry, entry reported as its duplicate]
 */
const TUGBOAT_DUPLICATES = [
  ['Anonymous:1985:IC', 'Anonymous:TB6-1-cover-3'],
  ['Anonymous:1985:TAM', 'Anonymous:TB6-3-cover-3'],
  ['Anonymous:1986:TJO', 'Anonymous:TB7-3-cover-3'],
  ['Anonymous:1987:IAb', 'Anonymous:TB8-2-252'],
  ['Anonymous:1990:TML', 'Anonymous:TB11-2-M-2'],
  ['Anonymous:1990:IA', 'Anonymous:TB11-2-M'],
  ['Anonymous:1994:C', 'Anonymous:TB15-4-505'],
  ['Anonymous:1998:BSR', 'Anonymous:TB19-2-Cover-3'],
  ['Anonymous:1999:BSRa', 'Anonymous:TB20-1-Cover-3'],
  ['Anonymous:1999:BSRb', 'Anonymous:TB20-2-Cover-3'],
  ['Anonymous:1999:BSRc', 'Anonymous:TB20-3-cover-3'],
  ['Anonymous:2000:BSR', 'Anonymous:TB21-1-Cover-3'],
  ['Anonymous:2001:BSRa', 'Anonymous:TB22-1-cover-3'],
  ['Anonymous:2001:BSRb', 'Anonymous:TB22-3-cover-3'],
  ['Anonymous:2002:BSR', 'Anonymous:TB23-1-cover-3'],
  ['Anonymous:2015:C', 'Anonymous:TB36-3-276K'],
]

describe('duplicates by title, year and first author', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await startTestApp({ config: { maintenance: { scheduled: false } } })
  })
  afterEach(() => t.close())

  const lib = () => t.app.services!.library
  const sqlite = () => t.app.services!.db.sqlite
  const imported = (started: ImportStarted): Promise<ImportReport> => jobReport(t, started)
  async function importText(text: string): Promise<ImportReport> {
    const r = await t.app.router.invoke('library.importText', { text, name: 'dups.bib' }, ctx)
    if (!r.ok) throw new Error(r.error.message)
    return imported(r.data as ImportStarted)
  }
  const keyOf = (id: number) => sqlite().prepare('SELECT citation_key FROM papers WHERE id = ?').pluck().get(id) as string
  const count = () => sqlite().prepare('SELECT count(*) FROM papers').pluck().get() as number

  it.runIf(existsSync(TUGBOAT))('imports the real tugboat.bib reporting only the entries it really lists twice', async () => {
    t.app.services!.grants.grantRead([TUGBOAT])
    const r = await t.app.router.invoke('library.importFile', { path: TUGBOAT }, ctx)
    if (!r.ok) throw new Error(r.error.message)
    const report = await imported(r.data as ImportStarted)
    expect(report).toMatchObject({ added: 4839 - 16, duplicates: 16, failed: 0 })
    expect(report.duplicateItems.map((d) => [keyOf(d.existingId!), d.key])).toEqual(TUGBOAT_DUPLICATES)
    for (const d of report.duplicateItems) expect(d.reason).toBe('Already in the library (same title, year and first author).')
  })

  it.runIf(existsSync(TUGBOAT))('finds the same pairs when the library already holds every tugboat.bib entry', async () => {
    // As if the entries had come in without the import check (created by hand, or edited until they match).
    const store = new LibraryStore(sqlite())
    const { entries } = await parseBibtex(readFileSync(TUGBOAT, 'utf8'))
    store.tx(() => entries.forEach((e) => store.insertPaper(e.input, 0)))
    const groups = lib().duplicates()
    expect(groups.every((g) => g.reason === 'title' && g.paperIds.length === 2)).toBe(true)
    const byFirst = (a: string[], b: string[]) => a[0].localeCompare(b[0])
    expect(groups.map((g) => g.paperIds.map(keyOf)).sort(byFirst)).toEqual([...TUGBOAT_DUPLICATES].sort(byFirst))
  })

  const col = (key: string, fields: string) => `@article{${key}, author = {Price, Barbara}, title = {Greetings from the Editor}, journal = {TUGboat}, year = 1981, ${fields}}\n`

  it('tells recurring columns apart by volume, issue and pages, and still catches the same piece', async () => {
    const r = await importText(
      col('v2', 'volume = 2, number = 1, pages = {43--43}') +
        col('v3', 'volume = 3, number = 1, pages = {43--43}') + // another volume: another paper
        col('v2n2', 'volume = 2, number = 2, pages = {43--43}') + // another issue
        col('v2p54', 'volume = 2, number = 1, pages = {54--54}') + // same issue, pages apart
        col('same', 'volume = 2, number = 1, pages = {43--43}') + // same volume and pages: duplicate
        col('spelt', 'volume = {02}, number = {No. 1}, pages = {43}') + // same numbers written otherwise
        // Missing fields cannot contradict: the same piece from a source that omits volume and issue (a
        // reprint list, a CV) must not become a second paper; merging fills them in.
        col('bare', 'pages = {43--44}') +
        col('nothing', ''),
    )
    expect(r).toMatchObject({ added: 4, duplicates: 4 })
    expect(r.duplicateItems.map((d) => [d.key, keyOf(d.existingId!)])).toEqual([
      ['same', 'v2'],
      ['spelt', 'v2'],
      ['bare', 'v2'],
      ['nothing', 'v2'],
    ])
  })

  it('keeps the DOI and arXiv rules: differing identifiers are different works, the same one is a duplicate whatever else differs', async () => {
    const r = await importText(
      col('a', 'volume = 2, doi = {10.1000/a}') +
        col('b', 'volume = 2, doi = {10.1000/b}') + // same everything, another DOI
        col('c', 'volume = 2') + // no DOI: the same work as a
        `@article{d, author = {Other, O.}, title = {Something else}, year = 1999, volume = 9, doi = {https://doi.org/10.1000/A}}\n` +
        col('e', 'volume = 4, eprint = {2101.00001}, archiveprefix = {arXiv}') +
        col('f', 'volume = 4, eprint = {2101.00002}, archiveprefix = {arXiv}'),
    )
    expect(r).toMatchObject({ added: 4, duplicates: 2 })
    expect(r.duplicateItems.map((d) => [d.key, keyOf(d.existingId!), d.reason])).toEqual([
      ['c', 'a', expect.stringMatching(/title/)],
      ['d', 'a', expect.stringMatching(/DOI/)],
    ])
  })

  it('compares books by ISBN and volume, not by their page counts', async () => {
    const book = (key: string, fields: string) => `@book{${key}, author = {Knuth, Donald}, title = {The {METAFONT}book}, publisher = {Addison-Wesley}, year = 1986, ${fields}}\n`
    const r = await importText(
      book('hard', 'volume = {C}, isbn = {0-201-13445-4}, pages = {xi + 361}') +
        book('count', 'volume = {C}, pages = {361}') + // catalogues count pages differently
        book('isbn13', 'isbn = {978-0-201-13445-9}') + // the same ISBN in 13 digits
        book('other-edition', 'isbn = {0-201-13444-6}') + // another ISBN: another publication, like another DOI
        book('other-volume', 'volume = {E}, isbn = {0-201-13447-0}'),
    )
    expect(r).toMatchObject({ added: 3, duplicates: 2 })
    expect(r.duplicateItems.map((d) => [d.key, keyOf(d.existingId!)])).toEqual([
      ['count', 'hard'],
      ['isbn13', 'hard'],
    ])
  })

  it('groups only matching papers in the library-wide scan and merges them as before', async () => {
    const make = (fields: Record<string, string>) => lib().create({ title: 'Calendar', authors: [{ family: 'Anonymous' }], year: 1994, venue: 'TUGboat', ...fields })
    const v15n1 = make({ volume: '15', issue: '1', pages: '100' })
    const v15n4 = make({ volume: '15', issue: '4', pages: '504' })
    const again = make({ volume: '15', issue: '4', pages: '504–504', notes: 'mine' })
    // Without volume and issue it fits either; it goes with the first paper it matches.
    const bare = make({})
    expect(lib().duplicates()).toEqual([
      { reason: 'title', key: expect.any(String), paperIds: [v15n1.id, bare.id] },
      { reason: 'title', key: expect.any(String), paperIds: [v15n4.id, again.id] },
    ])
    expect(lib().duplicates([again.id])).toEqual([{ reason: 'title', key: expect.any(String), paperIds: [v15n4.id, again.id] }])

    const merged = await lib().merge(bare.id, [v15n1.id])
    expect(merged).toMatchObject({ id: bare.id, volume: '15', issue: '1', pages: '100' })
    await lib().merge(v15n4.id, [again.id])
    expect(lib().get(v15n4.id)).toMatchObject({ pages: '504', notes: 'mine' })
    expect(count()).toBe(2)
    expect(lib().duplicates()).toEqual([])
  })
})
