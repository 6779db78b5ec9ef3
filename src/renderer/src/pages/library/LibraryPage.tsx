import { lazy, Suspense, useEffect, useRef, useState } from 'react'
import type { ImportItemNote } from '../../../../shared/contract'
import { api, isBrowserMode, uploadFile } from '../../api'
import { FilePicker } from '../../components/FilePicker'
import { useDuplicates } from '../../stores/duplicates'
import { useLibrary, type ImportState } from '../../stores/library'
import { attempt, useToasts } from '../../stores/toasts'
import { DetailPane } from './DetailPane'
import { ExportDialog } from './ExportDialog'
import { FilterPanel } from './FilterPanel'
import { LibrarySidebar } from './LibrarySidebar'
import { PaperTable } from './PaperTable'
import { SearchBox } from './SearchBox'

// Not toLocaleString(): its first call in a fresh tab loads ICU's locale data (15–70 ms measured here), on the
// first render's path. The UI is English, so English digit grouping.
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

// Not on the Library's first-paint path: loaded when the view is first opened.
const DuplicatesView = lazy(() => import('./DuplicatesView').then((m) => ({ default: m.DuplicatesView })))

const TEXT_FORMATS = /\.(bib|bibtex|ris|json|txt)$/i
const MAX_TEXT = 900_000

/** Imports files dropped anywhere on the window (BibTeX, RIS, CSL-JSON as text). */
function useWindowDrop(setDragging: (v: boolean) => void) {
  useEffect(() => {
    let depth = 0
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files')
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      depth++
      setDragging(true)
    }
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault()
    }
    const leave = () => {
      depth = Math.max(0, depth - 1)
      if (!depth) setDragging(false)
    }
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      depth = 0
      setDragging(false)
      void importFiles(Array.from(e.dataTransfer?.files ?? []))
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragover', over)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
    }
  }, [setDragging])
}

/** Desktop: the native dialog (PDFs included); main accepts only the paths picked there. */
async function importViaDialog() {
  const paths = await attempt(() =>
    api.invoke('files.openDialog', {
      title: 'Import into the library',
      multiple: true,
      filters: [{ name: 'PDF, BibTeX, RIS, CSL-JSON', extensions: ['pdf', 'bib', 'bibtex', 'ris', 'json'] }],
    }),
  )
  if (paths?.length) await useLibrary.getState().importPaths(paths)
}

export async function importFiles(files: File[]) {
  const toasts = useToasts.getState()
  // Desktop: dropped files have OS paths, so PDFs (and big .bib files) import from disk.
  if (window.api?.droppedPaths) {
    const paths = await window.api.droppedPaths(files)
    if (paths.length) return useLibrary.getState().importPaths(paths)
  }
  // Browser mode: PDFs are streamed to the host first (no OS paths here), then imported like dropped files.
  const pdfs = files.filter((f) => /\.pdf$/i.test(f.name))
  if (pdfs.length) {
    const paths: string[] = []
    for (const f of pdfs) {
      const p = await attempt(() => uploadFile(f))
      if (p) paths.push(p)
    }
    if (paths.length) await useLibrary.getState().importPaths(paths)
  }
  for (const f of files) {
    if (/\.pdf$/i.test(f.name)) continue
    if (!TEXT_FORMATS.test(f.name)) {
      toasts.push('error', `${f.name}: not a BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) file.`)
      continue
    }
    if (f.size > MAX_TEXT) {
      toasts.push('error', `${f.name}: larger than ${Math.round(MAX_TEXT / 1000)} kB; split it or use the file dialog.`)
      continue
    }
    await useLibrary.getState().importText(f.name, await f.text())
  }
}

const SHOWN_NOTES = 200

/** One expandable list of a report's entries (failed, with warnings, skipped as duplicates): which entry, and why. */
function ImportNotes({ label, items, total, testId }: { label: string; items: ImportItemNote[]; total: number; testId: string }) {
  if (!total) return null
  return (
    <details data-testid={testId}>
      <summary>
        {total} {label}
      </summary>
      <ul className="small import-notes">
        {items.slice(0, SHOWN_NOTES).map((f) => (
          <li key={f.index}>
            <strong>{f.key ?? `Entry ${f.index + 1}`}</strong>
            {f.title ? <span className="muted"> “{f.title}”</span> : null}: {f.reason}
          </li>
        ))}
        {total > Math.min(items.length, SHOWN_NOTES) && <li className="muted">…and {total - Math.min(items.length, SHOWN_NOTES)} more</li>}
      </ul>
    </details>
  )
}

