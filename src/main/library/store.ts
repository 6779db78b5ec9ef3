import type Database from 'better-sqlite3'
import { AppError } from '../../shared/errors'
import type { Attachment, Author, Collection, Paper, ReadingStatus, SavedSearch, Tag } from '../../shared/contract/library'
import { META_COLUMNS, META_KEYS, type PaperInput } from './model'
import { differentWorks, MAX_CANDIDATES, toWork, type WorkFacts } from './duplicates'
import { cleanDoi, dedupeKey, normalizeArxiv, normalizeDoi } from './normalize'

interface PaperRow {
  id: number
  item_type: string
  title: string
  abstract: string | null
  venue: string | null
  volume: string | null
  issue: string | null
  pages: string | null
  publisher: string | null
  year: number | null
  date: string | null
  doi: string | null
  arxiv_id: string | null
  isbn: string | null
  url: string | null
  language: string | null
  citation_key: string | null
  extra: string
  rating: number | null
  notes: string
  reading_status: ReadingStatus
  highlights: string
  enrichment_status: Paper['enrichment']['status']
  enrichment_message: string | null
  added_at: number
  modified_at: number
}

interface AttachmentRow {
  id: number
  paper_id: number
  sha256: string
  mime: string
  size: number
  original_name: string
  text_state: Attachment['textState']
  text_error: string | null
  page_count: number | null
  added_at: number
}

export const toAttachment = (r: AttachmentRow): Attachment => ({
  id: r.id,
  paperId: r.paper_id,
  sha256: r.sha256,
  mime: r.mime,
  size: r.size,
  originalName: r.original_name,
  textState: r.text_state,
  textError: r.text_error,
  pageCount: r.page_count,
  addedAt: r.added_at,
})

export type DuplicateMatch = { id: number; reason: 'doi' | 'arxiv' | 'title' }

/**
 * The `col = ?, …` list of an UPDATE and its parameters: undefined leaves a column alone, null clears it.
 * Column names come from our code, never from input.
 */
export function setClause(values: Record<string, unknown>): { sql: string; params: unknown[] } {
  const cols = Object.keys(values).filter((c) => values[c] !== undefined)
  return { sql: cols.map((c) => `${c} = ?`).join(', '), params: cols.map((c) => values[c]) }
}

const CHUNK = 500

/**
 * All SQL of the library in one place, on prepared statements (better-sqlite3 is synchronous; callers
 * group writes with `tx`). Knows nothing about events or files.
 */
export class LibraryStore {
  private readonly st: Record<string, Database.Statement>
  private tagCache = new Map<string, number>()

  constructor(readonly sqlite: Database.Database) {
    const p = (sql: string) => sqlite.prepare(sql)
    this.st = {
      insertPaper: p(`INSERT INTO papers (item_type,title,abstract,venue,volume,issue,pages,publisher,year,date,doi,doi_norm,arxiv_id,isbn,url,language,
        citation_key,extra,dedupe_key,rating,notes,reading_status,highlights,enrichment_status,enrichment_message,added_at,modified_at)
        VALUES (@itemType,@title,@abstract,@venue,@volume,@issue,@pages,@publisher,@year,@date,@doi,@doiNorm,@arxivId,@isbn,@url,@language,
        @citationKey,@extra,@dedupeKey,@rating,@notes,@readingStatus,@highlights,@enrichmentStatus,@enrichmentMessage,@now,@now)`),
      insertAuthor: p('INSERT INTO paper_authors (paper_id, position, family, given) VALUES (?, ?, ?, ?)'),
      deleteAuthors: p('DELETE FROM paper_authors WHERE paper_id = ?'),
      tagByName: p('SELECT id FROM tags WHERE name = ? COLLATE NOCASE'),
      insertTag: p('INSERT INTO tags (name) VALUES (?)'),
      addPaperTag: p('INSERT OR IGNORE INTO paper_tags (paper_id, tag_id) VALUES (?, ?)'),
      deletePaperTags: p('DELETE FROM paper_tags WHERE paper_id = ?'),
      addPaperCollection: p('INSERT OR IGNORE INTO paper_collections (paper_id, collection_id) VALUES (?, ?)'),
      deletePaperCollections: p('DELETE FROM paper_collections WHERE paper_id = ?'),
      byDoi: p('SELECT id FROM papers WHERE doi_norm = ?'),
      byArxiv: p('SELECT id FROM papers WHERE arxiv_id = ? ORDER BY id LIMIT 1'),
      byKey: p(`SELECT id, doi_norm AS doi, arxiv_id AS arxivId, isbn, item_type AS itemType, volume, issue, pages FROM papers WHERE dedupe_key = ? ORDER BY id LIMIT ${MAX_CANDIDATES}`),
      touch: p('UPDATE papers SET modified_at = ? WHERE id = ?'),
      exists: p('SELECT 1 FROM papers WHERE id = ?'),
      refreshKey: p(`UPDATE papers SET dedupe_key = ? WHERE id = ?`),
      keyParts: p(`SELECT title, year, (SELECT family FROM paper_authors a WHERE a.paper_id = papers.id ORDER BY position LIMIT 1) AS first FROM papers WHERE id = ?`),
    }
  }

