import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportReport, ImportStarted } from '../../src/shared/contract'
import { jobReport, startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const
const FIX = join(__dirname, '../fixtures/library')
// Real PDFs shipped by Debian documentation packages (libtasn1-doc, shared-mime-info).
const ALL_DEBIAN_PDFS = ['/usr/share/doc/libtasn1-doc/libtasn1.pdf', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf']
// In CI nothing may be skipped: .ci/run installs libtasn1-doc and shared-mime-info.
if (process.env.CI === 'true' && ALL_DEBIAN_PDFS.some((f) => !existsSync(f)))
  throw new Error(`real PDF fixtures missing (apt-get install libtasn1-doc shared-mime-info): ${ALL_DEBIAN_PDFS.filter((f) => !existsSync(f)).join(', ')}`)
const DEBIAN_PDFS = ALL_DEBIAN_PDFS.filter((f) => existsSync(f))

/** A local stand-in for Crossref and arXiv answering in their real formats; `mode` switches failures on. */
function fakeApis() {
  const state = { mode: 'ok' as 'ok' | '429' | 'slow' | '500', hits: [] as string[] }
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x')
    state.hits.push(url.pathname + url.search)
    if (state.mode === '429') {
      res.writeHead(429, { 'retry-after': '7', 'content-type': 'text/plain' }).end('Too Many Requests')
      return
    }
    if (state.mode === '500') {
      res.writeHead(503).end()
      return
    }
    if (state.mode === 'slow') return // never answers: the client's timeout must fire
    if (url.pathname.startsWith('/crossref/works/')) {
      const doi = decodeURIComponent(url.pathname.slice('/crossref/works/'.length))
      if (doi.toLowerCase() === '10.1038/nature14539') res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(join(FIX, 'crossref-work.json')))
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('Resource not found.')
      return
    }
    if (url.pathname === '/arxiv/query') {
      const id = url.searchParams.get('id_list')
      res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(readFileSync(join(FIX, id === '1706.03762' ? 'arxiv-feed.xml' : 'arxiv-error.xml')))
      return
    }
    res.writeHead(404).end()
  })
  return { state, server }
}

