import { useEffect, useState } from 'react'
import { READING_STATUSES } from '../../../../shared/constants'
import type { Attachment, Paper, PaperPatch } from '../../../../shared/contract'
import { api, isBrowserMode, uploadFile } from '../../api'
import { FilePicker } from '../../components/FilePicker'
import { useLibrary } from '../../stores/library'
import { attempt, useToasts } from '../../stores/toasts'
import { Stars } from './Highlighted'

const authorsToText = (p: Paper) => p.authors.map((a) => (a.given ? `${a.family}, ${a.given}` : a.family)).join('\n')
const textToAuthors = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [family, ...given] = l.split(',')
      return { family: family.trim(), given: given.join(',').trim() || null }
    })

/** A text field that saves on blur (or Enter for single-line), only when changed. */
function Field({ label, value, onSave, multiline, testId }: { label: string; value: string; onSave: (v: string) => void; multiline?: boolean; testId?: string }) {
  const [v, setV] = useState(value)
  useEffect(() => setV(value), [value])
  const commit = () => {
    if (v !== value) onSave(v)
  }
  return (
    <label className="field">
      <span>{label}</span>
      {multiline ? (
        <textarea value={v} rows={label === 'Abstract' || label === 'Notes' ? 5 : 3} onChange={(e) => setV(e.target.value)} onBlur={commit} data-testid={testId} />
      ) : (
        <input
          type="text"
          value={v}
          onChange={(e) => setV(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLInputElement).blur()}
          data-testid={testId}
        />
      )}
    </label>
  )
}

/** Browser mode streams the files to the host first; the desktop app asks main's native dialog, whose picks main accepts. */
async function attachFiles(paperId: number, files?: File[]) {
  const paths: string[] = []
  if (!files) {
    const picked = await attempt(() => api.invoke('files.openDialog', { title: 'Attach files', multiple: true, filters: [{ name: 'PDF', extensions: ['pdf'] }, { name: 'All files', extensions: ['*'] }] }))
    paths.push(...(picked ?? []))
  } else
    for (const f of files) {
      const p = await attempt(() => uploadFile(f))
      if (p) paths.push(p)
    }
  if (paths.length) await useLibrary.getState().attach(paperId, paths)
}

function AttachmentItem({ a, open }: { a: Attachment; open: (id: number) => void }) {
  const textJobs = useLibrary((s) => s.textJobs)
  const needsText = a.mime === 'application/pdf' && (a.textState === 'failed' || a.textState === 'pending')
  // This PDF is being re-extracted by a run of its own or by the library-wide one.
  const extracting = [...textJobs.values()].some((ids) => ids === undefined || ids.includes(a.id))
  return (
    <li data-testid="attachment">
      <button type="button" className="link" onClick={() => open(a.id)}>
        {a.originalName}
      </button>{' '}
      <span className="muted small" data-testid="attachment-text-state">
        {(a.size / 1024).toFixed(0)} KiB · text {a.textState}
        {a.pageCount ? ` · ${a.pageCount} pages` : ''}
      </span>
      {needsText && (
        <div className="attachment-problem small">
          {a.textError && <span className="error-text">{a.textError} </span>}
          <button
            type="button"
            className="link small"
            disabled={extracting}
            aria-label={extracting ? undefined : `Re-extract the text of ${a.originalName}`}
            onClick={() => void useLibrary.getState().reextractText([a.id])}
            data-testid="reextract-attachment"
          >
            {extracting ? 'Extracting text…' : 'Re-extract text'}
          </button>
        </div>
      )}
    </li>
  )
}

export function DetailPane() {
  const detail = useLibrary((s) => s.detail)
  const selectedId = useLibrary((s) => s.selectedId)
  const collections = useLibrary((s) => s.collections)
  if (!selectedId) return <aside className="detail empty-detail muted">Select a paper to see and edit its details.</aside>
  if (!detail || detail.id !== selectedId) return <aside className="detail muted" aria-busy="true">Loading…</aside>
  const p = detail
  const save = (patch: PaperPatch) => void useLibrary.getState().update(p.id, patch)
  const openAttachment = async (id: number) => {
    try {
      const r = await api.invoke('library.attachmentPath', { id })
      await navigator.clipboard?.writeText(r.path).catch(() => {})
      useToasts.getState().push('info', `Stored at ${r.path} (path copied)`)
    } catch (err) {
      useToasts.getState().push('error', (err as Error).message)
    }
  }
  return (
    <aside className="detail" aria-label="Paper details" data-testid="detail-pane">
      <Field label="Title" value={p.title} onSave={(title) => save({ title })} multiline testId="detail-title" />
      <div className="field">
        <span>Rating</span>
        <Stars value={p.rating} onChange={(rating) => save({ rating })} label="Your rating" />
      </div>
      <label className="field">
        <span>Reading status</span>
        <select value={p.readingStatus} onChange={(e) => save({ readingStatus: e.target.value as Paper['readingStatus'] })} data-testid="detail-status">
          {READING_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <Field label="Authors (one per line: Family, Given)" value={authorsToText(p)} onSave={(v) => save({ authors: textToAuthors(v) })} multiline />
      <div className="field-row">
        <Field label="Year" value={p.year?.toString() ?? ''} onSave={(v) => save({ year: v.trim() ? Number(v) : null })} />
        <Field label="Journal / venue" value={p.venue ?? ''} onSave={(v) => save({ venue: v || null })} />
      </div>
      <Field label="Tags (comma-separated)" value={p.tags.join(', ')} onSave={(v) => save({ tags: v.split(',').map((t) => t.trim()).filter(Boolean) })} testId="detail-tags" />
      <Field label="Notes" value={p.notes} onSave={(notes) => save({ notes })} multiline testId="detail-notes" />
      <Field label="Abstract" value={p.abstract ?? ''} onSave={(v) => save({ abstract: v || null })} multiline />
      <div className="field-row">
        <Field label="DOI" value={p.doi ?? ''} onSave={(v) => save({ doi: v || null })} />
        <Field label="arXiv" value={p.arxivId ?? ''} onSave={(v) => save({ arxivId: v || null })} />
      </div>
      <Field label="URL" value={p.url ?? ''} onSave={(v) => save({ url: v || null })} />
      {collections.length > 0 && (
        <fieldset className="field">
          <legend>Collections</legend>
          {collections.map((c) => (
            <label key={c.id} className="toggle">
              <input
                type="checkbox"
                checked={p.collectionIds.includes(c.id)}
                onChange={(e) => save({ collectionIds: e.target.checked ? [...p.collectionIds, c.id] : p.collectionIds.filter((x) => x !== c.id) })}
              />{' '}
              {c.name}
            </label>
          ))}
        </fieldset>
      )}
      <div className="field">
        <span>Attachments</span>
        {p.attachments.length ? (
          <ul className="attachments">
            {p.attachments.map((a) => (
              <AttachmentItem key={a.id} a={a} open={(id) => void openAttachment(id)} />
            ))}
          </ul>
        ) : (
          <span className="muted small">No attachments.</span>
        )}
        {isBrowserMode ? (
          <FilePicker label="Attach file…" className="small-btn attach-btn" onFiles={(files) => void attachFiles(p.id, files)} testId="attach-input" />
        ) : (
          <button type="button" className="small-btn attach-btn" onClick={() => void attachFiles(p.id)}>
            Attach file…
          </button>
        )}
      </div>
      {p.enrichment.status !== 'none' && (
        <p className="muted small">
          Online lookup: {p.enrichment.status}
          {p.enrichment.message ? ` — ${p.enrichment.message}` : ''}
        </p>
      )}
    </aside>
  )
}
