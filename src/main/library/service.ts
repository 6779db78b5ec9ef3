import { promises as fsp } from 'node:fs'
import { basename, join } from 'node:path'
import type Database from 'better-sqlite3'
import type {
  Attachment,
  CitationStyle,
  Collection,
  DuplicateGroup,
  ExportResult,
  ImportFormat,
  ImportItemNote,
  ImportReport,
  ImportStarted,
  LibraryStats,
  Paper,
  PaperPatch,
  ReadingStatus,
  ReextractTextInput,
  SavedSearch,
  Tag,
  TextExtractionReport,
  TextExtractionStarted,
} from '../../shared/contract/library'
import { ReextractTextSchema } from '../../shared/contract/library'
import { AppError } from '../../shared/errors'
import type { EventBus } from '../events'
import { writeFileAtomic } from '../fs/atomic'
import type { JobContext, JobHandler, JobTypeOptions, AddJobOptions } from '../jobs/types'
import type { Logger } from '../logger'
import { AttachmentStore, mimeFor } from './attachments'
import { differentWorks, MAX_CANDIDATES, mergeWork, toWork, type Work, type WorkFacts } from './duplicates'
import { toBibtex, toCitations, toCslJson, toRis } from './export'
import { fetchArxiv } from './import/arxiv'
import { MalformedFileError, parseBibtex } from './import/bibtex'
import { parseCslJson } from './import/csl'
import { fetchCrossref } from './import/doi'
import { describeLookupError, isTransient, NotFoundError, type LookupOptions } from './import/http'
import { extractPdf } from './import/pdf'
import { parseRis } from './import/ris'
import { META_KEYS, type PaperInput, type ParsedBatch } from './model'
import { cleanDoi, parseIdentifier } from './normalize'
import { LibraryStore, setClause } from './store'
import { extractionError, reextractTextHandler } from './text-extraction'

export interface LibraryConfig {
  crossrefBaseUrl: string
  arxivBaseUrl: string
  lookupTimeoutMs: number
  userAgent: string
  /** Give up enriching a paper after this many transient failures (it stays in the library either way). */
  maxEnrichmentAttempts: number
}

export const DEFAULT_LIBRARY_CONFIG: LibraryConfig = {
  crossrefBaseUrl: process.env.SPM_CROSSREF_URL || 'https://api.crossref.org',
  arxivBaseUrl: process.env.SPM_ARXIV_URL || 'http://export.arxiv.org/api/query',
  lookupTimeoutMs: 15_000,
  userAgent: 'SciencePaperManager/0.1 (https://github.com/; mailto:support@example.invalid)',
  maxEnrichmentAttempts: 8,
}

/** The part of the job queue we use (src/main/jobs). */
export interface JobQueueLike {
  register(type: string, handler: JobHandler<never, unknown>, opts?: JobTypeOptions): void
  add(type: string, data: unknown, opts?: AddJobOptions): unknown
}

export const LIBRARY_JOB_TYPES = {
  importFile: 'library.import',
  importPdfs: 'library.importPdfs',
  lookup: 'library.lookup',
  enrich: 'library.enrich',
  reextractText: 'library.reextractText',
} as const

export interface ImportFileJob {
  path?: string
  text?: string
  name?: string
  format?: ImportFormat
  onDuplicate?: 'skip' | 'merge'
}
export interface ImportPdfsJob {
  paths: string[]
}
export interface LookupJob {
  identifiers: string[]
}
export interface EnrichJob {
  ids?: number[]
}

export interface LibraryDeps {
  sqlite: Database.Database
  events: EventBus
  logger: Logger
  dataDir: string
  now?: () => number
  config?: Partial<LibraryConfig>
  fetch?: typeof fetch
}

const NOTE_CAP = 1000
const STATUS_RANK: Record<ReadingStatus, number> = { unread: 0, reading: 1, completed: 2 }

export function detectFormat(name: string | undefined, text: string): ImportFormat {
  const ext = (name ?? '').toLowerCase().split('.').pop()
  if (ext === 'bib' || ext === 'bibtex' || ext === 'biblatex') return 'bibtex'
  if (ext === 'ris') return 'ris'
  if (ext === 'json' || ext === 'csl') return 'csl-json'
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 2000)
  if (head.startsWith('[') || head.startsWith('{')) return 'csl-json'
  if (/^TY {2}-/m.test(head)) return 'ris'
  return 'bibtex'
}

/** The paper library: CRUD, organisation, import (as job handlers), duplicates and merge, export, attachments. */
export class LibraryService {
  readonly store: LibraryStore
  readonly files: AttachmentStore
  private config: LibraryConfig
  private readonly now: () => number
  private queue: JobQueueLike | null = null
  readonly reextractTextJob: JobHandler<ReextractTextInput, TextExtractionReport>

  constructor(private readonly deps: LibraryDeps) {
    this.store = new LibraryStore(deps.sqlite)
    this.files = new AttachmentStore(join(deps.dataDir, 'library', 'files'))
    this.config = { ...DEFAULT_LIBRARY_CONFIG, ...deps.config }
    this.now = deps.now ?? Date.now
    this.reextractTextJob = reextractTextHandler({ sqlite: deps.sqlite, store: this.store, files: this.files, now: this.now, changed: (ids) => this.changed('updated', ids) })
  }

  configure(patch: Partial<LibraryConfig>): void {
    this.config = { ...this.config, ...patch }
  }

