import { useEffect } from 'react'
import { useHealth } from '../stores/health'

const ICON = { ok: '✓', warn: '!', fail: '✕' } as const

export function HealthPage() {
  const { report, loading, load } = useHealth()
  useEffect(() => {
    void load()
  }, [load])
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Health</h1>
        <button onClick={() => load(true)} disabled={loading}>
          {loading ? 'Checking…' : 'Run checks again'}
        </button>
      </header>
      {!report ? (
        <div className="empty">{loading ? 'Running health checks…' : 'No report yet.'}</div>
      ) : (
        <>
          <p className={`summary status-${report.status}`} data-testid="health-status">
            Overall: <strong>{report.status === 'ok' ? 'Healthy' : report.status === 'warn' ? 'Needs attention' : 'Problem found'}</strong>
            <span className="muted"> · checked {new Date(report.checkedAt).toLocaleTimeString()}</span>
          </p>
          <ul className="checks">
            {report.checks.map((c) => (
              <li key={c.id} className={`check status-${c.status}`} data-testid={`check-${c.id}`}>
                <span className="check-icon" aria-label={c.status}>
                  {ICON[c.status]}
                </span>
                <div>
                  <div className="check-label">{c.label}</div>
                  <div className="muted">{c.detail}</div>
                </div>
                <span className="muted small">{c.durationMs.toFixed(1)} ms</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