  tx<T>(fn: () => T): T {
    const run = this.sqlite.transaction(fn)
    try {
      return run()
    } finally {
      // A rolled-back transaction may have left ids in the cache that no longer exist.
      if (!this.sqlite.inTransaction) this.tagCache.clear()
    }
  }

  // ---------- duplicates ----------

  /** An existing paper this input duplicates: same DOI, same arXiv id, or same title+year+first author (unless differentWorks). */
  findDuplicate(input: PaperInput, excludeId?: number): DuplicateMatch | null {
    const doiNorm = normalizeDoi(input.doi)
    if (doiNorm) {
      const r = this.st.byDoi.get(doiNorm) as { id: number } | undefined
      if (r && r.id !== excludeId) return { id: r.id, reason: 'doi' }
    }
    const arxiv = normalizeArxiv(input.arxivId)
    if (arxiv) {
      const r = this.st.byArxiv.get(arxiv) as { id: number } | undefined
      if (r && r.id !== excludeId) return { id: r.id, reason: 'arxiv' }
    }
    const key = dedupeKey(input.title, input.year, input.authors?.[0]?.family)
    if (key) {
      const work = toWork({
        doi: doiNorm,
        arxivId: arxiv,
        isbn: input.isbn ?? null,
        itemType: input.itemType || 'article-journal',
        volume: input.volume ?? null,
        issue: input.issue ?? null,
        pages: input.pages ?? null,
      })
      for (const r of this.st.byKey.all(key) as (WorkFacts & { id: number })[]) if (r.id !== excludeId && !differentWorks(toWork(r), work)) return { id: r.id, reason: 'title' }
    }
    return null
  }

  // ---------- writes ----------

  insertPaper(input: PaperInput, now: number): number {
    const doi = cleanDoi(input.doi)
    const arxivId = normalizeArxiv(input.arxivId)
    const res = this.st.insertPaper.run({
      itemType: input.itemType || 'article-journal',
      title: input.title ?? '',
      abstract: input.abstract ?? null,
      venue: input.venue ?? null,
      volume: input.volume ?? null,
      issue: input.issue ?? null,
      pages: input.pages ?? null,
      publisher: input.publisher ?? null,
      year: input.year ?? null,
      date: input.date ?? null,
      doi,
      doiNorm: doi ? doi.toLowerCase() : null,
      arxivId,
      isbn: input.isbn ?? null,
      url: input.url ?? null,
      language: input.language ?? null,
      citationKey: input.citationKey ?? null,
      extra: JSON.stringify(input.extra ?? {}),
      dedupeKey: dedupeKey(input.title, input.year, input.authors?.[0]?.family),
      rating: input.rating ?? null,
      notes: input.notes ?? '',
      readingStatus: input.readingStatus ?? 'unread',
      highlights: JSON.stringify(input.highlights ?? []),
      enrichmentStatus: input.enrichment?.status ?? 'none',
      enrichmentMessage: input.enrichment?.message ?? null,
      now,
    })
    const id = Number(res.lastInsertRowid)
    if (input.authors?.length) this.writeAuthors(id, input.authors, false)
    if (input.tags?.length) this.addTags(id, input.tags)
    if (input.collectionIds?.length) this.addCollections(id, input.collectionIds)
    return id
  }

  writeAuthors(id: number, authors: Author[], replace = true): void {
    if (replace) this.st.deleteAuthors.run(id)
    authors.forEach((a, i) => this.st.insertAuthor.run(id, i, a.family, a.given ?? null))
  }

