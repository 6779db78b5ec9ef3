import { create } from 'zustand'
import type { AppInfo } from '../../../shared/contract'
import { api } from '../api'

export type ThemePref = 'system' | 'light' | 'dark'

interface AppState {
  info: AppInfo | null
  loadError: string | null
  theme: ThemePref
  load(): Promise<void>
  setTheme(t: ThemePref): void
}

const THEME_KEY = 'spm.theme'

export function applyTheme(t: ThemePref) {
  document.documentElement.dataset.theme = t
}

export const useApp = create<AppState>((set) => ({
  info: null,
  loadError: null,
  theme: (localStorage.getItem(THEME_KEY) as ThemePref | null) ?? 'system',
  async load() {
    try {
      set({ info: await api.invoke('app.info'), loadError: null })
    } catch (err) {
      set({ loadError: (err as Error).message })
    }
  },
  setTheme(theme) {
    localStorage.setItem(THEME_KEY, theme)
    applyTheme(theme)
    set({ theme })
  },
}))
