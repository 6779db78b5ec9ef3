import Database from 'better-sqlite3'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DB_FILE } from '../../src/main/app'
import type { Attachment, Job, SearchResult, TextExtractionReport, TextExtractionStarted } from '../../src/shared/contract'
import { until } from '../fixtures/jobs/harness'
import { jobReport, startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const
// Real PDFs shipped by Debian documentation packages (libtasn1-doc, shared-mime-info), as in library-lookup.test.ts.
const ALL_DEBIAN_PDFS = ['/usr/share/doc/libtasn1-doc/libtasn1.pdf', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf']
if (process.env.CI === 'true' && ALL_DEBIAN_PDFS.some((f) => !existsSync(f)))
  throw new Error(`real PDF fixtures missing (apt-get install libtasn1-doc shared-mime-info): ${ALL_DEBIAN_PDFS.filter((f) => !existsSync(f)).join(', ')}`)
const HAVE_PDFS = ALL_DEBIAN_PDFS.every((f) => existsSync(f))
const [TASN1, MIME_SPEC] = ALL_DEBIAN_PDFS

let t: TestApp
/** Every app started, closed last-first (a restarted app shares the first one's folder, which the first removes). */
const apps: TestApp[] = []
async function start(dir?: string): Promise<TestApp> {
  t = await startTestApp({ dir, config: { maintenance: { scheduled: false } } })
  apps.push(t)
  return t
}
afterEach(async () => {
  for (const a of apps.splice(0).reverse()) await a.close()
})

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const r = await t.app.router.invoke(channel, input, ctx)
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code })
  return r.data as T
}
const sql = () => t.app.services!.db.sqlite
const lib = () => t.app.services!.library

async function attach(title: string, path: string): Promise<Attachment> {
  const p = lib().create({ title })
  t.app.services!.grants.grantRead([path]) // as if picked in a native dialog
  return call<Attachment>('library.attachmentAdd', { paperId: p.id, path })
}
const pages = (attachmentId: number) =>
  sql().prepare('SELECT count(*) AS n, coalesce(sum(length(text)), 0) AS chars FROM attachment_pages WHERE attachment_id = ?').get(attachmentId) as { n: number; chars: number }
/** What an older pdf.js that gave up left behind: state failed, no pages. */
function markFailed(id: number) {
  sql().prepare("UPDATE attachments SET text_state = 'failed', text_error = 'Unsupported feature (old pdf.js)' WHERE id = ?").run(id)
  sql().prepare('DELETE FROM attachment_pages WHERE attachment_id = ?').run(id)
}
/** What a crash between storing the file and storing its text leaves behind: state pending, no pages. */
function markInterrupted(id: number) {
  sql().prepare("UPDATE attachments SET text_state = 'pending', text_error = NULL, page_count = NULL WHERE id = ?").run(id)
  sql().prepare('DELETE FROM attachment_pages WHERE attachment_id = ?').run(id)
}
const finished = (started: TextExtractionStarted): Promise<TextExtractionReport> => jobReport(t, started)
/** A long word that occurs in the PDF's body text but not in any title: only the full-text index can find it. */
function bodyWord(attachmentId: number): string {
  const text = sql().prepare("SELECT group_concat(text, ' ') FROM attachment_pages WHERE attachment_id = ? AND page > 2").pluck().get(attachmentId) as string
  const elsewhere = (w: string) =>
    (sql().prepare('SELECT count(*) FROM papers WHERE title LIKE ?').pluck().get(`%${w}%`) as number) +
    (sql().prepare('SELECT count(*) FROM attachment_pages WHERE attachment_id != ? AND text LIKE ?').pluck().get(attachmentId, `%${w}%`) as number)
  const word = text.match(/\b[a-z]{11,}\b/g)!.find((w) => !elsewhere(w))
  expect(word).toBeTruthy()
  return word!
}
const fulltextHits = (q: string) => {
  t.app.services!.search.drain()
  return t.app.services!.search.query({ q, scope: 'all' } as never) as SearchResult
}

