import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportReport, ImportStarted, Paper } from '../../src/shared/contract'
import { jobReport, startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const
// Nelson Beebe's bibliographies as shipped by Debian's texlive-bibtex-extra. Some of their entries use journal,
// institution and publisher macros defined in other files of his collection.
const BEEBE = '/usr/share/texlive/texmf-dist/bibtex/bib/beebe'
const BEEBE_FILES = existsSync(BEEBE) ? readdirSync(BEEBE).filter((f) => f.endsWith('.bib')).sort() : []
if (process.env.CI === 'true' && !BEEBE_FILES.includes('type.bib')) throw new Error(`real .bib fixtures missing in ${BEEBE} (apt-get install texlive-bibtex-extra)`)

const declaredEntries = (text: string) => (text.match(/^\s*@(?!string|comment|preamble)\w+\s*[{(]/gim) ?? []).length

// Hand-written: a known macro in another case, one defined only after its first use (undefined there, as in
// BibTeX), a concatenation, a name with TeX specials, and one entry with unbalanced braces.
const SMALL = `
@string{j-known = "Known Journal"}
@article{a, author = {Doe, Jane}, title = {One}, journal = j-TUGboat, year = 1990}
@article{b, author = {Roe, R.}, title = {Two}, journal = J-KNOWN, publisher = pub-AW # " Press", year = 1991}
@article{c, author = {Poe, E.}, title = {Three}, journal = "Before " # j-late, year = 1992}
@string{j-late = "Defined Too Late"}
@article{d, author = {Moe, M.}, title = {Broken {brace}, year = 1993}
@article{e, author = {Zoe, Z.}, title = {Five}, journal = j-late, note = x_y&z, year = 1994}
`

describe('BibTeX entries using undefined @string macros', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await startTestApp({ config: { maintenance: { scheduled: false } } })
  })
  afterEach(() => t.close())

  const lib = () => t.app.services!.library
  async function importText(app: TestApp, text: string, name: string): Promise<ImportReport> {
    const r = await app.app.router.invoke('library.importText', { text, name }, ctx)
    if (!r.ok) throw new Error(r.error.message)
    return jobReport(app, r.data as ImportStarted)
  }
  async function importFile(path: string): Promise<ImportReport> {
    t.app.services!.grants.grantRead([path])
    const r = await t.app.router.invoke('library.importFile', { path }, ctx)
    if (!r.ok) throw new Error(r.error.message)
    return jobReport(t, r.data as ImportStarted)
  }
  const byKey = (key: string) => {
    const id = t.app.services!.db.sqlite.prepare('SELECT id FROM papers WHERE citation_key = ?').pluck().get(key) as number
    return lib().get(id)
  }
  const fields = (p: Paper) => (p.extra.bibtex as { fields: Record<string, string> }).fields

  it('imports them with the macro name as text and a warning naming entry, field and macro; other failures stay failures', async () => {
    const r = await importText(t, SMALL, 'small.bib')
    expect(r).toMatchObject({ added: 4, duplicates: 0, failed: 1, warned: 4 })
    expect(r.failures.map((f) => f.key)).toEqual(['d'])
    expect(r.warningItems!.map((w) => [w.key, w.title])).toEqual([
      ['a', 'One'],
      ['b', 'Two'],
      ['c', 'Three'],
      ['e', 'Five'],
    ])
    expect(r.warningItems![0].reason).toMatch(/does not define \(journal = j-TUGboat\)/)
    expect(r.warningItems![1].reason).toMatch(/\(publisher = pub-AW\)/)
    expect(r.warningItems![3].reason).toMatch(/\(note = x_y&z\)/)
    expect(r.warnings).toEqual([expect.stringMatching(/^4 entries use @string macros this file does not define \(j-TUGboat, pub-AW, j-late, x_y&z\)/)])

    expect(byKey('a').venue).toBe('j-TUGboat')
    expect(byKey('b')).toMatchObject({ venue: 'Known Journal', publisher: 'pub-AW Press' })
    expect(byKey('c').venue).toBe('Before j-late')
    expect(byKey('e').venue).toBe('Defined Too Late')
    // Unknown fields keep TeX source: the name is escaped so that BibTeX prints it as written.
    expect(fields(byKey('e')).note).toBe('x\\_y\\&z')
  })

  it.runIf(BEEBE_FILES.length > 0)('imports every Beebe bibliography on this machine without failures, warning about each entry that uses a macro from another file', async () => {
    let warned = 0
    // type.bib first: font.bib holds some of the same works, which would make them duplicates there.
    for (const name of [...BEEBE_FILES].sort((a, b) => Number(b === 'type.bib') - Number(a === 'type.bib'))) {
      const file = join(BEEBE, name)
      const text = readFileSync(file, 'utf8')
      const r = await importFile(file)
      expect({ name, failed: r.failed, accounted: r.added + r.duplicates }).toEqual({ name, failed: 0, accounted: declaredEntries(text) })
      expect(r.warningItems!.length).toBe(r.warned)
      for (const w of r.warningItems!) {
        // Each macro named in the warning is really not defined in the file.
        const used = [...w.reason.matchAll(/(\w+) = ([^;)]+)/g)].flatMap((m) => m[2].split(' # '))
        expect(used.length).toBeGreaterThan(0)
        for (const macro of used) {
          const defined = new RegExp(`@string\\s*[{(]\\s*${macro.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`, 'i').test(text)
          expect({ name, macro, defined }).toEqual({ name, macro, defined: false })
        }
      }
      if (r.warned) expect(r.warnings.some((x) => /@string macros this file does not define/.test(x))).toBe(true)
      warned += r.warned!
    }
    expect(warned).toBeGreaterThan(0)
    if (BEEBE_FILES.includes('type.bib')) {
      expect(fields(byKey('Adams:DFL-86')).school).toBe('inst-mit')
      expect(byKey('Byrne:Print-91-9').venue).toBe('j-print')
      expect(fields(byKey('Andre:IRISA-92-676'))).toMatchObject({ institution: 'inst-irisa', address: 'inst-irisa:adr' })
    }
  })

  it('round-trips such entries losslessly through its own BibTeX export (no warnings the second time)', async () => {
    await importText(t, SMALL, 'small.bib')
    if (BEEBE_FILES.includes('type.bib')) await importFile(join(BEEBE, 'type.bib'))
    // Literal double hyphens must not turn into an en dash on the way back.
    lib().create({ title: 'The --help flag -- and a dash', authors: [{ family: 'Hyphen', given: 'H.' }], year: 2001 })
    const ids = t.app.services!.db.sqlite.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as number[]
    const before = lib().getMany(ids)
    const exported = await lib().export({ format: 'bibtex' })
    expect(exported.content).toMatch(/journal = \{j-TUGboat\}/)

    const t2 = await startTestApp({ config: { maintenance: { scheduled: false } } })
    try {
      const r = await importText(t2, exported.content, 'roundtrip.bib')
      expect(r).toMatchObject({ added: before.length, failed: 0, warned: 0 })
      const after = t2.app.services!.library.getMany(t2.app.services!.db.sqlite.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as number[])
      const strip = (p: Paper) => {
        const bib = p.extra.bibtex as { raw?: unknown; sig?: unknown } | undefined
        return { ...p, id: 0, addedAt: 0, modifiedAt: 0, extra: { ...p.extra, bibtex: bib ? { ...bib, raw: undefined, sig: undefined } : undefined } }
      }
      const last = after.length - 1
      expect(after[last].title).toBe('The --help flag -- and a dash')
      // The created paper gains extra.bibtex on import (it had none); everything else is identical.
      for (let i = 0; i < last; i++) expect(strip(after[i])).toEqual(strip(before[i]))
    } finally {
      await t2.close()
    }
  })
})
