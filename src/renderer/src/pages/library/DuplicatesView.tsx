import { useEffect, useRef, useState } from 'react'
import type { DuplicateGroup, Paper } from '../../../../shared/contract'
import { defaultKeep, groupId, useDuplicates } from '../../stores/duplicates'

const REASON: Record<DuplicateGroup['reason'], string> = {
  doi: 'Same DOI',
  arxiv: 'Same arXiv id',
  title: 'Same title, year and first author',
}

const fmtDate = (t: number) => new Date(t).toISOString().slice(0, 10)
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function authors(p: Paper): string {
  if (!p.authors.length) return 'No authors'
  const names = p.authors.slice(0, 3).map((a) => (a.given ? `${a.family}, ${a.given}` : a.family))
  return names.join('; ') + (p.authors.length > 3 ? ` and ${p.authors.length - 3} more` : '')
}

/** Where the record was printed: what tells two similar records apart. */
function placement(p: Paper): string {
  return [p.volume && `vol. ${p.volume}`, p.issue && `no. ${p.issue}`, p.pages && `pp. ${p.pages}`].filter(Boolean).join(', ')
}

function RecordChoice({ p, gid, keep, kept, oldest }: { p: Paper; gid: string; keep: (id: number) => void; kept: boolean; oldest: boolean }) {
  const where = placement(p)
  return (
    <label className={kept ? 'dup-record kept' : 'dup-record'} data-testid="dup-record">
      <input type="radio" name={`keep-${gid}`} checked={kept} onChange={() => keep(p.id)} aria-describedby={`dup-${gid}-${p.id}`} />
      <span className="dup-facts">
        <span className="dup-title">{p.title || 'Untitled'}</span>
        <span className="small" id={`dup-${gid}-${p.id}`}>
          {authors(p)} · {p.year ?? 'no year'}
          {p.venue ? ` · ${p.venue}` : ''}
          {where ? ` · ${where}` : ''}
          {p.doi ? ` · DOI ${p.doi}` : ''}
          {p.arxivId ? ` · arXiv ${p.arxivId}` : ''}
        </span>
        <span className="muted small">
          {plural(p.attachments.length, 'attachment')} · {plural(p.tags.length, 'tag')}
          {p.notes.trim() ? ' · notes' : ''} · added {fmtDate(p.addedAt)}
          {oldest ? ' (oldest)' : ''}
        </span>
      </span>
      {kept && <span className="dup-keep-label small">Kept</span>}
    </label>
  )
}

function Group({ g, papers, onMerged }: { g: DuplicateGroup; papers: Map<number, Paper>; onMerged: () => void }) {
  const gid = groupId(g)
  const chosen = useDuplicates((s) => s.keep.get(gid))
  const merging = useDuplicates((s) => s.merging === gid)
  const busy = useDuplicates((s) => s.merging !== null)
  const [confirming, setConfirming] = useState(false)
  const mergeRef = useRef<HTMLButtonElement>(null)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const members = g.paperIds.map((id) => papers.get(id)).filter((p): p is Paper => !!p)
  const oldest = defaultKeep(g.paperIds, papers)
  const keepId = chosen ?? oldest
  const kept = papers.get(keepId)

  // Focus follows the swap of the Merge button and its confirmation, so the keyboard is never left on a removed button.
  const opened = useRef(false)
  useEffect(() => {
    if (confirming) confirmRef.current?.focus()
    else if (opened.current) mergeRef.current?.focus()
    opened.current ||= confirming
  }, [confirming])
  const cancel = () => setConfirming(false)

  return (
    <li className="dup-group" aria-labelledby={`dup-h-${gid}`} data-testid="dup-group">
      <div className="dup-head">
        <h3 id={`dup-h-${gid}`}>
          {REASON[g.reason]}
          {g.reason !== 'title' && <code className="dup-key">{g.key}</code>}
        </h3>
        <span className="muted small">{plural(g.paperIds.length, 'record')}</span>
      </div>
      {members.length < g.paperIds.length ? (
        <p className="muted small" aria-busy="true">
          Loading records…
        </p>
      ) : (
        <fieldset className="dup-records">
          <legend className="small muted">Record to keep (the others are merged into it)</legend>
          {members.map((p) => (
            <RecordChoice key={p.id} p={p} gid={gid} kept={p.id === keepId} oldest={p.id === oldest} keep={(id) => useDuplicates.getState().choose(gid, id)} />
          ))}
        </fieldset>
      )}
      {confirming ? (
        <div className="dup-confirm" role="group" aria-label="Confirm merge" onKeyDown={(e) => e.key === 'Escape' && cancel()} data-testid="dup-confirm">
          <span className="small">
            Merge into “{kept?.title || 'Untitled'}”? The other {g.paperIds.length === 2 ? 'record is' : 'records are'} removed; attachments, tags, notes and collections move to
            the kept one, and its empty fields are filled from the others.
          </span>
          <div className="row">
            <button
              type="button"
              className="primary small-btn"
              ref={confirmRef}
              disabled={busy}
              onClick={async () => {
                if (await useDuplicates.getState().merge(g, keepId)) onMerged()
                else setConfirming(false)
              }}
              data-testid="dup-confirm-merge"
            >
              {merging ? 'Merging…' : 'Merge'}
            </button>
            <button type="button" className="small-btn" onClick={cancel} disabled={merging}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="row end">
          <button type="button" className="small-btn" ref={mergeRef} disabled={busy || !kept} onClick={() => setConfirming(true)} data-testid="dup-merge">
            Merge {g.paperIds.length} records…
          </button>
        </div>
      )}
    </li>
  )
}

/** Zotero's "Duplicate Items" pane: groups of likely duplicates, one record kept per group, merged on request. */
export function DuplicatesView() {
  const { groups, papers, loading, error, shown } = useDuplicates()
  const headingRef = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    void useDuplicates.getState().load(true)
  }, [])

  let body
  if (groups === null)
    body = error ? (
      <div className="empty" role="alert">
        <p className="empty-title">Could not look for duplicates</p>
        <p>{error}</p>
        <button type="button" onClick={() => void useDuplicates.getState().load(true)}>
          Try again
        </button>
      </div>
    ) : (
      <p className="muted" aria-busy="true" data-testid="dup-loading">
        Looking for duplicates…
      </p>
    )
  else if (!groups.length)
    body = (
      <div className="empty" data-testid="dup-empty">
        <p className="empty-title">No duplicates found</p>
        <p>Papers with the same DOI, the same arXiv id, or the same title, year and first author are listed here, ready to merge.</p>
      </div>
    )
  else
    body = (
      <>
        <ul className="dup-groups">
          {groups.slice(0, shown).map((g) => (
            <Group key={groupId(g)} g={g} papers={papers} onMerged={() => headingRef.current?.focus()} />
          ))}
        </ul>
        {groups.length > shown && (
          <button type="button" className="load-more" onClick={() => void useDuplicates.getState().showMore()} disabled={loading}>
            Show more ({groups.length - shown} more groups)
          </button>
        )}
      </>
    )

  return (
    <section className="dup-view" aria-labelledby="dup-heading" aria-busy={loading} data-testid="duplicates-view">
      <div className="dup-intro">
        <h2 id="dup-heading" tabIndex={-1} ref={headingRef}>
          Duplicates
          {groups && groups.length > 0 && <span className="muted small"> · {plural(groups.length, 'group')}</span>}
        </h2>
        <p className="muted small">
          Choose the record to keep in each group; the oldest is chosen for you. Merging keeps every attachment, tag, note and collection.
        </p>
      </div>
      {body}
    </section>
  )
}
