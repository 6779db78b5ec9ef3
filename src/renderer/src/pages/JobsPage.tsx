import { useEffect, useRef, useState } from 'react'
import type { Job, JobDetail } from '../../../shared/contract'
import { useJobs, type JobFilter } from '../stores/jobs'

const FILTERS: { id: JobFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'completed', label: 'Completed' },
  { id: 'failed', label: 'Failed' },
  { id: 'cancelled', label: 'Cancelled' },
]

const STATUS_LABEL: Record<Job['status'], string> = {
  pending: 'Waiting',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  return `${h} h ${m % 60} min`
}

const time = (t: number | null) => (t ? new Date(t).toLocaleString() : '—')

function etaText(j: Job, now: number): string | null {
  if (j.status === 'pending' && j.runAt > now + 1000) return `starts in ${duration(j.runAt - now)}`
  if (!j.eta) return null
  const left = j.eta.at - now
  return left <= 1000 ? 'finishing…' : `about ${duration(left)} left`
}

function ProgressBar({ job }: { job: Job }) {
  const pct = Math.round(job.progress)
  return (
    <div
      className={`progress progress-${job.status}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-label={`Progress of ${job.title ?? job.label}`}
      data-testid="job-progress"
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  )
}

function JobRow({ job, now, onDetails }: { job: Job; now: number; onDetails: (el: HTMLButtonElement) => void }) {
  const cancel = useJobs((s) => s.cancel)
  const retry = useJobs((s) => s.retry)
  const eta = etaText(job, now)
  const name = job.title ?? job.label
  return (
    <li className={`job job-${job.status}`} data-testid="job" data-job-id={job.id} data-status={job.status}>
      <div className="job-main">
        <div className="job-head">
          <span className="job-name">{name}</span>
          <span className={`job-status status-${job.status}`} data-testid="job-status">
            {STATUS_LABEL[job.status]}
          </span>
        </div>
        {(job.status === 'running' || job.status === 'pending' || job.progress > 0) && job.status !== 'completed' && <ProgressBar job={job} />}
        <div className="muted small job-meta">
          {job.status === 'running' && <span>{Math.round(job.progress)}%</span>}
          {job.progressMessage && job.status !== 'failed' && <span className="job-message">{job.progressMessage}</span>}
          {job.error && job.status !== 'completed' && (
            <span className="job-error" data-testid="job-error">
              {job.status === 'pending' ? 'Will retry: ' : ''}
              {job.error.message}
            </span>
          )}
          {eta && <span data-testid="job-eta">{eta}</span>}
          {job.attempts > 1 && (
            <span>
              attempt {job.attempts} of {job.maxAttempts}
            </span>
          )}
          {!job.handled && job.status === 'pending' && <span>waiting for its feature to start</span>}
        </div>
      </div>
      <div className="row job-actions">
        {(job.status === 'pending' || job.status === 'running') && (
          <button className="small-btn" onClick={() => cancel(job.id)} aria-label={`Cancel ${name}`}>
            Cancel
          </button>
        )}
        {(job.status === 'failed' || job.status === 'cancelled') && (
          <button className="small-btn" onClick={() => retry(job.id)} aria-label={`Retry ${name}`}>
            Retry
          </button>
        )}
        <button className="small-btn link" onClick={(e) => onDetails(e.currentTarget)} aria-label={`Details of ${name}`} aria-haspopup="dialog">
          Details
        </button>
      </div>
    </li>
  )
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>
  return <pre className="json">{JSON.stringify(value, null, 2).slice(0, 20_000)}</pre>
}

function Drawer({ detail, onClose }: { detail: JobDetail | null; onClose: () => void }) {
  const ref = useRef<HTMLElement>(null)
  const now = useNow(1000)
  useEffect(() => {
    ref.current?.focus()
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  const name = detail ? (detail.title ?? detail.label) : 'Job'
  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-labelledby="job-drawer-title" tabIndex={-1} ref={ref} data-testid="job-drawer">
      <header className="drawer-head">
        <h2 id="job-drawer-title">{name}</h2>
        <button className="link" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>
      {!detail ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="drawer-status">{STATUS_LABEL[detail.status]}</dd>
            <dt>Type</dt>
            <dd>
              {detail.label} <code>{detail.type}</code>
            </dd>
            <dt>Progress</dt>
            <dd>
              {Math.round(detail.progress)}%{detail.progressMessage ? ` — ${detail.progressMessage}` : ''}
            </dd>
            {detail.eta && (
              <>
                <dt>Estimated</dt>
                <dd>{etaText(detail, now)}</dd>
              </>
            )}
            <dt>Attempts</dt>
            <dd>
              {detail.attempts} of {detail.maxAttempts}
            </dd>
            <dt>Priority</dt>
            <dd>{detail.priority}</dd>
            <dt>Created</dt>
            <dd>{time(detail.createdAt)}</dd>
            <dt>Started</dt>
            <dd>{time(detail.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{time(detail.completedAt)}</dd>
          </dl>
          {detail.error && (
            <div className="note fail" role="note" data-testid="drawer-error">
              <strong>{detail.error.code}</strong>: {detail.error.message}
            </div>
          )}
          <h3>Attempts</h3>
          {detail.history.length === 0 ? (
            <p className="muted">Not started yet.</p>
          ) : (
            <table className="attempts" data-testid="drawer-attempts">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Started</th>
                  <th>Took</th>
                  <th>Outcome</th>
                </tr>
              </thead>
              <tbody>
                {detail.history.map((a, i) => (
                  <tr key={i}>
                    <td>{a.attempt}</td>
                    <td>{new Date(a.startedAt).toLocaleTimeString()}</td>
                    <td>{a.finishedAt ? duration(a.finishedAt - a.startedAt) : '…'}</td>
                    <td>
                      {a.outcome}
                      {a.errorMessage ? ` — ${a.errorCode}: ${a.errorMessage}` : ''}
                      {a.retryAt ? ` (retry at ${new Date(a.retryAt).toLocaleTimeString()})` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Input</h3>
          <Json value={detail.data} />
          {detail.status === 'completed' && (
            <>
              <h3>Result</h3>
              <Json value={detail.result} />
            </>
          )}
        </>
      )}
    </aside>
  )
}

export function JobsPage() {
  const st = useJobs()
  const { load, loadMaintenance, select } = st
  const now = useNow(1000)
  const [gentle, setGentle] = useState(true)
  const opener = useRef<HTMLElement | null>(null)

  useEffect(() => {
    void load()
    void loadMaintenance()
    return () => void select(null)
  }, [load, loadMaintenance, select])

  const close = () => {
    void select(null)
    opener.current?.focus()
  }
  const counts = st.stats?.counts
  const countOf = (f: JobFilter) =>
    !counts ? null : f === 'all' ? Object.values(counts).reduce((a, b) => a + b, 0) : f === 'active' ? counts.pending + counts.running : counts[f]
  const m = st.maintenance

  return (
    <section className="page jobs-page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          Jobs
        </h1>
        <div className="row">
          <label className="toggle" title="Pauses between steps so other work keeps the disk">
            <input type="checkbox" checked={gentle} onChange={(e) => setGentle(e.target.checked)} /> Low impact
          </label>
          <button className="primary" onClick={() => st.runMaintenance(gentle)} data-testid="run-maintenance">
            Run library maintenance
          </button>
        </div>
      </header>
      <p className="muted small" data-testid="maintenance-status">
        Library maintenance checks the database and compacts the search index. It runs weekly
        {m?.nextRunAt ? ` (next ${new Date(m.nextRunAt).toLocaleString()})` : ''}
        {m?.lastRun ? `; last run ${time(m.lastRun.completedAt)}: ${STATUS_LABEL[m.lastRun.status].toLowerCase()}` : ''}.
      </p>

      <div className="filters" role="group" aria-label="Show jobs">
        {FILTERS.map((f) => (
          <button
            key={f.id}
            className={st.filter === f.id ? 'filter active' : 'filter'}
            aria-pressed={st.filter === f.id}
            onClick={() => st.setFilter(f.id)}
            data-testid={`filter-${f.id}`}
          >
            {f.label}
            {countOf(f.id) !== null && <span className="count">{countOf(f.id)}</span>}
          </button>
        ))}
      </div>

      {st.loaded && st.items.length === 0 ? (
        <div className="empty" data-testid="jobs-empty">
          <p className="empty-title">{st.filter === 'all' ? 'No background jobs yet' : `No ${st.filter === 'active' ? 'active' : st.filter} jobs`}</p>
          <p>Imports, look-ups, analyses and maintenance run here in the background, with progress you can follow, cancel and retry.</p>
        </div>
      ) : (
        <ul className="jobs" aria-live="off" data-testid="job-list">
          {st.items.map((j) => (
            <JobRow
              key={j.id}
              job={j}
              now={now}
              onDetails={(el) => {
                opener.current = el
                void select(j.id)
              }}
            />
          ))}
        </ul>
      )}
      {st.nextCursor && (
        <button className="load-more" onClick={() => st.loadMore()}>
          Load older
        </button>
      )}
      {st.selectedId !== null && <Drawer detail={st.detail} onClose={close} />}
    </section>
  )
}
