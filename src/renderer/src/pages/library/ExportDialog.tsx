import { useEffect, useRef, useState } from 'react'
import { CITATION_STYLES, EXPORT_FORMATS } from '../../../../shared/constants'
import type { ExportResult } from '../../../../shared/contract'
import { api } from '../../api'
import { useLibrary } from '../../stores/library'
import { useToasts } from '../../stores/toasts'

const EXT: Record<string, string> = { bibtex: 'bib', ris: 'ris', 'csl-json': 'json', citation: 'txt' }

export function ExportDialog({ onClose }: { onClose: () => void }) {
  const selectedId = useLibrary((s) => s.selectedId)
  const total = useLibrary((s) => s.total)
  const [format, setFormat] = useState<(typeof EXPORT_FORMATS)[number]>('bibtex')
  const [style, setStyle] = useState<(typeof CITATION_STYLES)[number]>('apa')
  const [which, setWhich] = useState<'result' | 'selected' | 'all'>(selectedId ? 'selected' : 'result')
  const [result, setResult] = useState<ExportResult | null>(null)
  const [busy, setBusy] = useState(false)
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    ref.current?.showModal?.()
  }, [])

  const run = async () => {
    setBusy(true)
    try {
      const st = useLibrary.getState()
      let ids: number[] | undefined
      if (which === 'selected' && st.selectedId) ids = [st.selectedId]
      else if (which === 'result') ids = (await api.invoke('search.ids', { q: st.q, filters: st.filters, sort: st.sort ?? undefined, dir: st.dir ?? undefined })).ids
      setResult(await api.invoke('library.export', { ids, format, style: format === 'citation' ? style : undefined }))
    } catch (err) {
      useToasts.getState().push('error', (err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const download = () => {
    if (!result) return
    const blob = new Blob([result.content], { type: 'text/plain;charset=utf-8' })
    const a = document.createElement('a')
    a.href = URL.createObjectURL(blob)
    a.download = `library.${EXT[result.format]}`
    a.click()
    setTimeout(() => URL.revokeObjectURL(a.href), 1000)
  }

  return (
    <dialog ref={ref} className="export-dialog" aria-labelledby="export-title" onClose={onClose} onCancel={onClose} data-testid="export-dialog">
      <h2 id="export-title">Export</h2>
      <div className="row">
        <label>
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as typeof format)} data-testid="export-format">
            <option value="bibtex">BibTeX</option>
            <option value="ris">RIS</option>
            <option value="csl-json">CSL-JSON</option>
            <option value="citation">Formatted citations</option>
          </select>
        </label>
        {format === 'citation' && (
          <label>
            Style{' '}
            <select value={style} onChange={(e) => setStyle(e.target.value as typeof style)}>
              {CITATION_STYLES.map((s) => (
                <option key={s} value={s}>
                  {s.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Papers{' '}
          <select value={which} onChange={(e) => setWhich(e.target.value as typeof which)} data-testid="export-which">
            {selectedId && <option value="selected">the selected paper</option>}
            <option value="result">this result ({total})</option>
            <option value="all">the whole library</option>
          </select>
        </label>
        <button type="button" className="primary" onClick={run} disabled={busy} data-testid="export-run">
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </div>
      {result && (
        <>
          <p className="muted small">{result.count} papers exported.</p>
          <textarea className="export-output" readOnly value={result.content} data-testid="export-output" aria-label="Exported text" />
          <div className="row">
            <button type="button" onClick={download} data-testid="export-download">
              Download .{EXT[result.format]}
            </button>
            <button type="button" onClick={() => navigator.clipboard?.writeText(result.content).then(() => useToasts.getState().push('success', 'Copied'))}>
              Copy
            </button>
          </div>
        </>
      )}
      <div className="row end">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