describe('library look-ups and PDFs', () => {
  let t: TestApp
  let api: ReturnType<typeof fakeApis>
  let base: string

  beforeEach(async () => {
    api = fakeApis()
    await new Promise<void>((r) => api.server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`
    t = await startTestApp({ config: { library: { crossrefBaseUrl: `${base}/crossref`, arxivBaseUrl: `${base}/arxiv/query`, lookupTimeoutMs: 300 } } })
  })
  afterEach(async () => {
    await t.close()
    await new Promise((r) => api.server.close(r))
  })

  const lib = () => t.app.services!.library
  async function run(channel: string, input: unknown): Promise<ImportReport> {
    const paths = (input as { paths?: string[] }).paths
    if (paths) t.app.services!.grants.grantRead(paths) // as if picked in a native dialog
    const r = await t.app.router.invoke(channel, input, ctx)
    if (!r.ok) throw new Error(r.error.message)
    return jobReport(t, r.data as ImportStarted)
  }

  it('imports by DOI (Crossref JSON) and arXiv id (Atom), and reports unknown identifiers and duplicates', async () => {
    const r = await run('library.importIdentifiers', {
      identifiers: ['https://doi.org/10.1038/NATURE14539', 'arXiv:1706.03762v7', '10.9999/does-not-exist', '2501.99999', 'hello', 'doi:10.1038/nature14539'],
    })
    expect(r).toMatchObject({ added: 2, duplicates: 1, failed: 3 })
    expect(r.failures.map((f) => [f.key, f.reason])).toEqual([
      ['10.9999/does-not-exist', expect.stringMatching(/not found/)],
      ['2501.99999', expect.stringMatching(/not found/)],
      ['hello', 'Not a DOI or arXiv id.'],
    ])
    const [dl, att] = lib().getMany(r.addedIds)
    expect(dl).toMatchObject({ title: 'Deep learning', venue: 'Nature', volume: '521', issue: '7553', pages: '436-444', year: 2015, date: '2015-05-27', doi: '10.1038/nature14539', enrichment: { status: 'done' } })
    expect(dl.authors.map((a) => a.family)).toEqual(['LeCun', 'Bengio', 'Hinton'])
    expect(dl.abstract).toMatch(/^Deep learning allows/)
    expect(att).toMatchObject({ title: 'Attention Is All You Need', arxivId: '1706.03762', year: 2017, url: 'https://arxiv.org/abs/1706.03762' })
    expect(att.authors[2]).toEqual({ family: 'Kaiser', given: 'Łukasz' })
    expect(att.abstract).toMatch(/attention mechanisms & nothing else\.$/)
  })

  it.each([
    ['429 with Retry-After', '429' as const, /slow down \(HTTP 429\); will retry in 7 s/],
    ['a timeout', 'slow' as const, /did not answer in time/],
    ['a 5xx', '500' as const, /HTTP 503; will retry/],
  ])('keeps the paper with what is known on %s, marks it pending, and completes it later', async (_name, mode, message) => {
    api.state.mode = mode
    const r = await run('library.importIdentifiers', { identifiers: ['10.1038/nature14539'] })
    expect(r).toMatchObject({ added: 1, failed: 0 })
    expect(r.warnings[0]).toMatch(message)
    const p = lib().get(r.addedIds[0])
    expect(p).toMatchObject({ doi: '10.1038/nature14539', title: '', enrichment: { status: 'pending', message: expect.stringMatching(message) } })
    expect(lib().stats().enrichmentPending).toBe(1)

    api.state.mode = 'ok'
    await run('library.enrich', {})
    expect(lib().get(p.id)).toMatchObject({ title: 'Deep learning', venue: 'Nature', enrichment: { status: 'done', message: null } })
  })

  it('fails the enrichment job with the HTTP error (Retry-After honoured by the queue) when every look-up is rate-limited', async () => {
    api.state.mode = '429'
    await run('library.importIdentifiers', { identifiers: ['10.1038/nature14539'] })
    const ctxStub = { jobId: 1, attempt: 1, signal: new AbortController().signal, progress: () => {}, logger: t.app.logger }
    await expect(lib().enrichJob({}, ctxStub)).rejects.toMatchObject({ name: 'HttpStatusError', status: 429, retryAfterMs: 7000 })
  })

  it.runIf(DEBIAN_PDFS.length > 0)('imports real PDFs: copied content-addressed, text per page, title from metadata or the largest first-page text', async () => {
    const r = await run('library.importPdfs', { paths: [...DEBIAN_PDFS, join(FIX, 'sample.ris')] })
    expect(r).toMatchObject({ added: DEBIAN_PDFS.length, failed: 1 })
    expect(r.failures[0].reason).toMatch(/not a PDF/)
    const papers = lib().getMany(r.addedIds)
    expect(papers[0].title).toMatch(/Libtasn1/)
    for (const [i, p] of papers.entries()) {
      const a = p.attachments[0]
      expect(a).toMatchObject({ mime: 'application/pdf', textState: 'done', originalName: DEBIAN_PDFS[i].split('/').pop() })
      expect(a.pageCount).toBeGreaterThan(1)
      const stored = lib().attachmentPath(a.id).path
      expect(readFileSync(stored).equals(readFileSync(DEBIAN_PDFS[i]))).toBe(true)
      const pages = t.app.services!.db.sqlite.prepare('SELECT count(*) AS n, sum(length(text)) AS chars FROM attachment_pages WHERE attachment_id = ?').get(a.id) as { n: number; chars: number }
      expect(pages.n).toBe(a.pageCount)
      expect(pages.chars).toBeGreaterThan(1000)
    }
    const again = await run('library.importPdfs', { paths: [DEBIAN_PDFS[0]] })
    expect(again).toMatchObject({ added: 0, duplicates: 1 })
  })
})