  /** Moves the long imports onto the job queue: the import channels then enqueue and return the job id. */
  attachQueue(queue: JobQueueLike): void {
    queue.register(LIBRARY_JOB_TYPES.importFile, this.importFileJob as JobHandler<never, unknown>, { label: 'Import references', userVisible: true, maxAttempts: 1 })
    queue.register(LIBRARY_JOB_TYPES.importPdfs, this.importPdfsJob as JobHandler<never, unknown>, { label: 'Import PDFs', userVisible: true, maxAttempts: 1 })
    queue.register(LIBRARY_JOB_TYPES.lookup, this.lookupJob as JobHandler<never, unknown>, { label: 'Look up DOIs / arXiv ids', userVisible: true, maxAttempts: 1 })
    queue.register(LIBRARY_JOB_TYPES.enrich, this.enrichJob as JobHandler<never, unknown>, { label: 'Complete paper metadata', maxAttempts: 10 })
    // Checkpointed per PDF, so a retry after a database error (or a restart) continues where it stopped.
    queue.register(LIBRARY_JOB_TYPES.reextractText, this.reextractTextJob as JobHandler<never, unknown>, {
      label: 'Extract PDF text',
      userVisible: true,
      maxAttempts: 3,
      allowFromUi: true,
      dataSchema: ReextractTextSchema,
    })
    this.queue = queue
  }

  private changed(kind: 'added' | 'updated' | 'deleted' | 'merged', ids: number[]): void {
    if (ids.length) this.deps.events.emit('library.changed', { kind, ids })
  }

  // =============== reads ===============

  get(id: number): Paper {
    const [p] = this.store.getPapers([id])
    if (!p) throw new AppError('NOT_FOUND', `Paper ${id} does not exist.`)
    return p
  }

  getMany(ids: number[]): Paper[] {
    return this.store.getPapers(ids)
  }

  stats(): LibraryStats {
    const q = (sql: string) => (this.deps.sqlite.prepare(sql).pluck().get() as number) ?? 0
    const byStatus: Record<ReadingStatus, number> = { unread: 0, reading: 0, completed: 0 }
    for (const r of this.deps.sqlite.prepare('SELECT reading_status AS s, count(*) AS n FROM papers GROUP BY reading_status').all() as { s: ReadingStatus; n: number }[])
      byStatus[r.s] = r.n
    return {
      papers: q('SELECT count(*) FROM papers'),
      byStatus,
      tags: q('SELECT count(*) FROM tags'),
      collections: q('SELECT count(*) FROM collections'),
      attachments: q('SELECT count(*) FROM attachments'),
      enrichmentPending: q("SELECT count(*) FROM papers WHERE enrichment_status = 'pending'"),
      textPending: q("SELECT count(*) FROM attachments WHERE text_state = 'pending'"),
      textFailed: q("SELECT count(*) FROM attachments WHERE text_state = 'failed'"),
    }
  }

  // =============== editing ===============

  create(patch: PaperPatch): Paper {
    const input = this.patchToInput(patch)
    const id = this.store.tx(() => {
      const doiNorm = cleanDoi(input.doi)?.toLowerCase()
      if (input.doi && !doiNorm) throw new AppError('VALIDATION', `"${input.doi}" is not a DOI.`)
      const dup = doiNorm ? this.store.findDuplicate({ doi: input.doi }) : null
      if (dup) throw new AppError('CONFLICT', `Paper ${dup.id} already has this DOI.`)
      this.checkCollections(input.collectionIds)
      return this.store.insertPaper(input, this.now())
    })
    this.changed('added', [id])
    if (input.tags?.length) this.deps.events.emit('library.tagsChanged', {})
    return this.get(id)
  }

  update(id: number, patch: PaperPatch): Paper {
    this.store.tx(() => {
      this.checkCollections(patch.collectionIds)
      this.store.patchPaper(id, this.patchToInput(patch), this.now())
    })
    this.changed('updated', [id])
    if (patch.tags) this.deps.events.emit('library.tagsChanged', {})
    return this.get(id)
  }

  private patchToInput(patch: PaperPatch): PaperInput {
    const input: PaperInput = {}
    for (const k of META_KEYS) if (patch[k] !== undefined) (input as Record<string, unknown>)[k] = patch[k]
    if (patch.authors) input.authors = patch.authors.map((a) => ({ family: a.family, given: a.given ?? null }))
    if (patch.tags) input.tags = [...new Map(patch.tags.map((t) => [t.toLowerCase(), t])).values()]
    for (const k of ['rating', 'notes', 'readingStatus', 'highlights', 'collectionIds'] as const)
      if (patch[k] !== undefined) (input as Record<string, unknown>)[k] = patch[k]
    if (patch.date && patch.year === undefined) input.year = Number(patch.date.slice(0, 4))
    return input
  }

  private checkCollections(ids: number[] | undefined): void {
    if (!ids?.length) return
    const n = this.deps.sqlite.prepare('SELECT count(*) FROM collections WHERE id IN (SELECT value FROM json_each(?))').pluck().get(JSON.stringify([...new Set(ids)])) as number
    if (n !== new Set(ids).size) throw new AppError('NOT_FOUND', 'One of the collections does not exist.')
  }

