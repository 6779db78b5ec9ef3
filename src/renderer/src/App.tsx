import { useEffect } from 'react'
import { ErrorScreen } from './components/ErrorScreen'
import { Sidebar } from './components/Sidebar'
import { Toasts } from './components/Toasts'
import { ComingSoon } from './pages/ComingSoon'
import { HealthPage } from './pages/HealthPage'
import { LibraryPage } from './pages/library/LibraryPage'
import { JobsPage } from './pages/JobsPage'
import { NotificationsPage } from './pages/NotificationsPage'
import { RedactPage } from './pages/RedactPage'
import { SettingsPage } from './pages/SettingsPage'
import { useApp } from './stores/app'
import { PAGES, useNav, type PageId } from './stores/nav'
import { useNotifications } from './stores/notifications'

const COMING: Partial<Record<PageId, string[]>> = {
  library: [
    'Import PDFs, DOIs, arXiv ids, BibTeX, RIS and CSL-JSON by drag and drop',
    'Rate, tag, annotate and track reading status; organise nested collections',
    'Find duplicates and merge them; export BibTeX, RIS, CSL-JSON and formatted citations',
  ],
  search: [
    'Full-text search over titles, abstracts, authors, notes and PDF text (SQLite FTS5)',
    'Field queries such as author:, tag:, year:2019..2023 and rating:>=4, with filters and snippets',
    'Substring search in Korean, Japanese and Chinese',
  ],
  dashboard: ['See API usage and cost against budgets, library statistics and app performance'],
}

function Page({ page }: { page: PageId }) {
  switch (page) {
    case 'library':
      return <LibraryPage key="library" />
    case 'search':
      return <LibraryPage key="search" title="Search" focusSearch />
    case 'redact':
      return <RedactPage />
    case 'jobs':
      return <JobsPage />
    case 'health':
      return <HealthPage />
    case 'notifications':
      return <NotificationsPage />
    case 'settings':
      return <SettingsPage />
    default:
      return <ComingSoon title={PAGES.find((p) => p.id === page)!.label} lines={COMING[page] ?? []} />
  }
}

export function App() {
  const { info, loadError, load } = useApp()
  const page = useNav((s) => s.page)

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    if (!info || info.fatal) return
    const n = useNotifications.getState()
    void n.load()
    return n.subscribe()
  }, [info])

  // Ctrl/Cmd + 1..8 switches pages.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return
      const idx = Number(e.key) - 1
      if (Number.isInteger(idx) && idx >= 0 && idx < PAGES.length) {
        e.preventDefault()
        useNav.getState().go(PAGES[idx].id)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  useEffect(() => {
    document.getElementById('page-title')?.focus()
  }, [page])

  if (loadError)
    return (
      <main className="error-screen" role="alert" data-testid="connect-error">
        <h1>Could not reach the app</h1>
        <p>{loadError}</p>
        <button onClick={() => window.location.reload()}>Try again</button>
      </main>
    )
  if (!info) return <main className="loading" aria-busy="true">Loading…</main>
  if (info.fatal) return <ErrorScreen fatal={info.fatal} dataDir={info.dataDir} />

  return (
    <div className="shell">
      <Sidebar />
      <main className="content" id="content">
        <Page page={page} />
      </main>
      <Toasts />
    </div>
  )
}
