import { create } from 'zustand'

export const PAGES = [
  { id: 'library', label: 'Library' },
  { id: 'search', label: 'Search' },
  { id: 'redact', label: 'Redact' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'health', label: 'Health' },
  { id: 'notifications', label: 'Notifications' },
  { id: 'settings', label: 'Settings' },
] as const
export type PageId = (typeof PAGES)[number]['id']

const fromHash = (): PageId => {
  const id = window.location.hash.replace(/^#\/?/, '')
  return (PAGES.find((p) => p.id === id)?.id ?? 'library') as PageId
}

interface NavState {
  page: PageId
  go(page: PageId): void
}

export const useNav = create<NavState>((set) => ({
  page: fromHash(),
  go(page) {
    if (window.location.hash !== `#/${page}`) history.pushState(null, '', `#/${page}`)
    set({ page })
  },
}))

window.addEventListener('popstate', () => useNav.setState({ page: fromHash() }))
