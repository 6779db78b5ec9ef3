import type Database from 'better-sqlite3'

export interface SeedPaper {
  title: string
  abstract?: string
  venue?: string
  year?: number
  authors?: [string, string?][]
  tags?: string[]
  notes?: string
  rating?: number
  status?: 'unread' | 'reading' | 'completed'
  addedAt?: number
  collections?: number[]
  /** Attachment pages (text per page); the attachment is marked text_state 'done'. */
  pages?: string[]
}

/** Writes papers straight into the library tables (as the library service would), returning their ids. */
export function seed(db: Database.Database, papers: SeedPaper[], t0 = 1_700_000_000_000): number[] {
  const insPaper = db.prepare(
    `INSERT INTO papers(title, abstract, venue, year, notes, rating, reading_status, added_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insAuthor = db.prepare('INSERT INTO paper_authors(paper_id, position, family, given) VALUES (?, ?, ?, ?)')
  const insTag = db.prepare('INSERT INTO tags(name) VALUES (?) ON CONFLICT DO NOTHING')
  const tagId = db.prepare('SELECT id FROM tags WHERE name = ? COLLATE NOCASE').pluck()
  const insPaperTag = db.prepare('INSERT OR IGNORE INTO paper_tags(paper_id, tag_id) VALUES (?, ?)')
  const insColl = db.prepare('INSERT OR IGNORE INTO paper_collections(paper_id, collection_id) VALUES (?, ?)')
  const insAtt = db.prepare(
    `INSERT INTO attachments(paper_id, sha256, mime, size, original_name, text_state, page_count, added_at) VALUES (?, ?, 'application/pdf', 1, 'a.pdf', 'pending', ?, ?)`,
  )
  const insPage = db.prepare('INSERT INTO attachment_pages(attachment_id, page, text) VALUES (?, ?, ?)')
  const ids: number[] = []
  db.transaction(() => {
    papers.forEach((p, i) => {
      const added = p.addedAt ?? t0 + i * 1000
      const id = Number(
        insPaper.run(p.title, p.abstract ?? null, p.venue ?? null, p.year ?? null, p.notes ?? '', p.rating ?? null, p.status ?? 'unread', added, added).lastInsertRowid,
      )
      ids.push(id)
      ;(p.authors ?? []).forEach(([family, given], pos) => insAuthor.run(id, pos, family, given ?? null))
      for (const t of p.tags ?? []) {
        insTag.run(t)
        insPaperTag.run(id, tagId.get(t))
      }
      for (const c of p.collections ?? []) insColl.run(id, c)
      if (p.pages) {
        const att = Number(insAtt.run(id, `sha-${id}`, p.pages.length, added).lastInsertRowid)
        p.pages.forEach((text, n) => insPage.run(att, n + 1, text))
        db.prepare(`UPDATE attachments SET text_state = 'done' WHERE id = ?`).run(att)
      }
    })
  })()
  return ids
}

export function collection(db: Database.Database, name: string, parentId: number | null = null): number {
  return Number(db.prepare('INSERT INTO collections(name, parent_id, created_at) VALUES (?, ?, 0)').run(name, parentId).lastInsertRowid)
}