  tagId(name: string): number {
    const clean = name.trim()
    const k = clean.toLowerCase()
    const hit = this.tagCache.get(k)
    if (hit !== undefined) return hit
    const row = this.st.tagByName.get(clean) as { id: number } | undefined
    const id = row ? row.id : Number(this.st.insertTag.run(clean).lastInsertRowid)
    this.tagCache.set(k, id)
    return id
  }

  addTags(paperId: number, names: string[]): void {
    for (const n of names) if (n.trim()) this.st.addPaperTag.run(paperId, this.tagId(n))
  }

  setTags(paperId: number, names: string[]): void {
    this.st.deletePaperTags.run(paperId)
    this.addTags(paperId, names)
  }

  addCollections(paperId: number, ids: number[]): void {
    for (const c of ids) this.st.addPaperCollection.run(paperId, c)
  }

  setCollections(paperId: number, ids: number[]): void {
    this.st.deletePaperCollections.run(paperId)
    this.addCollections(paperId, ids)
  }

  /** Applies a metadata/evaluation patch to one paper (inside the caller's transaction). */
  patchPaper(id: number, patch: PaperInput & { extraMerge?: Record<string, unknown> }, now: number): void {
    if (!this.st.exists.get(id)) throw new AppError('NOT_FOUND', `Paper ${id} does not exist.`)
    const values: Record<string, unknown> = {}
    for (const k of META_KEYS) {
      if (!(k in patch) || patch[k] === undefined) continue
      let v: unknown = patch[k]
      if (k === 'doi') {
        const d = cleanDoi(v as string | null)
        if (v && !d) throw new AppError('VALIDATION', `"${String(v)}" is not a DOI.`)
        v = d
        values.doi_norm = d ? d.toLowerCase() : null
        if (d) {
          const other = this.st.byDoi.get(d.toLowerCase()) as { id: number } | undefined
          if (other && other.id !== id) throw new AppError('CONFLICT', `Paper ${other.id} already has the DOI ${d}; merge the two instead.`)
        }
      } else if (k === 'arxivId') {
        v = normalizeArxiv(v as string | null)
      } else if (k === 'itemType' || k === 'title') {
        v = v ?? ''
      }
      values[META_COLUMNS[k]] = v
    }
    const json = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v))
    const set = setClause({
      ...values,
      rating: patch.rating,
      notes: patch.notes,
      reading_status: patch.readingStatus,
      highlights: json(patch.highlights),
      extra: json(patch.extra),
      enrichment_status: patch.enrichment?.status,
      enrichment_message: patch.enrichment ? (patch.enrichment.message ?? null) : undefined,
      modified_at: now,
    })
    this.sqlite.prepare(`UPDATE papers SET ${set.sql} WHERE id = ?`).run(...set.params, id)
    if (patch.authors !== undefined) this.writeAuthors(id, patch.authors)
    if (patch.tags !== undefined) this.setTags(id, patch.tags)
    if (patch.collectionIds !== undefined) this.setCollections(id, patch.collectionIds)
    this.refreshDedupeKey(id)
  }

  refreshDedupeKey(id: number): void {
    const r = this.st.keyParts.get(id) as { title: string; year: number | null; first: string | null }
    this.st.refreshKey.run(dedupeKey(r.title, r.year, r.first), id)
  }

  touch(id: number, now: number): void {
    this.st.touch.run(now, id)
  }

  deletePapers(ids: number[]): number {
    let n = 0
    for (let i = 0; i < ids.length; i += CHUNK)
      n += this.sqlite.prepare('DELETE FROM papers WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids.slice(i, i + CHUNK))).changes
    return n
  }

  // ---------- reads ----------

  existingIds(ids: number[]): number[] {
    const out: number[] = []
    for (let i = 0; i < ids.length; i += CHUNK)
      for (const r of this.sqlite.prepare('SELECT id FROM papers WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids.slice(i, i + CHUNK))) as { id: number }[])
        out.push(r.id)
    return out
  }

  allIds(): number[] {
    return (this.sqlite.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as number[]) ?? []
  }

  /** Full papers in the order of `ids` (missing ids are skipped). */
  getPapers(ids: number[]): Paper[] {
    const out: Paper[] = []
    for (let i = 0; i < ids.length; i += CHUNK) out.push(...this.getChunk(ids.slice(i, i + CHUNK)))
    return out
  }

  private getChunk(ids: number[]): Paper[] {
    if (!ids.length) return []
    const json = JSON.stringify(ids)
    const sel = (sql: string) => this.sqlite.prepare(sql).all(json)
    const rows = sel('SELECT * FROM papers WHERE id IN (SELECT value FROM json_each(?))') as PaperRow[]
    const authors = new Map<number, Author[]>()
    for (const a of sel('SELECT paper_id, family, given FROM paper_authors WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, position') as {
      paper_id: number
      family: string
      given: string | null
    }[]) {
      let l = authors.get(a.paper_id)
      if (!l) authors.set(a.paper_id, (l = []))
      l.push({ family: a.family, given: a.given })
    }
    const group = <T>(list: { paper_id: number; v: T }[]) => {
      const m = new Map<number, T[]>()
      for (const r of list) {
        let l = m.get(r.paper_id)
        if (!l) m.set(r.paper_id, (l = []))
        l.push(r.v)
      }
      return m
    }
    const tags = group(
      sel('SELECT pt.paper_id, t.name AS v FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.paper_id IN (SELECT value FROM json_each(?)) ORDER BY t.name COLLATE NOCASE') as {
        paper_id: number
        v: string
      }[],
    )
    const colls = group(
      sel('SELECT paper_id, collection_id AS v FROM paper_collections WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY collection_id') as { paper_id: number; v: number }[],
    )
    const atts = new Map<number, Attachment[]>()
    for (const r of sel('SELECT * FROM attachments WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY id') as AttachmentRow[]) {
      let l = atts.get(r.paper_id)
      if (!l) atts.set(r.paper_id, (l = []))
      l.push(toAttachment(r))
    }
    const byId = new Map(rows.map((r) => [r.id, r]))
    const out: Paper[] = []
    for (const id of ids) {
      const r = byId.get(id)
      if (!r) continue
      out.push({
        id: r.id,
        itemType: r.item_type,
        title: r.title,
        abstract: r.abstract,
        venue: r.venue,
        volume: r.volume,
        issue: r.issue,
        pages: r.pages,
        publisher: r.publisher,
        year: r.year,
        date: r.date,
        doi: r.doi,
        arxivId: r.arxiv_id,
        isbn: r.isbn,
        url: r.url,
        language: r.language,
        citationKey: r.citation_key,
        extra: JSON.parse(r.extra) as Record<string, unknown>,
        authors: authors.get(id) ?? [],
        tags: tags.get(id) ?? [],
        collectionIds: colls.get(id) ?? [],
        rating: r.rating,
        notes: r.notes,
        readingStatus: r.reading_status,
        highlights: JSON.parse(r.highlights) as Paper['highlights'],
        enrichment: { status: r.enrichment_status, message: r.enrichment_message },
        attachments: atts.get(id) ?? [],
        addedAt: r.added_at,
        modifiedAt: r.modified_at,
      })
    }
    return out
  }

  // ---------- tags / collections / saved searches ----------

  tags(): Tag[] {
    return this.sqlite
      .prepare('SELECT t.id, t.name, t.color, (SELECT count(*) FROM paper_tags pt WHERE pt.tag_id = t.id) AS count FROM tags t ORDER BY t.name COLLATE NOCASE')
      .all() as Tag[]
  }

  collections(): Collection[] {
    return (
      this.sqlite
        .prepare(
          'SELECT c.id, c.name, c.parent_id AS parentId, c.position, (SELECT count(*) FROM paper_collections pc WHERE pc.collection_id = c.id) AS count FROM collections c ORDER BY c.parent_id, c.position, c.name COLLATE NOCASE',
        )
        .all() as Collection[]
    ).map((c) => ({ ...c, parentId: c.parentId ?? null }))
  }

  savedSearches(): SavedSearch[] {
    return (
      this.sqlite.prepare('SELECT id, name, query, filters, created_at AS createdAt, updated_at AS updatedAt FROM saved_searches ORDER BY name COLLATE NOCASE').all() as (Omit<
        SavedSearch,
        'filters'
      > & { filters: string })[]
    ).map((r) => ({ ...r, filters: JSON.parse(r.filters) as Record<string, unknown> }))
  }

  attachment(id: number): Attachment | null {
    const r = this.sqlite.prepare('SELECT * FROM attachments WHERE id = ?').get(id) as AttachmentRow | undefined
    return r ? toAttachment(r) : null
  }
}
