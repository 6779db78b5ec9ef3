import type Database from 'better-sqlite3'
import type { ReextractTextInput, TextExtractionFailure, TextExtractionReport } from '../../shared/contract/library'
import type { JobContext, JobHandler } from '../jobs/types'
import type { AttachmentStore } from './attachments'
import { extractPdf } from './import/pdf'
import type { LibraryStore } from './store'

/** Resume state: attachments are visited in id order, so "everything up to afterId is done" is the whole cursor. */
interface Checkpoint {
  afterId: number
  /** Candidates when the run started (for progress; failures added meanwhile are still picked up). */
  total: number
  processed: number
  extracted: number
  failed: number
}

interface Candidate {
  id: number
  sha256: string
  original_name: string
}

const FAILURE_CAP = 1000
/** library.changed is sent per this many papers (and at the end), not per PDF. */
const EVENT_BATCH = 25

// Missing = never finished (pending: a crash between copying the file and storing its text) or done
// without any stored page (the text was lost).
const NEEDS_TEXT = `a.mime = 'application/pdf' AND (a.text_state IN ('failed', 'pending')
  OR (a.text_state = 'done' AND coalesce(a.page_count, 0) > 0 AND NOT EXISTS (SELECT 1 FROM attachment_pages p WHERE p.attachment_id = a.id)))`
const CHOSEN = `a.mime = 'application/pdf' AND a.id IN (SELECT value FROM json_each(@ids))`

export interface TextExtractionDeps {
  sqlite: Database.Database
  store: LibraryStore
  files: AttachmentStore
  now: () => number
  /** Announces papers whose attachments changed (library.changed), after the change is committed. */
  changed: (paperIds: number[]) => void
}

/** The message kept in `attachments.text_error` when pdf.js cannot read a stored PDF. */
export function extractionError(err: unknown): string {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'The stored file is missing from the library folder; add the PDF again.'
  const msg = ((err as Error).message ?? String(err)).replace(/\s+/g, ' ').trim().replace(/\.$/, '').slice(0, 250)
  return `The PDF could not be read (${msg || (err as Error).name || 'unknown error'}).`
}

/**
 * The `library.reextractText` job: extracts the text of PDFs again (after a pdf.js upgrade, or a crash in the
 * middle of an import) and stores it the way an import does — pages and state in one transaction, so the
 * search triggers queue the attachment for the full-text index — then announces the papers as updated.
 * One PDF at a time, checkpointed after each, so a restart resumes after the last PDF finished.
 */
export function reextractTextHandler(d: TextExtractionDeps): JobHandler<ReextractTextInput, TextExtractionReport> {
  return async (data, ctx: JobContext) => {
    const t0 = performance.now()
    const where = data.attachmentIds ? CHOSEN : NEEDS_TEXT
    const ids = JSON.stringify(data.attachmentIds ?? [])
    const next = d.sqlite.prepare(`SELECT a.id, a.sha256, a.original_name FROM attachments a WHERE a.id > @after AND ${where} ORDER BY a.id LIMIT 1`)
    let cp = (ctx.checkpoint as Checkpoint | null | undefined) ?? null
    if (!cp) {
      const total = d.sqlite.prepare(`SELECT count(*) FROM attachments a WHERE ${where}`).pluck().get({ ids }) as number
      cp = { afterId: 0, total, processed: 0, extracted: 0, failed: 0 }
    } else ctx.logger.info('resuming text extraction', { afterId: cp.afterId, processed: cp.processed, of: cp.total })

    const pending = new Set<number>()
    const flush = () => {
      if (!pending.size) return
      d.changed([...pending])
      pending.clear()
    }
    const st = {
      current: d.sqlite.prepare('SELECT paper_id AS paperId, text_state AS state, text_error AS error FROM attachments WHERE id = ?'),
      clearPages: d.sqlite.prepare('DELETE FROM attachment_pages WHERE attachment_id = ?'),
      addPage: d.sqlite.prepare('INSERT INTO attachment_pages (attachment_id, page, text) VALUES (?, ?, ?)'),
      done: d.sqlite.prepare("UPDATE attachments SET text_state = 'done', text_error = NULL, page_count = ? WHERE id = ?"),
      failed: d.sqlite.prepare("UPDATE attachments SET text_state = 'failed', text_error = ? WHERE id = ?"),
      message: d.sqlite.prepare('UPDATE attachments SET text_error = ? WHERE id = ?'),
    }
    try {
      for (;;) {
        ctx.signal.throwIfAborted()
        const a = next.get({ after: cp.afterId, ids }) as Candidate | undefined
        if (!a) break
        const of = Math.max(cp.total, cp.processed + 1)
        ctx.progress(Math.min(99, (100 * cp.processed) / of), `Extracting text from ${a.original_name} (${cp.processed + 1} of ${of})`)
        let pages: string[] | null = null
        let pageCount: number | null = null
        let reason: string | null = null
        try {
          const info = await extractPdf(new Uint8Array(await d.files.read(a.sha256)), { signal: ctx.signal })
          pages = info.pages
          pageCount = info.pageCount
        } catch (err) {
          if (ctx.signal.aborted) throw err
          reason = extractionError(err)
        }
        const outcome = d.store.tx(() => {
          // Re-read inside the transaction: while pdf.js was working the attachment may have been removed, or moved to another paper by a merge.
          const cur = st.current.get(a.id) as { paperId: number; state: string; error: string | null } | undefined
          if (!cur) return null
          if (pages) {
            st.clearPages.run(a.id)
            pages.forEach((text, i) => st.addPage.run(a.id, i + 1, text))
            st.done.run(pageCount, a.id)
          } else if (cur.state !== 'failed') {
            st.clearPages.run(a.id)
            st.failed.run(reason, a.id)
          } else if (cur.error !== reason) {
            // Still failing: only the message changes (setting text_state again would re-queue it for indexing).
            st.message.run(reason, a.id)
          } else return { paperId: cur.paperId, changed: false }
          d.store.touch(cur.paperId, d.now())
          return { paperId: cur.paperId, changed: true }
        })
        cp.afterId = a.id
        if (outcome) {
          cp.processed++
          if (pages) cp.extracted++
          else cp.failed++
          if (outcome.changed) pending.add(outcome.paperId)
        }
        if (pending.size >= EVENT_BATCH) flush()
        if (ctx.saveCheckpoint && !ctx.saveCheckpoint(cp)) ctx.signal.throwIfAborted()
      }
    } finally {
      flush()
    }

    // The failures are what is failed now among what this run looked at: read back rather than carried in every checkpoint.
    const failures = d.sqlite
      .prepare(
        `SELECT a.id AS attachmentId, a.paper_id AS paperId, a.original_name AS name, coalesce(a.text_error, 'Text extraction failed.') AS reason
         FROM attachments a WHERE a.id <= @after AND a.text_state = 'failed' AND ${data.attachmentIds ? CHOSEN : "a.mime = 'application/pdf'"} ORDER BY a.id LIMIT ${FAILURE_CAP}`,
      )
      .all({ after: cp.afterId, ids }) as TextExtractionFailure[]
    const report: TextExtractionReport = { processed: cp.processed, extracted: cp.extracted, failed: cp.failed, failures, durationMs: Math.round(performance.now() - t0) }
    ctx.progress(
      100,
      cp.processed === 0
        ? 'No PDF needed its text extracted.'
        : `Text extracted from ${cp.extracted} of ${cp.processed} PDF${cp.processed === 1 ? '' : 's'}${cp.failed ? `; ${cp.failed} could not be read` : ''}.`,
    )
    return report
  }
}