function importClass(i: ImportState): string {
  if (i.error) return 'import failed'
  if (i.report && (i.report.failed || i.report.warned)) return 'import warned'
  return i.done ? 'import done' : 'import'
}

function ImportProgress() {
  const imports = useLibrary((s) => s.imports)
  const visible = imports.slice(-3)
  if (!visible.length) return null
  return (
    <div className="imports" data-testid="import-progress">
      {visible.map((i, n) => (
        <div key={`${i.name}-${n}`} className={importClass(i)}>
          <div className="row">
            <strong>{i.name}</strong>
            <span className="muted small" data-testid="import-message">
              {i.message}
            </span>
            {i.done && (
              <button type="button" className="link small" onClick={() => useLibrary.setState({ imports: useLibrary.getState().imports.filter((x) => x !== i) })}>
                Dismiss
              </button>
            )}
          </div>
          <progress max={100} value={i.done ? 100 : i.pct} aria-label={`Importing ${i.name}`} />
          {i.report && (
            <>
              <ImportNotes label={i.report.failed === 1 ? 'entry failed' : 'entries failed'} items={i.report.failures} total={i.report.failed} testId="import-failures" />
              <ImportNotes
                label={`${(i.report.warned ?? 0) === 1 ? 'entry' : 'entries'} imported with warnings`}
                items={i.report.warningItems ?? []}
                total={i.report.warned ?? i.report.warningItems?.length ?? 0}
                testId="import-warnings"
              />
              <ImportNotes
                label={`${i.report.duplicates === 1 ? 'entry' : 'entries'} already in the library (skipped)`}
                items={i.report.duplicateItems}
                total={i.report.duplicates}
                testId="import-duplicates"
              />
            </>
          )}
        </div>
      ))}
    </div>
  )
}

function EmptyState() {
  const { q, filters, stats, loaded, error } = useLibrary()
  if (!loaded || error) return null
  const filtered = q.trim() || Object.values(filters).some((v) => v !== undefined && !(Array.isArray(v) && !v.length))
  if (filtered)
    return (
      <div className="empty" data-testid="no-results">
        <p className="empty-title">No papers match</p>
        <p>Try fewer words, a prefix like <code>learn*</code>, OR between alternatives, or clear the filters.</p>
      </div>
    )
  if (stats && stats.papers > 0) return null
  return (
    <div className="empty" data-testid="library-empty">
      <p className="empty-title">Your library is empty</p>
      <p>Start by dropping a BibTeX (.bib), RIS (.ris) or CSL-JSON file anywhere on this window, or choose one:</p>
      <FilePicker label="Choose a file…" className="" accept=".bib,.bibtex,.ris,.json,.pdf" onFiles={(files) => void importFiles(files)} testId="import-file-input" />
      <p className="muted small">Exports from Zotero, Mendeley, JabRef and Google Scholar all work. Then search with words, "phrases", author:, tag:, year:2019..2023 and more.</p>
    </div>
  )
}