describe('re-extracting PDF text in the background', () => {
  it.runIf(HAVE_PDFS)('extracts failed and missing text of real PDFs, hands it to full-text search, and leaves a corrupt PDF failed with a clear error', async () => {
    await start()
    const tasn1 = await attach('GNU Libtasn1 manual', TASN1)
    const spec = await attach('Shared MIME-info spec', MIME_SPEC)
    // A real PDF cut in half, like an interrupted download.
    const corruptPath = join(t.dir, 'corrupt.pdf')
    const bytes = readFileSync(TASN1)
    writeFileSync(corruptPath, bytes.subarray(0, bytes.length / 2))
    const corrupt = await attach('Half a PDF', corruptPath)
    const notes = join(t.dir, 'notes.txt')
    writeFileSync(notes, 'reading notes')
    const txt = await attach('Notes', notes)
    expect([tasn1.textState, spec.textState, corrupt.textState, txt.textState]).toEqual(['done', 'done', 'failed', 'none'])
    expect(corrupt.textError).toBe('The PDF could not be read (Invalid PDF structure).')
    const word = bodyWord(tasn1.id)
    const full = { tasn1: pages(tasn1.id), spec: pages(spec.id) }

    markFailed(tasn1.id)
    markInterrupted(spec.id)
    expect(fulltextHits(word).items).toEqual([])
    expect(lib().stats()).toMatchObject({ textFailed: 2, textPending: 1 })

    const jobEvents: Job[] = []
    const changed: number[][] = []
    t.app.events.subscribe((name, payload) => {
      if (name === 'jobs.changed') jobEvents.push(...(payload as { jobs: Job[] }).jobs.filter((j) => j.type === 'library.reextractText'))
      if (name === 'library.changed') changed.push((payload as { ids: number[] }).ids)
    })
    const started = await call<TextExtractionStarted>('library.reextractText')
    expect(started).toMatchObject({ jobId: expect.any(Number), report: null })
    // Asking again while it waits or runs gives the same job.
    expect((await call<TextExtractionStarted>('library.reextractText', {})).jobId).toBe(started.jobId)
    const report = await finished(started)

    expect(report).toMatchObject({ processed: 3, extracted: 2, failed: 1 })
    expect(report.failures).toEqual([{ attachmentId: corrupt.id, paperId: corrupt.paperId, name: 'corrupt.pdf', reason: 'The PDF could not be read (Invalid PDF structure).' }])
    const [a1, a2, a3, a4] = [tasn1, spec, corrupt, txt].map((a) => lib().get(a.paperId).attachments[0])
    expect(a1).toMatchObject({ textState: 'done', textError: null, pageCount: tasn1.pageCount })
    expect(a2).toMatchObject({ textState: 'done', textError: null, pageCount: spec.pageCount })
    expect(a3).toMatchObject({ textState: 'failed', textError: 'The PDF could not be read (Invalid PDF structure).' })
    expect(a4).toMatchObject({ textState: 'none' })
    expect(pages(tasn1.id)).toEqual(full.tasn1)
    expect(pages(spec.id)).toEqual(full.spec)
    expect(pages(corrupt.id).n).toBe(0)
    expect(lib().stats()).toMatchObject({ textFailed: 1, textPending: 0 })
    // The corrupt PDF failed again with the same error: nothing about it changed, so nothing is announced.
    expect(changed.flat().sort((a, b) => a - b)).toEqual([tasn1.paperId, spec.paperId])
    expect(jobEvents.some((j) => j.status === 'running' && /^Extracting text from /.test(j.progressMessage ?? ''))).toBe(true)
    expect(t.app.services!.jobs.get(started.jobId!).progressMessage).toBe('Text extracted from 2 of 3 PDFs; 1 could not be read.')

    // The search index picked the text up the way it does after an import.
    const hits = fulltextHits(word)
    expect(hits.items.map((h) => h.id)).toEqual([tasn1.paperId])
    expect(hits.items[0].snippet).toMatchObject({ field: 'fulltext', attachmentId: tasn1.id })

    // Again: only the corrupt one is left, and it stays failed.
    changed.length = 0
    const again = await finished(await call<TextExtractionStarted>('library.reextractText'))
    expect(again).toMatchObject({ processed: 1, extracted: 0, failed: 1 })
    expect(changed).toEqual([])
    // Chosen attachments are extracted whatever their state; non-PDFs are not touched.
    const chosen = await finished(await call<TextExtractionStarted>('library.reextractText', { attachmentIds: [spec.id, txt.id] }))
    expect(chosen).toMatchObject({ processed: 1, extracted: 1, failed: 0 })
    expect(pages(spec.id)).toEqual(full.spec)

    // The window may also start it through jobs.add, with its data validated.
    await expect(call('jobs.add', { type: 'library.reextractText', data: { attachmentIds: ['x'] } })).rejects.toMatchObject({ code: 'VALIDATION' })
    const viaJobs = await call<Job>('jobs.add', { type: 'library.reextractText', data: {} })
    expect((await t.app.services!.jobs.waitFor(viaJobs.id)).result).toMatchObject({ processed: 1, failed: 1 })
  })

  it.runIf(HAVE_PDFS)('resumes after the last PDF it finished when the app stops in the middle', async () => {
    await start()
    const atts: Attachment[] = []
    for (let i = 0; i < 5; i++) atts.push(await attach(`Copy ${i + 1}`, TASN1))
    const full = pages(atts[0].id)
    for (const a of atts) markInterrupted(a.id)
    const { jobId } = await call<TextExtractionStarted>('library.reextractText')
    const checkpoint = () => JSON.parse((sql().prepare('SELECT checkpoint FROM background_jobs WHERE id = ?').pluck().get(jobId) as string | null) ?? 'null') as { afterId: number; processed: number } | null
    await until(() => (checkpoint()?.processed ?? 0) >= 1, 20_000, 'a first checkpoint')
    await t.app.shutdown()

    // Between the two runs: what is finished, and the rows holding its text.
    const file = new Database(join(t.dir, DB_FILE), { readonly: true })
    const saved = JSON.parse(file.prepare('SELECT checkpoint FROM background_jobs WHERE id = ?').pluck().get(jobId) as string) as { afterId: number; processed: number }
    const rowids = () => file.prepare('SELECT attachment_id AS a, group_concat(rowid) AS r FROM attachment_pages WHERE attachment_id <= ? GROUP BY attachment_id').all(saved.afterId)
    const finishedBefore = rowids()
    file.close()
    expect(saved.processed).toBeGreaterThanOrEqual(1)
    expect(saved.processed).toBeLessThan(atts.length)
    expect(finishedBefore.length).toBe(saved.processed)

    await start(t.dir)
    const s = await t.app.services!.jobs.waitFor(jobId!)
    expect(s.status).toBe('completed')
    expect(s.result).toMatchObject({ processed: atts.length, extracted: atts.length, failed: 0 })
    expect(t.app.services!.jobs.get(jobId!).history.map((h) => h.outcome)).toEqual(['interrupted', 'completed'])
    for (const a of atts) expect(pages(a.id)).toEqual(full)
    // The PDFs finished before the stop were not extracted again (their page rows are the same rows).
    const after = new Database(join(t.dir, DB_FILE), { readonly: true })
    try {
      expect(after.prepare('SELECT attachment_id AS a, group_concat(rowid) AS r FROM attachment_pages WHERE attachment_id <= ? GROUP BY attachment_id').all(saved.afterId)).toEqual(finishedBefore)
    } finally {
      after.close()
    }
  })
})
