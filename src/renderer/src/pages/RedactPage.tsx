import { useEffect, useRef, useState } from 'react'
import type { RedactionOutcome } from '../../../shared/contract/redaction'
import { useRedaction, type RedactItem, type Strategy } from '../stores/redaction'

function redactedName(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? `${name.slice(0, dot)}.redacted${name.slice(dot)}` : `${name}.redacted.txt`
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = redactedName(name)
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The redacted text with each replacement highlighted; shows no original value. */
function Preview({ outcome }: { outcome: RedactionOutcome }) {
  const parts: React.ReactNode[] = []
  let at = 0
  const text = outcome.text.length > 20_000 ? outcome.text.slice(0, 20_000) : outcome.text
  for (const r of outcome.replacements) {
    if (r.outStart >= text.length) break
    parts.push(text.slice(at, r.outStart))
    parts.push(
      <mark key={r.outStart} title={`${r.category} · ${r.patternId}`}>
        {text.slice(r.outStart, r.outEnd)}
      </mark>,
    )
    at = r.outEnd
  }
  parts.push(text.slice(at))
  return <pre className="redact-preview">{parts}</pre>
}

function ItemCard({ item }: { item: RedactItem }) {
  const [open, setOpen] = useState(false)
  const o = item.outcome
  return (
    <li className={`redact-item state-${item.state}`} data-testid="redact-item">
      <div className="redact-item-head">
        <div>
          <div className="provider-label">{item.name}</div>
          <div className="muted small">
            {item.state === 'working' && 'Scanning…'}
            {item.state === 'queued' && 'Waiting…'}
            {item.state === 'error' && <span className="error-text">{item.error}</span>}
            {o && (o.total === 0 ? 'Nothing sensitive found' : `${o.total} item${o.total === 1 ? '' : 's'} redacted`)}
          </div>
          {o && o.total > 0 && (
            <div className="chips">
              {Object.entries(o.counts).map(([cat, n]) => (
                <span key={cat} className="chip">
                  {cat.replace(/_/g, ' ')} × {n}
                </span>
              ))}
            </div>
          )}
        </div>
        {o && (
          <div className="row">
            <button onClick={() => setOpen(!open)} aria-expanded={open}>
              {open ? 'Hide preview' : 'Preview'}
            </button>
            <button className="primary" onClick={() => download(item.name, o.text)}>
              Download redacted copy
            </button>
          </div>
        )}
      </div>
      {open && o && (
        <>
          <Preview outcome={o} />
          {o.replacements.length > 0 && (
            <table className="settings-table small">
              <thead>
                <tr>
                  <th>Line:col</th>
                  <th>Category</th>
                  <th>Pattern</th>
                  <th>Severity</th>
                  <th>Checksum</th>
                </tr>
              </thead>
              <tbody>
                {o.replacements.slice(0, 500).map((r) => (
                  <tr key={r.start}>
                    <td>
                      {r.line}:{r.column}
                    </td>
                    <td>{r.category.replace(/_/g, ' ')}</td>
                    <td>
                      <code>{r.patternId}</code>
                    </td>
                    <td>{r.severity}</td>
                    <td>{r.verified ? 'verified' : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </li>
  )
}

export function RedactPage() {
  const st = useRedaction()
  const { loadPatterns } = st
  const [dragging, setDragging] = useState(false)
  const [pasted, setPasted] = useState('')
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    void loadPatterns()
  }, [loadPatterns])

  const done = st.items.filter((i) => i.state === 'done' || i.state === 'error').length
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Redact</h1>
        {st.items.length > 0 && <button onClick={st.clear}>Clear list</button>}
      </header>
      <p className="muted">
        Find and remove personal data and secrets before you share a file. Your originals are never changed: you download a
        redacted copy. {st.patterns.length > 0 && `${st.patterns.length} patterns across ${st.namespaces.length} regions and secret formats.`}
      </p>

      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        data-testid="dropzone"
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault()
          setDragging(false)
          void st.addFiles([...e.dataTransfer.files])
        }}
      >
        <p className="empty-title">Drop text files here</p>
        <p className="muted">CSV, TXT, JSON, Markdown, logs, source code…</p>
        <button onClick={() => input.current?.click()}>Choose files…</button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            void st.addFiles([...(e.target.files ?? [])])
            e.target.value = ''
          }}
        />
      </div>

      <details className="paste">
        <summary>Or paste text</summary>
        <textarea aria-label="Text to redact" rows={6} value={pasted} onChange={(e) => setPasted(e.target.value)} />
        <button className="primary" disabled={!pasted.trim()} onClick={() => (void st.addText('pasted-text.txt', pasted), setPasted(''))}>
          Redact text
        </button>
      </details>

      <h2>Options</h2>
      <div className="row" role="radiogroup" aria-label="Strategy">
        {(
          [
            ['mask', 'Mask (••••)'],
            ['hash', 'Keyed hash'],
            ['tokenize', 'Tokens like [EMAIL_1]'],
          ] as [Strategy, string][]
        ).map(([s, label]) => (
          <label key={s} className="toggle">
            <input type="radio" name="strategy" checked={st.strategy === s} onChange={() => st.setStrategy(s)} /> {label}
          </label>
        ))}
      </div>
      {st.namespaces.length > 0 && (
        <div className="row ns-row" aria-label="Regions">
          <span className="muted small">Regions (none selected = all):</span>
          {st.namespaces.map((ns) => (
            <label key={ns} className="toggle chip">
              <input type="checkbox" checked={st.selected.includes(ns)} onChange={() => st.toggleNamespace(ns)} /> {ns}
            </label>
          ))}
        </div>
      )}

      {st.busy && st.items.length > 0 && (
        <progress className="progress" max={st.items.length} value={done} aria-label="Redaction progress" />
      )}
      {st.items.length === 0 ? (
        <div className="empty">
          <p className="empty-title">No files yet</p>
          <p>Drop a file above or paste text to see what would be removed.</p>
        </div>
      ) : (
        <ul className="providers">
          {st.items.map((i) => (
            <ItemCard key={i.id} item={i} />
          ))}
        </ul>
      )}
    </section>
  )
}
