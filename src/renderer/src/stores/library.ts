import { create } from 'zustand'
import type {
  Collection,
  ImportReport,
  ImportStarted,
  Job,
  JobDetail,
  LibraryStats,
  Paper,
  PaperPatch,
  QueryProblem,
  SavedSearch,
  SearchFilters,
  SearchHit,
  SearchSort,
  Suggestion,
  Tag,
  TextExtractionReport,
  TextExtractionStarted,
} from '../../../shared/contract'
import { api } from '../api'
import { attempt, useToasts } from './toasts'

export const PAGE_SIZE = 100

export interface ImportState {
  name: string
  pct: number
  message: string
  jobId: number | null
  done: boolean
  report: ImportReport | null
  error: string | null
}

/** What the main column of the Library shows. */
export type LibraryView = 'papers' | 'duplicates'

interface LibraryState {
  view: LibraryView
  // query
  q: string
  filters: SearchFilters
  sort: SearchSort | null
  dir: 'asc' | 'desc' | null
  scope: 'metadata' | 'all'
  // results (sparse, by row index)
  total: number
  /** The first page is shown and its exact total is being counted (`total` is the rows known so far). */
  counting: boolean
  rows: Map<number, SearchHit>
  loadingPages: Set<number>
  cursors: Map<number, string>
  generation: number
  error: QueryProblem | null
  warnings: QueryProblem[]
  understood: string
  tookMs: number | null
  pending: { papers: number; attachments: number }
  searching: boolean
  loaded: boolean
  // selection and detail
  selectedIndex: number | null
  selectedId: number | null
  detail: Paper | null
  // sidebar
  tags: Tag[]
  collections: Collection[]
  savedSearches: SavedSearch[]
  stats: LibraryStats | null
  suggestions: Suggestion[]
  imports: ImportState[]
  /** Running text re-extraction jobs → the attachments they cover (undefined: every PDF without text). */
  textJobs: Map<number, number[] | undefined>

  setView(view: LibraryView): void
  setQuery(q: string): void
  setFilters(f: SearchFilters): void
  patchFilters(f: Partial<SearchFilters>): void
  setSort(sort: SearchSort): void
  setScope(scope: 'metadata' | 'all'): void
  run(): Promise<void>
  /** Runs the query unless its first page is loaded or on its way (boot and the page's mount both ask). */
  ensureLoaded(): void
  ensureRange(start: number, end: number): void
  select(index: number | null): void
  loadDetail(id: number): Promise<void>
  update(id: number, patch: PaperPatch): Promise<boolean>
  loadSidebar(): Promise<void>
  suggest(q: string): Promise<void>
  saveSearch(name: string): Promise<void>
  applySaved(s: SavedSearch): void
  deleteSaved(id: number): Promise<void>
  importText(name: string, text: string): Promise<void>
  importPaths(paths: string[]): Promise<void>
  /** Attaches files (paths granted by the dialog or an upload) to a paper. */
  attach(paperId: number, paths: string[]): Promise<void>
  reextractText(attachmentIds?: number[]): Promise<void>
  subscribe(): () => void
}

let debounce: ReturnType<typeof setTimeout> | null = null
let suggestSeq = 0

function cleanFilters(f: SearchFilters): SearchFilters {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue
    out[k] = v
  }
  return out as SearchFilters
}

