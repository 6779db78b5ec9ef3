/**
 * Keeps the search tables in step with the library, in small bounded steps so the database is never held
 * for long:
 * - `search_dirty` (filled by triggers on papers / authors / tags) → rows of `search_fts`;
 * - `search_ft_queue` (filled by triggers on attachments / pages) → pages of `search_fulltext` (the
 *   Zotero-style full-text index: its own table, rebuildable, indexed in the background, resumable —
 *   the queue is a table, so work left at shutdown continues at the next start);
 * - `search_suggest`, the vocabulary for suggestions, refreshed when enough has changed;
 * - FTS5 'merge' steps of bounded size after bulk writes, instead of one long 'optimize'.
 */
import type Database from 'better-sqlite3'
import { cjkColumn, wordColumn } from './cjk'
import { fold } from './highlight'

interface DocRow {
  id: number
  title: string
  abstract: string | null
  venue: string | null
  notes: string
  authors: string | null
  tags: string | null
}

export const SCHEMA_VERSION = '1'
const MERGE_PAGES = 64

export class SearchIndexer {
  private stmts
  /** Rows written since the last completed merge, per FTS table. */
  private unmerged = { search_fts: 0, search_fulltext: 0 }
  private suggestStale = 0

  constructor(private db: Database.Database) {
    const s = (sql: string) => db.prepare(sql)
    this.stmts = {
      dirtyBatch: s('SELECT paper_id AS id FROM search_dirty ORDER BY paper_id LIMIT ?').pluck(),
      dirtyCount: s('SELECT count(*) FROM search_dirty').pluck(),
      dirtyDelete: s('DELETE FROM search_dirty WHERE paper_id = ?'),
      docs: s(`SELECT p.id, p.title, p.abstract, p.venue, p.notes,
          (SELECT group_concat(a.family || coalesce(' ' || a.given, ''), ' ; ') FROM (SELECT family, given FROM paper_authors WHERE paper_id = p.id ORDER BY position) a) AS authors,
          (SELECT group_concat(t.name, ' ; ') FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.paper_id = p.id) AS tags
        FROM papers p WHERE p.id IN (SELECT value FROM json_each(?))`),
      ftsDelete: s('DELETE FROM search_fts WHERE rowid = ?'),
      ftsInsert: s(`INSERT INTO search_fts(rowid, title, abstract, authors, tags, notes, venue, title_cjk, abstract_cjk, authors_cjk, tags_cjk, notes_cjk, venue_cjk)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      suggestAdd: s(`INSERT INTO search_suggest(kind, norm, label, n) VALUES (?, ?, ?, 1) ON CONFLICT(kind, norm) DO NOTHING`),
      queueBatch: s('SELECT attachment_id FROM search_ft_queue ORDER BY queued_at, attachment_id LIMIT ?').pluck(),
      queueCount: s('SELECT count(*) FROM search_ft_queue').pluck(),
      queueDelete: s('DELETE FROM search_ft_queue WHERE attachment_id = ?'),
      attachment: s('SELECT id, paper_id AS paperId, text_state AS textState FROM attachments WHERE id = ?'),
      pagesOf: s('SELECT page, text FROM attachment_pages WHERE attachment_id = ? ORDER BY page'),
      ftPagesOf: s('SELECT id FROM search_ft_pages WHERE attachment_id = ?').pluck(),
      ftPageInsert: s('INSERT INTO search_ft_pages(attachment_id, paper_id, page) VALUES (?, ?, ?)'),
      ftPageDelete: s('DELETE FROM search_ft_pages WHERE id = ?'),
      fulltextDelete: s('DELETE FROM search_fulltext WHERE rowid = ?'),
      fulltextInsert: s('INSERT INTO search_fulltext(rowid, body, body_cjk) VALUES (?, ?, ?)'),
      stateGet: s('SELECT value FROM search_state WHERE key = ?').pluck(),
      stateSet: s('INSERT INTO search_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    }
  }

  pendingPapers(): number {
    return this.stmts.dirtyCount.get() as number
  }
  pendingAttachments(): number {
    return this.stmts.queueCount.get() as number
  }

  /** First start (or a new index layout): queue everything. */
  ensureInitialised(): void {
    if (this.stmts.stateGet.get('version') === SCHEMA_VERSION) return
    this.db.transaction(() => {
      this.queueAll(true, true)
      this.stmts.stateSet.run('version', SCHEMA_VERSION)
    })()
  }

  /** Drops the chosen index and queues every paper / attachment again (work happens in the background). */
  queueAll(metadata: boolean, fulltext: boolean): void {
    this.db.transaction(() => {
      if (metadata) {
        this.db.exec(`DELETE FROM search_fts; DELETE FROM search_suggest; INSERT OR IGNORE INTO search_dirty(paper_id) SELECT id FROM papers`)
        this.suggestStale += 1_000_000
      }
      if (fulltext) {
        this.db.exec(`DELETE FROM search_fulltext; DELETE FROM search_ft_pages;
          INSERT OR REPLACE INTO search_ft_queue(attachment_id, queued_at) SELECT id, 0 FROM attachments WHERE text_state = 'done'`)
      }
    })()
  }

  /** Re-indexes up to `max` dirty papers in one transaction; returns how many were processed. */
  flushPapers(max: number): number {
    const ids = this.stmts.dirtyBatch.all(max) as number[]
    if (!ids.length) return 0
    this.db.transaction(() => {
      const docs = this.stmts.docs.all(JSON.stringify(ids)) as DocRow[]
      const found = new Map(docs.map((d) => [d.id, d]))
      for (const id of ids) {
        this.stmts.ftsDelete.run(id)
        const d = found.get(id)
        if (d) {
          this.stmts.ftsInsert.run(
            id,
            wordColumn(d.title),
            wordColumn(d.abstract),
            wordColumn(d.authors),
            wordColumn(d.tags),
            wordColumn(d.notes),
            wordColumn(d.venue),
            cjkColumn(d.title),
            cjkColumn(d.abstract),
            cjkColumn(d.authors),
            cjkColumn(d.tags),
            cjkColumn(d.notes),
            cjkColumn(d.venue),
          )
          // New values become suggestible at once; counts are corrected by the next vocabulary refresh.
          if (d.venue) this.stmts.suggestAdd.run('journal', fold(d.venue), d.venue)
          if (d.tags) for (const t of d.tags.split(' ; ')) this.stmts.suggestAdd.run('tag', fold(t), t)
        }
        this.stmts.dirtyDelete.run(id)
      }
    })()
    this.unmerged.search_fts += ids.length
    this.suggestStale += ids.length
    return ids.length
  }

  /** Indexes queued attachments until `budgetMs` is spent (at least one); returns attachments processed. */
  flushFulltext(budgetMs: number): number {
    const t0 = performance.now()
    let done = 0
    for (;;) {
      const [attId] = this.stmts.queueBatch.all(1) as number[]
      if (attId === undefined) break
      let pages = 0
      this.db.transaction(() => {
        for (const rowId of this.stmts.ftPagesOf.all(attId) as number[]) {
          this.stmts.fulltextDelete.run(rowId)
          this.stmts.ftPageDelete.run(rowId)
        }
        const att = this.stmts.attachment.get(attId) as { id: number; paperId: number; textState: string } | undefined
        if (att && att.textState === 'done') {
          for (const p of this.stmts.pagesOf.all(attId) as { page: number; text: string }[]) {
            if (!p.text.trim()) continue
            const rowId = Number(this.stmts.ftPageInsert.run(attId, att.paperId, p.page).lastInsertRowid)
            this.stmts.fulltextInsert.run(rowId, wordColumn(p.text), cjkColumn(p.text))
            pages++
          }
        }
        this.stmts.queueDelete.run(attId)
      })()
      this.unmerged.search_fulltext += pages
      done++
      if (performance.now() - t0 >= budgetMs) break
    }
    return done
  }

  /**
   * One bounded FTS5 merge step on a table with enough new segments; true while more merging is useful.
   * ('merge', N) writes at most about N pages, so each step holds the write lock for milliseconds.
   */
  mergeStep(): boolean {
    for (const table of ['search_fts', 'search_fulltext'] as const) {
      if (this.unmerged[table] < 500) continue
      const before = this.db.prepare('SELECT total_changes()').pluck().get() as number
      this.db.prepare(`INSERT INTO ${table}(${table}, rank) VALUES ('merge', ?)`).run(MERGE_PAGES)
      const after = this.db.prepare('SELECT total_changes()').pluck().get() as number
      if (after - before < 2) this.unmerged[table] = 0
      return true
    }
    return false
  }

  /** Rebuilds the suggestion vocabulary with exact counts when enough changed (~100 ms at 100k papers). */
  refreshSuggestions(force = false): boolean {
    if (!force && this.suggestStale < 200) return false
    const rows: [string, string, string, number][] = []
    const authors = this.db
      .prepare(
        `SELECT family, given, count(*) AS n FROM paper_authors GROUP BY family COLLATE NOCASE, given COLLATE NOCASE`,
      )
      .all() as { family: string; given: string | null; n: number }[]
    for (const a of authors) rows.push(['author', fold(a.given ? `${a.family} ${a.given}` : a.family), a.given ? `${a.family}, ${a.given}` : a.family, a.n])
    const tags = this.db.prepare('SELECT t.name, count(pt.paper_id) AS n FROM tags t JOIN paper_tags pt ON pt.tag_id = t.id GROUP BY t.id').all() as { name: string; n: number }[]
    for (const t of tags) rows.push(['tag', fold(t.name), t.name, t.n])
    const venues = this.db
      .prepare(`SELECT min(venue) AS venue, count(*) AS n FROM papers WHERE venue IS NOT NULL AND venue <> '' GROUP BY venue COLLATE NOCASE`)
      .all() as { venue: string; n: number }[]
    for (const v of venues) rows.push(['journal', fold(v.venue), v.venue, v.n])
    const insert = this.db.prepare('INSERT INTO search_suggest(kind, norm, label, n) VALUES (?, ?, ?, ?) ON CONFLICT(kind, norm) DO UPDATE SET n = n + excluded.n')
    this.db.transaction(() => {
      this.db.exec('DELETE FROM search_suggest')
      for (const r of rows) insert.run(...r)
    })()
    this.suggestStale = 0
    return true
  }
}
