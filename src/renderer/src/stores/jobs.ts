import { useEffect } from 'react'
import { create } from 'zustand'
import type { Job, JobDetail, JobStats, JobStatus, MaintenanceStatus } from '../../../shared/contract'
import { api } from '../api'
import { attempt, useToasts } from './toasts'

export type JobFilter = 'all' | 'active' | 'completed' | 'failed' | 'cancelled'

export const FILTER_STATUSES: Record<JobFilter, JobStatus[] | undefined> = {
  all: undefined,
  active: ['pending', 'running'],
  completed: ['completed'],
  failed: ['failed'],
  cancelled: ['cancelled'],
}

const matches = (f: JobFilter, j: Job) => !FILTER_STATUSES[f] || FILTER_STATUSES[f]!.includes(j.status)

interface JobsState {
  items: Job[]
  nextCursor: number | null
  filter: JobFilter
  loaded: boolean
  stats: JobStats | null
  active: { running: number; pending: number }
  selectedId: number | null
  detail: JobDetail | null
  maintenance: MaintenanceStatus | null
  load(): Promise<void>
  loadMore(): Promise<void>
  setFilter(f: JobFilter): Promise<void>
  cancel(id: number): Promise<void>
  retry(id: number): Promise<void>
  select(id: number | null): Promise<void>
  runMaintenance(gentle: boolean): Promise<void>
  loadMaintenance(): Promise<void>
  subscribe(): () => void
}

let reloadTimer: ReturnType<typeof setTimeout> | null = null

export const useJobs = create<JobsState>((set, get) => {
  const upsert = (jobs: Job[]) => {
    const { filter, items } = get()
    const byId = new Map(jobs.map((j) => [j.id, j]))
    const kept = items.filter((j) => !byId.has(j.id) || matches(filter, byId.get(j.id)!)).map((j) => byId.get(j.id) ?? j)
    const known = new Set(items.map((j) => j.id))
    const oldest = items.length ? items[items.length - 1].id : 0
    // New jobs go on top; jobs older than the loaded page stay for "Load older".
    const added = jobs.filter((j) => !known.has(j.id) && matches(filter, j) && (j.id > oldest || !get().nextCursor))
    set({ items: [...added, ...kept].sort((a, b) => b.id - a.id) })
  }
  // One stats request at a time; a change during one asks for exactly one more.
  let statsBusy = false
  let statsAgain = false
  const refreshStats = async (): Promise<void> => {
    if (statsBusy) {
      statsAgain = true
      return
    }
    statsBusy = true
    try {
      const stats = await api.invoke('jobs.stats').catch(() => null)
      if (stats) set({ stats })
    } finally {
      statsBusy = false
    }
    if (statsAgain) {
      statsAgain = false
      await refreshStats()
    }
  }
  return {
    items: [],
    nextCursor: null,
    filter: 'all',
    loaded: false,
    stats: null,
    active: { running: 0, pending: 0 },
    selectedId: null,
    detail: null,
    maintenance: null,
    async load() {
      const page = await attempt(() => api.invoke('jobs.list', { status: FILTER_STATUSES[get().filter], limit: 50 }))
      if (page) set({ items: page.items, nextCursor: page.nextCursor, loaded: true })
      await refreshStats()
      const st = get().stats
      if (st) set({ active: { running: st.counts.running, pending: st.counts.pending } })
    },
    async loadMore() {
      const before = get().nextCursor
      if (!before) return
      const page = await attempt(() => api.invoke('jobs.list', { status: FILTER_STATUSES[get().filter], limit: 50, before }))
      if (page) set({ items: [...get().items, ...page.items.filter((j) => !get().items.some((x) => x.id === j.id))], nextCursor: page.nextCursor })
    },
    async setFilter(filter) {
      set({ filter })
      await get().load()
    },
    async cancel(id) {
      const j = await attempt(() => api.invoke('jobs.cancel', { id }))
      if (j) {
        upsert([j])
        if (get().selectedId === id) await get().select(id)
      }
    },
    async retry(id) {
      const j = await attempt(() => api.invoke('jobs.retry', { id }))
      if (j) {
        upsert([j])
        if (get().selectedId === id) await get().select(id)
      }
    },
    async select(id) {
      set({ selectedId: id, detail: id === null || get().detail?.id !== id ? null : get().detail })
      if (id === null) return
      const d = await attempt(() => api.invoke('jobs.get', { id }))
      if (d && get().selectedId === id) set({ detail: d })
    },
    async loadMaintenance() {
      const m = await api.invoke('maintenance.status').catch(() => null)
      if (m) set({ maintenance: m })
    },
    async runMaintenance(gentle) {
      const j = await attempt(() => api.invoke('maintenance.run', { gentle }))
      if (!j) return
      useToasts.getState().push('info', j.status === 'running' ? 'Library maintenance is already running' : 'Library maintenance started')
      if (!matches(get().filter, j)) await get().setFilter('all')
      upsert([j])
      await get().loadMaintenance()
    },
    subscribe() {
      return api.on('jobs.changed', ({ jobs, overflow, active }) => {
        set({ active })
        if (overflow) {
          // Too many changes to patch in: reload once things calm down a little.
          if (!reloadTimer)
            reloadTimer = setTimeout(() => {
              reloadTimer = null
              void get().load()
            }, 500)
        } else if (get().loaded) upsert(jobs)
        const sel = get().selectedId
        const changed = sel !== null ? jobs.find((j) => j.id === sel) : undefined
        if (changed && get().detail) {
          const terminal = changed.status !== 'running' && changed.status !== 'pending'
          // History and result only change on state changes; progress can be patched in place.
          if (terminal || changed.status !== get().detail!.status || changed.attempts !== get().detail!.attempts) void get().select(sel)
          else set({ detail: { ...get().detail!, ...changed } })
        }
        if (jobs.some((j) => j.type === 'library.maintenance')) void get().loadMaintenance()
        void refreshStats()
      })
    },
  }
})

/** Keeps the sidebar's activity indicator live on every page. */
export function useJobActivity(): { running: number; pending: number } {
  useEffect(() => {
    const s = useJobs.getState()
    void api
      .invoke('jobs.stats')
      .then((st) => useJobs.setState({ stats: st, active: { running: st.counts.running, pending: st.counts.pending } }))
      .catch(() => {})
    return s.subscribe()
  }, [])
  return useJobs((s) => s.active)
}
