import { create } from 'zustand'
import type { DuplicateGroup, Paper } from '../../../shared/contract'
import { api } from '../api'
import { useToasts } from './toasts'
import { useLibrary } from './library'

/** Groups are shown (and their papers fetched) this many at a time: a messy library can hold thousands. */
export const GROUP_PAGE = 50
const MAX_GET_MANY = 500

/** Two groups may share a key (one title key can hold several works), so the first paper id makes it unique. */
export const groupId = (g: DuplicateGroup) => `${g.reason}:${g.key}:${g.paperIds[0]}`

/**
 * The record kept by default is the oldest one, as in Zotero: it is the one the user has had longest, so any
 * corrections, ratings or citation keys they made live there, and its non-empty fields win in a merge. It loses
 * nothing by being less complete: the merge fills its empty fields from the other records.
 */
export function defaultKeep(ids: number[], papers: Map<number, Paper>): number {
  let best = ids[0]
  for (const id of ids) {
    const p = papers.get(id)
    const b = papers.get(best)
    if (p && (!b || p.addedAt < b.addedAt || (p.addedAt === b.addedAt && id < best))) best = id
  }
  return best
}

interface DuplicatesState {
  /** null until the first answer. */
  groups: DuplicateGroup[] | null
  papers: Map<number, Paper>
  loading: boolean
  error: string | null
  shown: number
  /** The user's choice per group; groups without one keep defaultKeep. */
  keep: Map<string, number>
  merging: string | null
  /** Counts groups; with papers, also fetches the records of the groups on screen. */
  load(withPapers: boolean): Promise<void>
  showMore(): Promise<void>
  choose(gid: string, id: number): void
  merge(g: DuplicateGroup, keepId: number): Promise<boolean>
  subscribe(): () => void
}

let seq = 0
let timer: ReturnType<typeof setTimeout> | null = null
const viewOpen = () => useLibrary.getState().view === 'duplicates'

async function fetchPapers(ids: number[]): Promise<Map<number, Paper>> {
  const out = new Map<number, Paper>()
  for (let i = 0; i < ids.length; i += MAX_GET_MANY) for (const p of await api.invoke('library.getMany', { ids: ids.slice(i, i + MAX_GET_MANY) })) out.set(p.id, p)
  return out
}

export const useDuplicates = create<DuplicatesState>((set, get) => ({
  groups: null,
  papers: new Map(),
  loading: false,
  error: null,
  shown: GROUP_PAGE,
  keep: new Map(),
  merging: null,

  async load(withPapers) {
    const mine = ++seq
    set({ loading: true, error: null })
    try {
      const groups = await api.invoke('library.duplicates')
      const papers = withPapers ? await fetchPapers([...new Set(groups.slice(0, get().shown).flatMap((g) => g.paperIds))]) : get().papers
      if (mine !== seq) return
      // A choice only stands while its group still has that paper.
      const keep = new Map([...get().keep].filter(([gid, id]) => groups.some((g) => groupId(g) === gid && g.paperIds.includes(id))))
      set({ groups, papers, keep, loading: false, error: null })
    } catch (err) {
      if (mine !== seq) return
      set({ loading: false, error: (err as Error).message })
      if (withPapers) useToasts.getState().push('error', `Could not look for duplicates: ${(err as Error).message}`)
    }
  },
  async showMore() {
    set({ shown: get().shown + GROUP_PAGE })
    await get().load(true)
  },
  choose(gid, id) {
    set({ keep: new Map(get().keep).set(gid, id) })
  },
  async merge(g, keepId) {
    const gid = groupId(g)
    set({ merging: gid })
    try {
      const p = await api.invoke('library.merge', { keepId, mergeIds: g.paperIds.filter((id) => id !== keepId) })
      // The merge is committed: drop the group now; library.changed then reloads the rest (other groups may have shared papers).
      set({ groups: get().groups?.filter((x) => groupId(x) !== gid) ?? null })
      useToasts.getState().push('success', `Merged ${g.paperIds.length} records into “${p.title || 'Untitled'}”`)
      return true
    } catch (err) {
      useToasts.getState().push('error', `Could not merge: ${(err as Error).message}`)
      return false
    } finally {
      set({ merging: null })
    }
  },
  subscribe() {
    return api.on('library.changed', () => {
      if (timer) clearTimeout(timer)
      // The scan covers the whole library: while only the sidebar count is on screen, wait for imports to settle.
      timer = setTimeout(() => void get().load(viewOpen()), viewOpen() ? 300 : 1500)
    })
  },
}))