  async delete(ids: number[]): Promise<{ deleted: number }> {
    const shas = this.deps.sqlite
      .prepare('SELECT DISTINCT sha256 FROM attachments WHERE paper_id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify(ids)) as string[]
    const existing = this.store.existingIds(ids)
    const deleted = this.store.tx(() => this.store.deletePapers(existing))
    await this.removeUnreferencedFiles(shas)
    this.changed('deleted', existing)
    return { deleted }
  }

  bulkUpdate(input: {
    ids: number[]
    rating?: number | null
    readingStatus?: ReadingStatus
    addTags?: string[]
    removeTags?: string[]
    addToCollections?: number[]
    removeFromCollections?: number[]
  }): { updated: number } {
    const ids = this.store.existingIds(input.ids)
    const json = JSON.stringify(ids)
    const db = this.deps.sqlite
    this.store.tx(() => {
      this.checkCollections(input.addToCollections)
      const set = setClause({ rating: input.rating, reading_status: input.readingStatus, modified_at: this.now() })
      db.prepare(`UPDATE papers SET ${set.sql} WHERE id IN (SELECT value FROM json_each(?))`).run(...set.params, json)
      for (const t of input.addTags ?? []) {
        const tagId = this.store.tagId(t)
        db.prepare('INSERT OR IGNORE INTO paper_tags (paper_id, tag_id) SELECT value, ? FROM json_each(?)').run(tagId, json)
      }
      for (const t of input.removeTags ?? [])
        db.prepare('DELETE FROM paper_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ? COLLATE NOCASE) AND paper_id IN (SELECT value FROM json_each(?))').run(t, json)
      for (const c of input.addToCollections ?? []) db.prepare('INSERT OR IGNORE INTO paper_collections (paper_id, collection_id) SELECT value, ? FROM json_each(?)').run(c, json)
      for (const c of input.removeFromCollections ?? []) db.prepare('DELETE FROM paper_collections WHERE collection_id = ? AND paper_id IN (SELECT value FROM json_each(?))').run(c, json)
    })
    this.changed('updated', ids)
    if (input.addTags?.length || input.removeTags?.length) this.deps.events.emit('library.tagsChanged', {})
    if (input.addToCollections?.length || input.removeFromCollections?.length) this.deps.events.emit('library.collectionsChanged', {})
    return { updated: ids.length }
  }

  // =============== tags, collections, saved searches ===============

  tags(): Tag[] {
    return this.store.tags()
  }

  private taggedPaperIds(tagId: number): number[] {
    return this.deps.sqlite.prepare('SELECT paper_id FROM paper_tags WHERE tag_id = ?').pluck().all(tagId) as number[]
  }

  renameTag(id: number, name: string): Tag[] {
    const db = this.deps.sqlite
    const ids = this.taggedPaperIds(id)
    this.store.tx(() => {
      if (!db.prepare('SELECT 1 FROM tags WHERE id = ?').get(id)) throw new AppError('NOT_FOUND', `Tag ${id} does not exist.`)
      const other = db.prepare('SELECT id FROM tags WHERE name = ? COLLATE NOCASE AND id != ?').pluck().get(name, id) as number | undefined
      if (other !== undefined) {
        // Renaming onto an existing tag merges the two.
        db.prepare('INSERT OR IGNORE INTO paper_tags (paper_id, tag_id) SELECT paper_id, ? FROM paper_tags WHERE tag_id = ?').run(other, id)
        db.prepare('DELETE FROM tags WHERE id = ?').run(id)
      } else db.prepare('UPDATE tags SET name = ? WHERE id = ?').run(name, id)
      db.prepare('UPDATE papers SET modified_at = ? WHERE id IN (SELECT value FROM json_each(?))').run(this.now(), JSON.stringify(ids))
    })
    this.deps.events.emit('library.tagsChanged', {})
    this.changed('updated', ids)
    return this.tags()
  }

  setTagColor(id: number, color: string | null): Tag[] {
    if (!this.deps.sqlite.prepare('UPDATE tags SET color = ? WHERE id = ?').run(color, id).changes) throw new AppError('NOT_FOUND', `Tag ${id} does not exist.`)
    this.deps.events.emit('library.tagsChanged', {})
    return this.tags()
  }

  deleteTag(id: number): Tag[] {
    const ids = this.taggedPaperIds(id)
    if (!this.deps.sqlite.prepare('DELETE FROM tags WHERE id = ?').run(id).changes) throw new AppError('NOT_FOUND', `Tag ${id} does not exist.`)
    this.deps.events.emit('library.tagsChanged', {})
    this.changed('updated', ids)
    return this.tags()
  }

  collections(): Collection[] {
    return this.store.collections()
  }

  private collection(id: number): Collection {
    const c = this.collections().find((x) => x.id === id)
    if (!c) throw new AppError('NOT_FOUND', `Collection ${id} does not exist.`)
    return c
  }

  createCollection(name: string, parentId: number | null = null): Collection {
    if (parentId != null) this.collection(parentId)
    const pos = (this.deps.sqlite.prepare('SELECT coalesce(max(position), -1) + 1 FROM collections WHERE parent_id IS ?').pluck().get(parentId) as number) ?? 0
    const id = Number(this.deps.sqlite.prepare('INSERT INTO collections (name, parent_id, position, created_at) VALUES (?, ?, ?, ?)').run(name, parentId, pos, this.now()).lastInsertRowid)
    this.deps.events.emit('library.collectionsChanged', {})
    return this.collection(id)
  }

  updateCollection(id: number, patch: { name?: string; parentId?: number | null; position?: number }): Collection {
    const db = this.deps.sqlite
    this.store.tx(() => {
      this.collection(id)
      if (patch.parentId !== undefined && patch.parentId !== null) {
        // No cycles: the new parent must not be this collection or one of its descendants.
        const desc = db
          .prepare('WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT c.id FROM collections c JOIN d ON c.parent_id = d.id) SELECT id FROM d')
          .pluck()
          .all(id) as number[]
        if (desc.includes(patch.parentId)) throw new AppError('VALIDATION', 'A collection cannot be moved into itself or one of its sub-collections.')
        this.collection(patch.parentId)
      }
      if (patch.name !== undefined) db.prepare('UPDATE collections SET name = ? WHERE id = ?').run(patch.name, id)
      if (patch.parentId !== undefined) db.prepare('UPDATE collections SET parent_id = ? WHERE id = ?').run(patch.parentId, id)
      if (patch.position !== undefined) db.prepare('UPDATE collections SET position = ? WHERE id = ?').run(patch.position, id)
    })
    this.deps.events.emit('library.collectionsChanged', {})
    return this.collection(id)
  }

  deleteCollection(id: number): { deleted: number } {
    const n = this.store.tx(() => {
      const count = (
        this.deps.sqlite
          .prepare('WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT c.id FROM collections c JOIN d ON c.parent_id = d.id) SELECT count(*) FROM d')
          .pluck()
          .get(id) as number
      )
      if (!this.deps.sqlite.prepare('DELETE FROM collections WHERE id = ?').run(id).changes) throw new AppError('NOT_FOUND', `Collection ${id} does not exist.`)
      return count
    })
    this.deps.events.emit('library.collectionsChanged', {})
    return { deleted: n }
  }

  savedSearches(): SavedSearch[] {
    return this.store.savedSearches()
  }

  saveSearch(input: { id?: number; name: string; query: string; filters?: Record<string, unknown> }): SavedSearch {
    const db = this.deps.sqlite
    const now = this.now()
    let id = input.id
    if (id !== undefined) {
      if (!db.prepare('UPDATE saved_searches SET name = ?, query = ?, filters = ?, updated_at = ? WHERE id = ?').run(input.name, input.query, JSON.stringify(input.filters ?? {}), now, id).changes)
        throw new AppError('NOT_FOUND', `Saved search ${id} does not exist.`)
    } else {
      id = Number(
        db.prepare('INSERT INTO saved_searches (name, query, filters, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(input.name, input.query, JSON.stringify(input.filters ?? {}), now, now)
          .lastInsertRowid,
      )
    }
    this.deps.events.emit('library.savedSearchesChanged', {})
    return this.savedSearches().find((s) => s.id === id)!
  }

  deleteSavedSearch(id: number): { deleted: boolean } {
    const deleted = this.deps.sqlite.prepare('DELETE FROM saved_searches WHERE id = ?').run(id).changes > 0
    if (deleted) this.deps.events.emit('library.savedSearchesChanged', {})
    return { deleted }
  }

  // =============== import ===============

  /** Inline stand-in for a job context: progress goes out as library.importProgress events. */
  private inlineContext(source: string): JobContext {
    let last = -1
    return {
      jobId: 0,
      attempt: 1,
      signal: new AbortController().signal,
      logger: this.deps.logger,
      progress: (pct, message) => {
        const p = Math.round(pct)
        if (p === last) return
        last = p
        this.deps.events.emit('library.importProgress', { source, pct: p, message })
      },
    }
  }

  private async start<D, R = ImportReport>(type: string, handler: JobHandler<D, R>, data: D, title: string, opts: AddJobOptions = {}): Promise<{ jobId: number | null; report: R | null }> {
    if (this.queue) {
      const res = await this.queue.add(type, data, { title, ...opts })
      const jobId = typeof res === 'number' ? res : ((res as { id?: number } | null)?.id ?? null)
      return { jobId, report: null }
    }
    return { jobId: null, report: await handler(data, this.inlineContext(title)) }
  }

  importFile(data: ImportFileJob): Promise<ImportStarted> {
    return this.start(LIBRARY_JOB_TYPES.importFile, this.importFileJob, data, `Import ${data.name ?? (data.path ? basename(data.path) : 'references')}`)
  }

  importPdfs(paths: string[]): Promise<ImportStarted> {
    return this.start(LIBRARY_JOB_TYPES.importPdfs, this.importPdfsJob, { paths }, paths.length === 1 ? `Import ${basename(paths[0])}` : `Import ${paths.length} PDFs`)
  }

  importIdentifiers(identifiers: string[]): Promise<ImportStarted> {
    return this.start(LIBRARY_JOB_TYPES.lookup, this.lookupJob, { identifiers }, identifiers.length === 1 ? `Look up ${identifiers[0]}` : `Look up ${identifiers.length} identifiers`)
  }

  enrich(ids?: number[]): Promise<ImportStarted> {
    return this.start(LIBRARY_JOB_TYPES.enrich, this.enrichJob, { ids }, 'Complete paper metadata')
  }

  /** Re-extracts PDF text in the background; the default run (no ids) is shared: a second request gets the first job. */
  reextractText(input: ReextractTextInput = {}): Promise<TextExtractionStarted> {
    const ids = input.attachmentIds
    const data: ReextractTextInput = ids ? { attachmentIds: ids } : {}
    const title = ids ? (ids.length === 1 ? 'Extract the text of a PDF again' : `Extract the text of ${ids.length} PDFs again`) : 'Extract missing PDF text'
    return this.start(LIBRARY_JOB_TYPES.reextractText, this.reextractTextJob, data, title, ids ? {} : { dedupeKey: LIBRARY_JOB_TYPES.reextractText })
  }

  private newReport(source: string, format: ImportReport['format']): ImportReport {
    return { source, format, added: 0, duplicates: 0, failed: 0, merged: 0, addedIds: [], duplicateItems: [], failures: [], warnings: [], warned: 0, warningItems: [], durationMs: 0 }
  }

  private noteFailure(r: ImportReport, n: ImportItemNote): void {
    r.failed++
    if (r.failures.length < NOTE_CAP) r.failures.push(n)
  }

  private noteDuplicate(r: ImportReport, n: ImportItemNote): void {
    r.duplicates++
    if (r.duplicateItems.length < NOTE_CAP) r.duplicateItems.push(n)
  }

  private noteWarning(r: ImportReport, n: ImportItemNote): void {
    r.warned = (r.warned ?? 0) + 1
    if ((r.warningItems ??= []).length < NOTE_CAP) r.warningItems.push(n)
  }

  /** Parses a whole BibTeX / RIS / CSL-JSON file and writes it in one transaction. */
  readonly importFileJob: JobHandler<ImportFileJob, ImportReport> = async (data, ctx) => {
    const t0 = performance.now()
    const name = data.name ?? (data.path ? basename(data.path) : 'pasted text')
    let text = data.text
    if (text === undefined) {
      if (!data.path) throw new AppError('VALIDATION', 'Nothing to import: give a file path or the text.')
      try {
        text = await fsp.readFile(data.path, 'utf8')
      } catch (err) {
        throw new AppError('NOT_FOUND', `Could not read ${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message}.`)
      }
    }
    if (text.includes('\u0000')) throw new AppError('UNSUPPORTED', `${name} is a binary file, not BibTeX, RIS or CSL-JSON.`)
    const format = data.format ?? detectFormat(data.path ?? data.name, text)
    ctx.progress(2, `Reading ${name}`)
    let parsed: ParsedBatch
    try {
      parsed = format === 'bibtex' ? await parseBibtex(text) : format === 'ris' ? parseRis(text) : parseCslJson(text)
    } catch (err) {
      if (err instanceof MalformedFileError) throw new AppError('UNSUPPORTED', `${name}: ${err.message} Nothing was imported.`)
      throw err
    }
    ctx.signal.throwIfAborted()
    ctx.progress(40, `Saving ${parsed.entries.length} entries`)
    const report = this.newReport(name, format)
    report.warnings.push(...parsed.warnings.slice(0, 50))
    for (const f of parsed.failures) this.noteFailure(report, f)
    this.writeBatch(parsed.entries, data.onDuplicate ?? 'skip', report, ctx, parsed.entryWarnings)
    report.failures.sort((a, b) => a.index - b.index)
    report.durationMs = Math.round(performance.now() - t0)
    ctx.progress(100, `${report.added} added, ${report.duplicates} duplicates, ${report.failed} failed`)
    return report
  }

  /**
   * Writes parsed entries in one transaction (each entry in a savepoint, so one bad entry is skipped, not fatal).
   * Entry warnings are reported for what was written (added or merged), not for skipped duplicates.
   */
  private writeBatch(entries: ParsedBatch['entries'], onDuplicate: 'skip' | 'merge', report: ImportReport, ctx: JobContext, entryWarnings: ParsedBatch['entryWarnings'] = []): void {
    const warningAt = new Map(entryWarnings.map((w) => [w.index, w]))
    const merged: number[] = []
    const now = this.now()
    const one = this.deps.sqlite.transaction((input: PaperInput) => {
      const dup = this.store.findDuplicate(input)
      if (dup) {
        if (onDuplicate === 'merge') this.fillFrom(dup.id, input, now)
        return { dup }
      }
      return { id: this.store.insertPaper(input, now) }
    })
    this.store.tx(() => {
      entries.forEach(({ index, input }, i) => {
        if (i % 500 === 0) {
          ctx.signal.throwIfAborted()
          ctx.progress(40 + (55 * i) / Math.max(1, entries.length))
        }
        const note = { index, key: input.citationKey ?? input.doi ?? null, title: input.title ?? null }
        try {
          const r = one(input)
          const warning = warningAt.get(index)
          if ('id' in r && r.id !== undefined) {
            report.added++
            report.addedIds.push(r.id)
            if (warning) this.noteWarning(report, warning)
          } else if (r.dup) {
            if (onDuplicate === 'merge') {
              report.merged++
              merged.push(r.dup.id)
              if (warning) this.noteWarning(report, { ...warning, existingId: r.dup.id })
            }
            this.noteDuplicate(report, { ...note, existingId: r.dup.id, reason: `Already in the library (same ${r.dup.reason === 'title' ? 'title, year and first author' : r.dup.reason === 'doi' ? 'DOI' : 'arXiv id'}).` })
          }
        } catch (err) {
          this.deps.logger.warn('import entry failed', { error: (err as Error).message })
          this.noteFailure(report, { ...note, reason: `Could not be saved: ${(err as Error).message.slice(0, 200)}` })
        }
      })
    })
    this.changed('added', report.addedIds)
    this.changed('updated', merged)
    if (report.added || merged.length) this.deps.events.emit('library.tagsChanged', {})
  }

  /** Fills a paper's empty fields from another record and adds its tags (import with onDuplicate = merge). */
  private fillFrom(id: number, input: PaperInput, now: number): void {
    const [cur] = this.store.getPapers([id])
    const patch: PaperInput = {}
    for (const k of META_KEYS) {
      const v = input[k]
      if (v == null || v === '') continue
      const have = cur[k]
      if (have == null || have === '') (patch as Record<string, unknown>)[k] = v
    }
    if (patch.doi && this.store.findDuplicate({ doi: patch.doi }, id)) delete patch.doi
    if (!cur.authors.length && input.authors?.length) patch.authors = input.authors
    if (!cur.abstract && input.abstract) patch.abstract = input.abstract
    const extra = { ...(input.extra ?? {}), ...cur.extra }
    if (Object.keys(extra).length !== Object.keys(cur.extra).length) patch.extra = extra
    this.store.patchPaper(id, patch, now)
    if (input.tags?.length) this.store.addTags(id, input.tags)
  }

  // ---------- PDFs ----------

  readonly importPdfsJob: JobHandler<ImportPdfsJob, ImportReport> = async (data, ctx) => {
    const t0 = performance.now()
    const report = this.newReport(data.paths.length === 1 ? basename(data.paths[0]) : `${data.paths.length} PDFs`, 'pdf')
    const merged: number[] = []
    for (let i = 0; i < data.paths.length; i++) {
      ctx.signal.throwIfAborted()
      const path = data.paths[i]
      const name = basename(path)
      ctx.progress((90 * i) / data.paths.length, `Reading ${name}`)
      const note = { index: i, key: name, title: null }
      try {
        const r = await this.importOnePdf(path, ctx.signal)
        if (r.kind === 'added') {
          report.added++
          report.addedIds.push(r.id)
        } else {
          if (r.attached) merged.push(r.id)
          this.noteDuplicate(report, { ...note, title: r.title, existingId: r.id, reason: r.reason })
        }
      } catch (err) {
        if (ctx.signal.aborted) throw err
        this.noteFailure(report, { ...note, reason: err instanceof AppError ? err.message : `Could not import: ${(err as Error).message.slice(0, 200)}` })
      }
    }
    this.changed('added', report.addedIds)
    this.changed('updated', merged)
    // Complete metadata of papers whose PDF had a DOI / arXiv id (offline: they stay pending).
    const pending = this.deps.sqlite
      .prepare("SELECT id FROM papers WHERE enrichment_status = 'pending' AND id IN (SELECT value FROM json_each(?))")
      .pluck()
      .all(JSON.stringify(report.addedIds)) as number[]
    if (pending.length) {
      ctx.progress(92, 'Looking up metadata')
      const e = await this.enrichPapers(pending, ctx, false)
      if (e.pending) report.warnings.push(`${e.pending} paper(s) could not be completed online yet; they will be retried.`)
    }
    report.durationMs = Math.round(performance.now() - t0)
    ctx.progress(100)
    return report
  }

  private async importOnePdf(path: string, signal: AbortSignal): Promise<{ kind: 'added'; id: number } | { kind: 'duplicate'; id: number; title: string | null; reason: string; attached: boolean }> {
    const name = basename(path)
    let head: Buffer
    try {
      const fd = await fsp.open(path, 'r')
      head = Buffer.alloc(1024)
      await fd.read(head, 0, 1024, 0)
      await fd.close()
    } catch (err) {
      throw new AppError('NOT_FOUND', `Could not read ${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message}.`)
    }
    if (!head.includes(Buffer.from('%PDF-'))) throw new AppError('UNSUPPORTED', `${name} is not a PDF file.`)
    const stored = await this.files.importFile(path, signal)
    const already = this.deps.sqlite.prepare('SELECT a.paper_id AS id, p.title FROM attachments a JOIN papers p ON p.id = a.paper_id WHERE a.sha256 = ? LIMIT 1').get(stored.sha256) as
      | { id: number; title: string }
      | undefined
    if (already) return { kind: 'duplicate', id: already.id, title: already.title, reason: 'This PDF is already in the library.', attached: false }
    let info
    try {
      info = await extractPdf(new Uint8Array(await fsp.readFile(stored.path)), { signal })
    } catch (err) {
      if (stored.created) await this.files.remove(stored.sha256)
      throw new AppError('UNSUPPORTED', `${name} could not be read as a PDF (${(err as Error).message.slice(0, 150)}).`)
    }
    const input: PaperInput = {
      itemType: 'article',
      title: info.title ?? name.replace(/\.pdf$/i, ''),
      authors: info.authors,
      doi: info.doi,
      arxivId: info.arxivId,
      enrichment: info.doi || info.arxivId ? { status: 'pending', message: 'Waiting to look up the DOI / arXiv id found in the PDF.' } : { status: 'none', message: null },
    }
    const now = this.now()
    return this.store.tx(() => {
      const dup = this.store.findDuplicate(input)
      const paperId = dup ? dup.id : this.store.insertPaper(input, now)
      const attId = Number(
        this.deps.sqlite
          .prepare("INSERT INTO attachments (paper_id, sha256, mime, size, original_name, text_state, page_count, added_at) VALUES (?, ?, 'application/pdf', ?, ?, 'done', ?, ?)")
          .run(paperId, stored.sha256, stored.size, name, info.pageCount, now).lastInsertRowid,
      )
      const ins = this.deps.sqlite.prepare('INSERT INTO attachment_pages (attachment_id, page, text) VALUES (?, ?, ?)')
      info.pages.forEach((t, i) => ins.run(attId, i + 1, t))
      if (dup) {
        this.store.touch(dup.id, now)
        return { kind: 'duplicate' as const, id: dup.id, title: input.title ?? null, reason: 'A paper with the same identifiers is already in the library; the PDF was attached to it.', attached: true }
      }
      return { kind: 'added' as const, id: paperId }
    })
  }

  // ---------- DOI / arXiv ----------

  private lookupOptions(signal: AbortSignal): LookupOptions {
    return { timeoutMs: this.config.lookupTimeoutMs, signal, userAgent: this.config.userAgent, fetch: this.deps.fetch }
  }

  private lookup(kind: 'doi' | 'arxiv', value: string, signal: AbortSignal): Promise<PaperInput> {
    return kind === 'doi' ? fetchCrossref(value, this.config.crossrefBaseUrl, this.lookupOptions(signal)) : fetchArxiv(value, this.config.arxivBaseUrl, this.lookupOptions(signal))
  }

  readonly lookupJob: JobHandler<LookupJob, ImportReport> = async (data, ctx) => {
    const t0 = performance.now()
    const report = this.newReport(data.identifiers.length === 1 ? data.identifiers[0] : `${data.identifiers.length} identifiers`, 'identifier')
    for (let i = 0; i < data.identifiers.length; i++) {
      ctx.signal.throwIfAborted()
      const raw = data.identifiers[i]
      ctx.progress((100 * i) / data.identifiers.length, `Looking up ${raw}`)
      const note = { index: i, key: raw, title: null }
      const id = parseIdentifier(raw)
      if (!id) {
        this.noteFailure(report, { ...note, reason: 'Not a DOI or arXiv id.' })
        continue
      }
      const probe: PaperInput = id.kind === 'doi' ? { doi: id.value } : { arxivId: id.value }
      const existing = this.store.findDuplicate(probe)
      if (existing) {
        this.noteDuplicate(report, { ...note, existingId: existing.id, reason: `Already in the library (same ${id.kind === 'doi' ? 'DOI' : 'arXiv id'}).` })
        continue
      }
      const source = id.kind === 'doi' ? 'Crossref' : 'arXiv'
      let input: PaperInput
      try {
        input = await this.lookup(id.kind, id.value, ctx.signal)
        input.enrichment = { status: 'done', message: null }
        if (id.kind === 'arxiv') input.arxivId = id.value
      } catch (err) {
        if (ctx.signal.aborted) throw err
        if (err instanceof NotFoundError) {
          this.noteFailure(report, { ...note, reason: `${err.message} Check the identifier.` })
          continue
        }
        if (!isTransient(err)) {
          this.noteFailure(report, { ...note, reason: (err as Error).message.slice(0, 300) })
          continue
        }
        // Offline or rate-limited: keep what we know, complete it later.
        input = { ...probe, title: '', enrichment: { status: 'pending', message: describeLookupError(err, source) } }
        report.warnings.push(`${raw}: ${describeLookupError(err, source)}`)
      }
      const dup = this.store.findDuplicate(input)
      if (dup) {
        this.noteDuplicate(report, { ...note, title: input.title ?? null, existingId: dup.id, reason: 'Already in the library (same title, year and first author).' })
        continue
      }
      const newId = this.store.tx(() => this.store.insertPaper(input, this.now()))
      report.added++
      report.addedIds.push(newId)
    }
    this.changed('added', report.addedIds)
    report.durationMs = Math.round(performance.now() - t0)
    ctx.progress(100)
    return report
  }

  /** Retries look-ups for papers marked pending (offline imports). Throws a retryable error when nothing could be reached. */
  readonly enrichJob: JobHandler<EnrichJob, ImportReport> = async (data, ctx) => {
    const t0 = performance.now()
    const ids =
      data.ids ??
      (this.deps.sqlite.prepare("SELECT id FROM papers WHERE enrichment_status = 'pending' ORDER BY id LIMIT 1000").pluck().all() as number[])
    const report = this.newReport('enrichment', 'identifier')
    const r = await this.enrichPapers(ids, ctx, ctx.jobId !== 0)
    report.merged = r.done
    report.failed = r.failed
    if (r.pending) report.warnings.push(`${r.pending} paper(s) still waiting: ${r.lastMessage ?? ''}`)
    report.durationMs = Math.round(performance.now() - t0)
    return report
  }

  private async enrichPapers(ids: number[], ctx: JobContext, throwWhenAllTransient: boolean): Promise<{ done: number; failed: number; pending: number; lastMessage: string | null }> {
    let done = 0
    let failed = 0
    let pending = 0
    let lastTransient: unknown = null
    let lastMessage: string | null = null
    const updated: number[] = []
    for (const p of this.store.getPapers(ids)) {
      ctx.signal.throwIfAborted()
      const kind = p.doi ? 'doi' : p.arxivId ? 'arxiv' : null
      if (!kind) continue
      const source = kind === 'doi' ? 'Crossref' : 'arXiv'
      try {
        const found = await this.lookup(kind, (kind === 'doi' ? p.doi : p.arxivId)!, ctx.signal)
        this.store.tx(() => {
          this.fillFrom(p.id, { ...found, doi: p.doi ?? found.doi, tags: [] }, this.now())
          this.store.patchPaper(p.id, { enrichment: { status: 'done', message: null } }, this.now())
        })
        done++
        updated.push(p.id)
      } catch (err) {
        if (ctx.signal.aborted) throw err
        const attempts = (this.deps.sqlite.prepare('UPDATE papers SET enrichment_attempts = enrichment_attempts + 1 WHERE id = ? RETURNING enrichment_attempts').pluck().get(p.id) as number) ?? 0
        const transient = isTransient(err)
        const giveUp = !transient || attempts >= this.config.maxEnrichmentAttempts
        const message = transient ? describeLookupError(err, source) : err instanceof NotFoundError ? `${err.message} Metadata could not be completed.` : (err as Error).message.slice(0, 300)
        this.store.tx(() => this.store.patchPaper(p.id, { enrichment: { status: giveUp ? 'failed' : 'pending', message } }, this.now()))
        updated.push(p.id)
        if (giveUp) failed++
        else {
          pending++
          lastTransient = err
          lastMessage = message
        }
      }
    }
    this.changed('updated', updated)
    if (throwWhenAllTransient && pending && !done && lastTransient) throw lastTransient
    return { done, failed, pending, lastMessage }
  }

  // =============== duplicates and merge ===============

  duplicates(ids?: number[]): DuplicateGroup[] {
    const db = this.deps.sqlite
    const groups: DuplicateGroup[] = []
    const within = ids ? new Set(ids) : null
    const add = (reason: DuplicateGroup['reason'], key: string, members: number[]) => {
      if (members.length > 1 && (!within || members.some((m) => within.has(m)))) groups.push({ reason, key, paperIds: members })
    }
    for (const r of db.prepare('SELECT arxiv_id AS k, group_concat(id) AS ids FROM papers WHERE arxiv_id IS NOT NULL GROUP BY arxiv_id HAVING count(*) > 1').all() as { k: string; ids: string }[])
      add('arxiv', r.k, r.ids.split(',').map(Number).sort((a, b) => a - b))
    const seen = new Set(groups.flatMap((g) => g.paperIds))
    const rows = db
      .prepare(
        `SELECT dedupe_key AS k, id, doi_norm AS doi, arxiv_id AS arxivId, isbn, item_type AS itemType, volume, issue, pages FROM papers
         WHERE dedupe_key IN (SELECT dedupe_key FROM papers WHERE dedupe_key IS NOT NULL GROUP BY dedupe_key HAVING count(*) > 1) ORDER BY dedupe_key, id`,
      )
      .all() as (WorkFacts & { k: string; id: number })[]
    // One key can hold several works (a column in every issue): a paper joins the first group whose merged record it
    // does not contradict, so that a paper without volume goes with one volume, not with two that differ.
    const clusters = new Map<string, { ids: number[]; work: Work }[]>()
    for (const r of rows) {
      let list = clusters.get(r.k)
      if (!list) clusters.set(r.k, (list = []))
      const work = toWork(r)
      const home = list.find((c) => !differentWorks(c.work, work))
      if (home) {
        home.ids.push(r.id)
        mergeWork(home.work, work)
      } else if (list.length < MAX_CANDIDATES) list.push({ ids: [r.id], work })
    }
    for (const [k, list] of clusters) for (const c of list) if (!c.ids.every((m) => seen.has(m))) add('title', k, c.ids)
    return groups
  }

  /** Folds mergeIds into keepId: empty fields filled, attachments, tags, collections, notes and highlights kept. */
  async merge(keepId: number, mergeIds: number[]): Promise<Paper> {
    const others = mergeIds.filter((id) => id !== keepId)
    if (!others.length) throw new AppError('VALIDATION', 'Choose at least one other paper to merge.')
    const papers = this.store.getPapers([keepId, ...others])
    if (papers.length !== others.length + 1) throw new AppError('NOT_FOUND', 'One of the papers to merge does not exist.')
    const [keep, ...rest] = papers
    const db = this.deps.sqlite
    const now = this.now()
    this.store.tx(() => {
      for (const o of rest) {
        // Free the other paper's unique DOI before it can move to the kept one.
        db.prepare('UPDATE papers SET doi_norm = NULL WHERE id = ?').run(o.id)
        const cur = this.store.getPapers([keepId])[0]
        const notes = [cur.notes.trim(), o.notes.trim()].filter(Boolean)
        const patch: PaperInput = {
          notes: [...new Set(notes)].join('\n\n---\n\n'),
          highlights: [...cur.highlights, ...o.highlights],
          rating: cur.rating == null ? o.rating : o.rating == null ? cur.rating : Math.max(cur.rating, o.rating),
          readingStatus: STATUS_RANK[o.readingStatus] > STATUS_RANK[cur.readingStatus] ? o.readingStatus : cur.readingStatus,
        }
        this.store.patchPaper(keepId, patch, now)
        this.fillFrom(keepId, { ...o, tags: o.tags, extra: o.extra }, now)
        this.store.addCollections(keepId, o.collectionIds)
        db.prepare('DELETE FROM attachments WHERE paper_id = ? AND sha256 IN (SELECT sha256 FROM attachments WHERE paper_id = ?)').run(o.id, keepId)
        db.prepare('UPDATE attachments SET paper_id = ? WHERE paper_id = ?').run(keepId, o.id)
        db.prepare('DELETE FROM papers WHERE id = ?').run(o.id)
      }
    })
    this.changed('merged', [keep.id, ...rest.map((r) => r.id)])
    this.deps.events.emit('library.tagsChanged', {})
    return this.get(keepId)
  }

  // =============== export ===============

  async export(input: { ids?: number[]; format: ExportResult['format']; style?: CitationStyle; filePath?: string }): Promise<ExportResult> {
    const ids = input.ids ?? this.store.allIds()
    const papers = this.store.getPapers(ids)
    let content: string
    switch (input.format) {
      case 'bibtex':
        content = toBibtex(papers)
        break
      case 'ris':
        content = toRis(papers)
        break
      case 'csl-json':
        content = toCslJson(papers)
        break
      case 'citation':
        if (!input.style) throw new AppError('VALIDATION', 'Choose a citation style (APA, IEEE, Chicago or Vancouver).')
        if (papers.length > 5000) throw new AppError('PAYLOAD_TOO_LARGE', 'Formatted citations are limited to 5,000 papers at a time; export BibTeX or CSL-JSON for more.')
        content = toCitations(papers, input.style)
        break
    }
    if (input.filePath) {
      try {
        writeFileAtomic(input.filePath, content, 0o644)
      } catch (err) {
        throw new AppError('UNAVAILABLE', `Could not write ${basename(input.filePath)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`)
      }
    }
    return { format: input.format, style: input.format === 'citation' ? (input.style ?? null) : null, count: papers.length, content, filePath: input.filePath ?? null }
  }

  // =============== attachments ===============

  async addAttachment(paperId: number, path: string): Promise<Attachment> {
    this.get(paperId)
    const name = basename(path)
    let stored
    try {
      stored = await this.files.importFile(path)
    } catch (err) {
      throw new AppError('NOT_FOUND', `Could not read ${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message}.`)
    }
    const existing = this.deps.sqlite.prepare('SELECT id FROM attachments WHERE paper_id = ? AND sha256 = ?').pluck().get(paperId, stored.sha256) as number | undefined
    if (existing !== undefined) return this.store.attachment(existing)!
    const mime = mimeFor(name)
    let pages: string[] = []
    let state: Attachment['textState'] = 'none'
    let error: string | null = null
    let pageCount: number | null = null
    if (mime === 'application/pdf') {
      try {
        const info = await extractPdf(new Uint8Array(await fsp.readFile(stored.path)))
        pages = info.pages
        pageCount = info.pageCount
        state = 'done'
      } catch (err) {
        state = 'failed'
        error = extractionError(err)
      }
    }
    const id = this.store.tx(() => {
      const attId = Number(
        this.deps.sqlite
          .prepare('INSERT INTO attachments (paper_id, sha256, mime, size, original_name, text_state, text_error, page_count, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(paperId, stored.sha256, mime, stored.size, name, state, error, pageCount, this.now()).lastInsertRowid,
      )
      const ins = this.deps.sqlite.prepare('INSERT INTO attachment_pages (attachment_id, page, text) VALUES (?, ?, ?)')
      pages.forEach((t, i) => ins.run(attId, i + 1, t))
      this.store.touch(paperId, this.now())
      return attId
    })
    this.changed('updated', [paperId])
    return this.store.attachment(id)!
  }

  async removeAttachment(id: number): Promise<{ removed: boolean }> {
    const a = this.store.attachment(id)
    if (!a) return { removed: false }
    this.store.tx(() => {
      this.deps.sqlite.prepare('DELETE FROM attachments WHERE id = ?').run(id)
      this.store.touch(a.paperId, this.now())
    })
    await this.removeUnreferencedFiles([a.sha256])
    this.changed('updated', [a.paperId])
    return { removed: true }
  }

  attachmentPath(id: number): { path: string; mime: string; originalName: string } {
    const a = this.store.attachment(id)
    if (!a) throw new AppError('NOT_FOUND', `Attachment ${id} does not exist.`)
    return { path: this.files.pathFor(a.sha256), mime: a.mime, originalName: a.originalName }
  }

  private async removeUnreferencedFiles(shas: string[]): Promise<void> {
    for (const sha of shas) {
      const used = this.deps.sqlite.prepare('SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1').get(sha)
      if (!used) await this.files.remove(sha).catch((err) => this.deps.logger.warn('could not remove stored file', { error: (err as Error).message }))
    }
  }
}