export function LibraryPage({ title = 'Library', focusSearch = false }: { title?: string; focusSearch?: boolean }) {
  const st = useLibrary()
  const [showFilters, setShowFilters] = useState(false)
  const [showExport, setShowExport] = useState(false)
  const [dragging, setDragging] = useState(false)
  const searchRef = useRef<HTMLInputElement>(null)
  const tableRef = useRef<HTMLDivElement>(null)
  useWindowDrop(setDragging)

  useEffect(() => {
    const s = useLibrary.getState()
    s.ensureLoaded()
    void s.loadSidebar()
    const dup = useDuplicates.getState()
    // The count for the sidebar; the view fetches the records when opened.
    if (s.view !== 'duplicates') void dup.load(false)
    const offs = [s.subscribe(), dup.subscribe()]
    if (focusSearch) {
      // The Search page is for papers: leave the Duplicates view, then focus once the search box is rendered again.
      s.setView('papers')
      setTimeout(() => searchRef.current?.focus())
    }
    return () => offs.forEach((o) => o())
  }, [focusSearch])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement
      const typing = t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey) {
        e.preventDefault()
        searchRef.current?.focus()
        searchRef.current?.select()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const focusTable = () => {
    tableRef.current?.querySelector<HTMLElement>('[data-testid="paper-table-body"]')?.focus()
    if (useLibrary.getState().selectedIndex === null) useLibrary.getState().select(0)
  }
  const hasText = st.q.trim().length > 0

  return (
    <section className="page library-page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        <div className="row">
          {isBrowserMode ? (
            <FilePicker label="Import…" accept=".bib,.bibtex,.ris,.json,.pdf" onFiles={(files) => void importFiles(files)} testId="import-input" />
          ) : (
            <button type="button" className="small-btn" onClick={() => void importViaDialog()}>
              Import…
            </button>
          )}
          <button type="button" onClick={() => setShowExport(true)} data-testid="export-open" disabled={st.total === 0}>
            Export…
          </button>
        </div>
      </header>
      <div className={st.view === 'duplicates' ? 'lib-layout no-detail' : 'lib-layout'}>
        <LibrarySidebar />
        {st.view === 'duplicates' ? (
          <div className="lib-main dup-main">
            <ImportProgress />
            <Suspense fallback={<p className="muted" aria-busy="true">Looking for duplicates…</p>}>
              <DuplicatesView />
            </Suspense>
          </div>
        ) : (
          <div className="lib-main" ref={tableRef}>
            <SearchBox ref={searchRef} onEnterList={focusTable} />
            <div className="lib-toolbar row">
              <button type="button" aria-expanded={showFilters} onClick={() => setShowFilters(!showFilters)} data-testid="filters-toggle">
                Filters{Object.values(st.filters).filter((v) => v !== undefined && !(Array.isArray(v) && !v.length)).length ? ' •' : ''}
              </button>
              <label className="toggle small">
                <input type="checkbox" checked={st.scope === 'all'} onChange={(e) => st.setScope(e.target.checked ? 'all' : 'metadata')} /> include PDF text
              </label>
              {hasText && (
                <button type="button" className={st.sort === null || st.sort === 'relevance' ? 'small-btn active' : 'small-btn'} onClick={() => st.setSort('relevance')}>
                  Sort by relevance
                </button>
              )}
              {(hasText || Object.keys(st.filters).length > 0) && (
                <button
                  type="button"
                  className="small-btn"
                  onClick={() => {
                    const name = window.prompt('Name for this saved search', st.q.slice(0, 60) || 'Filtered papers')
                    if (name) void st.saveSearch(name)
                  }}
                >
                  Save search
                </button>
              )}
              <span className="muted small result-count" data-testid="result-count" aria-live="polite">
                {!st.loaded ? 'Loading…' : st.counting ? `${grouped(st.total)}+ papers, counting…` : `${grouped(st.total)} paper${st.total === 1 ? '' : 's'}`}
                {st.tookMs !== null && hasText ? ` · ${st.tookMs.toFixed(1)} ms` : ''}
                {st.pending.papers + st.pending.attachments > 0 ? ` · indexing ${st.pending.papers + st.pending.attachments}…` : ''}
              </span>
            </div>
            {st.warnings.length > 0 && (
              <p className="muted small query-warning" data-testid="query-warning">
                {st.warnings.map((w) => w.message).join(' ')} Searching for: <code>{st.understood}</code>
              </p>
            )}
            {showFilters && <FilterPanel />}
            <ImportProgress />
            {st.total > 0 ? <PaperTable onOpen={() => document.querySelector<HTMLElement>('[data-testid="detail-title"]')?.focus()} /> : <EmptyState />}
          </div>
        )}
        {st.view === 'papers' && <DetailPane />}
      </div>
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div>Drop BibTeX, RIS or CSL-JSON files to import them</div>
        </div>
      )}
      {showExport && <ExportDialog onClose={() => setShowExport(false)} />}
    </section>
  )
}
