import { lazy, Suspense, useEffect } from 'react'
import { ErrorScreen } from './components/ErrorScreen'
import { Sidebar } from './components/Sidebar'
import { Toasts } from './components/Toasts'
import { ComingSoon } from './pages/ComingSoon'
import { LibraryPage } from './pages/library/LibraryPage'
import { api } from './api'
import { useApp } from './stores/app'
import { PAGES, useNav, type PageId } from './stores/nav'
import { useNotifications } from './stores/notifications'

// The Library is the start page and ships in the main bundle; the others load on first visit.
const HealthPage = lazy(() => import('./pages/HealthPage').then((m) => ({ default: m.HealthPage })))
const JobsPage = lazy(() => import('./pages/JobsPage').then((m) => ({ default: m.JobsPage })))
const NotificationsPage = lazy(() => import('./pages/NotificationsPage').then((m) => ({ default: m.NotificationsPage })))
const RedactPage = lazy(() => import('./pages/RedactPage').then((m) => ({ default: m.RedactPage })))
const SettingsPage = lazy(() => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage })))

const COMING: Partial<Record<PageId, string[]>> = {
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

  useEffect(() => api.on('app.fatal', () => void load()), [load])

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
        <Suspense fallback={<div className="loading" aria-busy="true">Loading…</div>}>
          <Page page={page} />
        </Suspense>
      </main>
      <Toasts />
    </div>
  )
}