export const useLibrary = create<LibraryState>((set, get) => {
  /** Shows an import in the progress list; queued imports are then followed through job events. */
  const track = async (name: string, start: () => Promise<ImportStarted>) => {
    const entry: ImportState = { name, pct: 0, message: 'Starting…', jobId: null, done: false, report: null, error: null }
    set({ imports: [...get().imports.filter((i) => !i.done), entry] })
    const patch = (p: Partial<ImportState>) => set({ imports: get().imports.map((i) => (i.name === name && !i.done ? { ...i, ...p } : i)) })
    try {
      const r = await start()
      if (r.report) {
        patch({ pct: 100, done: true, report: r.report, message: summary(r.report) })
        useToasts.getState().push('success', `${name}: ${summary(r.report)}`)
        void get().run()
        void get().loadSidebar()
      } else patch({ jobId: r.jobId, message: 'Queued' })
    } catch (err) {
      patch({ done: true, error: (err as Error).message, message: (err as Error).message })
      useToasts.getState().push('error', `${name}: ${(err as Error).message}`)
    }
  }
  /** Tells the outcome of a text re-extraction: the report says which PDFs still have no text and why. */
  const reportText = (r: TextExtractionReport) => {
    const toasts = useToasts.getState()
    const ok = r.extracted ? `Text extracted from ${r.extracted} PDF${r.extracted === 1 ? '' : 's'}.` : ''
    if (!r.failed) toasts.push('success', ok || 'No PDFs needed their text extracted.')
    else {
      const first = r.failures[0]
      const still = `${r.failed} PDF${r.failed === 1 ? '' : 's'} still without text${first ? ` (${first.name}: ${first.reason})` : ''}.`
      toasts.push('error', ok ? `${ok} ${still}` : still)
    }
  }
  /** Reports a finished re-extraction job once (from its event, or from the check right after it started). */
  const textJobEnded = (job: Job | JobDetail) => {
    if (!get().textJobs.has(job.id) || job.status === 'pending' || job.status === 'running') return
    const textJobs = new Map(get().textJobs)
    textJobs.delete(job.id)
    set({ textJobs })
    if (job.status === 'completed') {
      if ('result' in job) reportText(job.result as TextExtractionReport)
      else void api.invoke('jobs.get', { id: job.id }).then((d) => reportText(d.result as TextExtractionReport), () => {})
    } else if (job.status === 'failed') useToasts.getState().push('error', `Text extraction failed: ${job.error?.message ?? 'unknown error'}`)
    void get().loadSidebar()
  }
  /** Loads one page of rows; sequential pages use the keyset cursor, jumps use an offset. */
  const loadPage = async (page: number, gen: number) => {
    const st = get()
    if (st.loadingPages.has(page)) return
    st.loadingPages.add(page)
    const cursor = page > 0 ? st.cursors.get(page - 1) : undefined
    const first = page === 0
    const filters = cleanFilters(st.filters)
    // A text query's exact count is asked for after its first page: for a broad word it costs as much as the page.
    const countLater = first && st.q.trim() !== ''
    try {
      const r = await api.invoke('search.query', {
        q: st.q,
        filters,
        sort: st.sort ?? undefined,
        dir: st.dir ?? undefined,
        scope: st.scope,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : page > 0 ? { offset: page * PAGE_SIZE } : {}),
        total: first && !countLater,
      })
      if (get().generation !== gen) return
      const rows = new Map(get().rows)
      r.items.forEach((h, i) => rows.set(page * PAGE_SIZE + i, h))
      const cursors = new Map(get().cursors)
      if (r.nextCursor) cursors.set(page, r.nextCursor)
      // a single page is its own total
      const counting = countLater && !r.error && r.nextCursor !== null
      set({
        rows,
        cursors,
        ...(first
          ? { total: r.total ?? r.items.length, counting, error: r.error, warnings: r.warnings, understood: r.understood, tookMs: r.tookMs, searching: false, loaded: true }
          : {}),
        pending: r.pending,
      })
      if (counting) {
        const c = await api.invoke('search.count', { q: st.q, filters, scope: st.scope })
        if (get().generation === gen) set({ total: c.total, counting: false })
      }
    } catch (err) {
      if (get().generation === gen) {
        set({ searching: false, loaded: true })
        useToasts.getState().push('error', (err as Error).message)
      }
    } finally {
      get().loadingPages.delete(page)
    }
  }

  return {
    view: 'papers',
    q: '',
    filters: {},
    sort: null,
    dir: null,
    scope: 'metadata',
    total: 0,
    counting: false,
    rows: new Map(),
    loadingPages: new Set(),
    cursors: new Map(),
    generation: 0,
    error: null,
    warnings: [],
    understood: '',
    tookMs: null,
    pending: { papers: 0, attachments: 0 },
    searching: false,
    loaded: false,
    selectedIndex: null,
    selectedId: null,
    detail: null,
    tags: [],
    collections: [],
    savedSearches: [],
    stats: null,
    suggestions: [],
    imports: [],
    textJobs: new Map(),

    setView(view) {
      set({ view })
    },
    setQuery(q) {
      set({ q, view: 'papers' })
      if (debounce) clearTimeout(debounce)
      debounce = setTimeout(() => void get().run(), 120)
    },
    setFilters(filters) {
      set({ filters, view: 'papers' })
      void get().run()
    },
    patchFilters(f) {
      set({ filters: { ...get().filters, ...f }, view: 'papers' })
      void get().run()
    },
    setSort(sort) {
      const st = get()
      const cur = st.sort ?? (st.q.trim() ? 'relevance' : 'added')
      const dir = cur === sort ? ((st.dir ?? (sort === 'title' || sort === 'relevance' ? 'asc' : 'desc')) === 'asc' ? 'desc' : 'asc') : null
      set({ sort, dir })
      void get().run()
    },
    setScope(scope) {
      set({ scope })
      void get().run()
    },
    async run() {
      if (debounce) clearTimeout(debounce)
      const gen = get().generation + 1
      set({ generation: gen, rows: new Map(), cursors: new Map(), loadingPages: new Set(), searching: true, selectedIndex: null })
      await loadPage(0, gen)
    },
    ensureLoaded() {
      const st = get()
      if (!st.loaded && !st.searching) void st.run()
    },
    ensureRange(start, end) {
      const st = get()
      if (!st.loaded) return
      const last = Math.min(end, st.total - 1)
      for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) {
        if (!st.rows.has(p * PAGE_SIZE) && !st.loadingPages.has(p)) void loadPage(p, st.generation)
      }
    },
    select(index) {
      const st = get()
      if (index === null || st.total === 0) return set({ selectedIndex: null, selectedId: null, detail: null })
      const i = Math.max(0, Math.min(st.total - 1, index))
      const hit = st.rows.get(i)
      set({ selectedIndex: i, selectedId: hit?.id ?? null })
      if (hit && get().detail?.id !== hit.id) void get().loadDetail(hit.id)
    },
    async loadDetail(id) {
      const p = await attempt(() => api.invoke('library.get', { id }))
      if (p && get().selectedId === id) set({ detail: p })
    },
    async update(id, patch) {
      const p = await attempt(() => api.invoke('library.update', { id, patch }))
      if (!p) return false
      // Reflect the edit in the loaded rows at once; the index follows through triggers.
      const rows = new Map(get().rows)
      for (const [i, h] of rows)
        if (h.id === id)
          rows.set(i, {
            ...h,
            title: p.title,
            titleHl: h.titleHl === h.title ? p.title : h.titleHl,
            rating: p.rating,
            readingStatus: p.readingStatus,
            year: p.year,
            venue: p.venue,
            tags: p.tags,
          })
      set({ rows, detail: get().selectedId === id ? p : get().detail })
      if (patch.tags || patch.collectionIds) void get().loadSidebar()
      return true
    },
    async loadSidebar() {
      const [tags, collections, savedSearches, stats] = await Promise.all([
        attempt(() => api.invoke('library.tags')),
        attempt(() => api.invoke('library.collections')),
        attempt(() => api.invoke('library.savedSearches')),
        attempt(() => api.invoke('library.stats')),
      ])
      set({ tags: tags ?? [], collections: collections ?? [], savedSearches: savedSearches ?? [], stats: stats ?? null })
    },
    async suggest(q) {
      const seq = ++suggestSeq
      if (!q.trim()) return set({ suggestions: [] })
      try {
        const s = await api.invoke('search.suggest', { q, limit: 8 })
        if (seq === suggestSeq) set({ suggestions: s })
      } catch {
        if (seq === suggestSeq) set({ suggestions: [] })
      }
    },
    async saveSearch(name) {
      const st = get()
      const s = await attempt(
        () => api.invoke('library.savedSearchSave', { name, query: st.q, filters: { ...cleanFilters(st.filters), ...(st.sort ? { $sort: st.sort } : {}) } }),
        'Search saved',
      )
      if (s) void get().loadSidebar()
    },
    applySaved(s) {
      const { $sort, ...filters } = s.filters as SearchFilters & { $sort?: SearchSort }
      set({ q: s.query, filters: filters as SearchFilters, sort: $sort ?? null, dir: null, view: 'papers' })
      void get().run()
    },
    async deleteSaved(id) {
      const r = await attempt(() => api.invoke('library.savedSearchDelete', { id }))
      if (r) void get().loadSidebar()
    },
    importText(name, text) {
      return track(name, () => api.invoke('library.importText', { text, name }))
    },
    async importPaths(paths) {
      // Paths come from the native dialog (desktop only); main only accepts paths it granted there.
      const pdfs = paths.filter((p) => /\.pdf$/i.test(p))
      const others = paths.filter((p) => !/\.pdf$/i.test(p))
      const base = (p: string) => p.split(/[\\/]/).pop() ?? p
      if (pdfs.length) await track(pdfs.length === 1 ? base(pdfs[0]) : `${pdfs.length} PDFs`, () => api.invoke('library.importPdfs', { paths: pdfs }))
      for (const p of others) await track(base(p), () => api.invoke('library.importFile', { path: p }))
    },
    async attach(paperId, paths) {
      for (const path of paths) {
        const a = await attempt(() => api.invoke('library.attachmentAdd', { paperId, path }))
        if (!a) continue
        // A PDF that pdf.js cannot read is still attached (the file may be fine for a viewer); say so now.
        if (a.textState === 'failed') useToasts.getState().push('error', `${a.originalName} was attached, but its text could not be extracted: ${a.textError ?? 'unknown reason'}`)
        else useToasts.getState().push('success', `${a.originalName} attached`)
      }
      if (get().selectedId === paperId) await get().loadDetail(paperId)
    },
    async reextractText(attachmentIds) {
      let r: TextExtractionStarted
      try {
        r = await api.invoke('library.reextractText', attachmentIds ? { attachmentIds } : undefined)
      } catch (err) {
        useToasts.getState().push('error', `Could not start text extraction: ${(err as Error).message}`)
        return
      }
      if (r.report) {
        reportText(r.report)
        void get().loadSidebar()
        return
      }
      if (r.jobId === null) return
      const jobId = r.jobId
      set({ textJobs: new Map(get().textJobs).set(jobId, attachmentIds) })
      const what = attachmentIds ? (attachmentIds.length === 1 ? 'this PDF' : `${attachmentIds.length} PDFs`) : 'PDFs without text'
      useToasts.getState().push('info', `Extracting the text of ${what} again in the background; progress is on the Jobs page.`)
      // A short job can end before this answer arrived, its event then matching no tracked job.
      void api.invoke('jobs.get', { id: jobId }).then(textJobEnded, () => {})
    },
    subscribe() {
      // Jobs that ended while the Library was not open (their events went unheard) are reported now.
      for (const id of get().textJobs.keys()) void api.invoke('jobs.get', { id }).then(textJobEnded, () => {})
      const offs = [
        api.on('library.changed', ({ kind, ids }) => {
          // The detail pane shows one paper: reload it when it changed (text re-extracted, attachment added), drop it when merged away.
          const sel = get().selectedId
          if (sel !== null && ids.includes(sel)) {
            if (kind === 'deleted' || (kind === 'merged' && ids[0] !== sel)) set({ selectedId: null, selectedIndex: null, detail: null })
            else void get().loadDetail(sel)
          }
          if (debounce) clearTimeout(debounce)
          debounce = setTimeout(() => {
            void get().run()
            void get().loadSidebar()
          }, 300)
        }),
        api.on('library.importProgress', ({ source, pct, message }) => {
          set({ imports: get().imports.map((i) => (i.name === source && !i.done ? { ...i, pct, message: message ?? i.message } : i)) })
        }),
        api.on('search.indexProgress', ({ pendingPapers, pendingAttachments }) => set({ pending: { papers: pendingPapers, attachments: pendingAttachments } })),
        api.on('jobs.changed', ({ jobs }) => {
          for (const job of jobs) {
            if (get().textJobs.has(job.id)) textJobEnded(job)
            const imp = get().imports.find((i) => i.jobId === job.id && !i.done)
            if (!imp) continue
            const finished = job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled'
            set({
              imports: get().imports.map((i) =>
                i === imp ? { ...i, pct: job.progress, message: job.progressMessage ?? job.status, done: finished, error: job.error?.message ?? null } : i,
              ),
            })
            if (job.status === 'completed') {
              void api.invoke('jobs.get', { id: job.id }).then((d) => {
                const report = d.result as ImportReport | null
                set({ imports: get().imports.map((i) => (i.jobId === job.id ? { ...i, report, message: report ? summary(report) : 'Done' } : i)) })
                if (report) useToasts.getState().push('success', `${imp.name}: ${summary(report)}`)
              })
              void get().run()
              void get().loadSidebar()
            } else if (job.status === 'failed') useToasts.getState().push('error', `${imp.name}: ${job.error?.message ?? 'import failed'}`)
          }
        }),
      ]
      return () => offs.forEach((o) => o())
    },
  }
})

export function summary(r: ImportReport): string {
  const parts = [`${r.added} added`]
  if (r.duplicates) parts.push(`${r.duplicates} duplicate${r.duplicates === 1 ? '' : 's'}`)
  if (r.merged) parts.push(`${r.merged} merged`)
  if (r.failed) parts.push(`${r.failed} failed`)
  // Reports stored by versions before warnings existed lack both fields.
  const warned = r.warned ?? r.warningItems?.length ?? 0
  if (warned) parts.push(`${warned} with warnings`)
  return parts.join(', ')
}
