import { create } from 'zustand'
import type { HealthReport } from '../../../shared/contract'
import { api } from '../api'
import { attempt } from './toasts'

interface HealthState {
  report: HealthReport | null
  loading: boolean
  load(refresh?: boolean): Promise<void>
}

export const useHealth = create<HealthState>((set) => ({
  report: null,
  loading: false,
  async load(refresh = false) {
    set({ loading: true })
    const report = await attempt(() => api.invoke('health.report', { refresh }))
    set({ loading: false, ...(report ? { report } : {}) })
  },
}))
