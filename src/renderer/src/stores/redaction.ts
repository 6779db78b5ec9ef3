import { create } from 'zustand'
import { MAX_SCAN_CHARS } from '../../../shared/constants'
import type { DetectorPattern, RedactionOutcome } from '../../../shared/contract/redaction'
import { api } from '../api'
import { attempt } from './toasts'

export type Strategy = 'mask' | 'hash' | 'tokenize'

export interface RedactItem {
  id: number
  name: string
  size: number
  state: 'queued' | 'working' | 'done' | 'error'
  error?: string
  outcome?: RedactionOutcome
}

interface RedactionState {
  patterns: DetectorPattern[]
  namespaces: string[]
  selected: string[]
  strategy: Strategy
  items: RedactItem[]
  busy: boolean
  loadPatterns(): Promise<void>
  toggleNamespace(ns: string): void
  setStrategy(s: Strategy): void
  addFiles(files: File[]): Promise<void>
  addText(name: string, text: string): Promise<void>
  clear(): void
}

let seq = 1

/** A file that is mostly NUL or control bytes is not text; redacting it as text would mangle it. */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192)
  let bad = 0
  for (let i = 0; i < n; i++) {
    const b = bytes[i]
    if (b === 0) return true
    if (b < 9 || (b > 13 && b < 32)) bad++
  }
  return n > 0 && bad / n > 0.1
}

export const useRedaction = create<RedactionState>((set, get) => {
  const update = (id: number, patch: Partial<RedactItem>) => set({ items: get().items.map((i) => (i.id === id ? { ...i, ...patch } : i)) })

  const run = async (id: number, text: string) => {
    update(id, { state: 'working' })
    try {
      const outcome = await api.invoke('detector.redact', { text, strategy: get().strategy, namespaces: get().selected.length ? get().selected : undefined })
      update(id, { state: 'done', outcome })
    } catch (err) {
      update(id, { state: 'error', error: (err as Error).message })
    }
  }

  return {
    patterns: [],
    namespaces: [],
    selected: [],
    strategy: 'mask',
    items: [],
    busy: false,
    async loadPatterns() {
      const patterns = await attempt(() => api.invoke('detector.patterns'))
      if (!patterns) return
      const namespaces = [...new Set(patterns.map((p) => p.namespace))].sort()
      set({ patterns, namespaces })
    },
    toggleNamespace(ns) {
      const sel = get().selected
      set({ selected: sel.includes(ns) ? sel.filter((s) => s !== ns) : [...sel, ns] })
    },
    setStrategy(strategy) {
      set({ strategy })
    },
    async addFiles(files) {
      const queued = files.map((f) => ({ file: f, item: { id: seq++, name: f.name, size: f.size, state: 'queued' as const } }))
      set({ items: [...queued.map((q) => q.item), ...get().items], busy: true })
      for (const { file, item } of queued) {
        const bytes = new Uint8Array(await file.arrayBuffer())
        if (looksBinary(bytes)) {
          update(item.id, { state: 'error', error: 'This looks like a binary file (PDF, image, archive…). Only text files can be redacted here.' })
          continue
        }
        let text: string
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
        } catch {
          update(item.id, { state: 'error', error: 'The file is not valid UTF-8 text, so it was not changed.' })
          continue
        }
        if (text.length > MAX_SCAN_CHARS) {
          update(item.id, { state: 'error', error: `Too large for in-app redaction (over ${MAX_SCAN_CHARS / 1024} K characters). Use the datadetector CLI, which streams files of any size.` })
          continue
        }
        await run(item.id, text)
      }
      set({ busy: false })
    },
    async addText(name, text) {
      const item: RedactItem = { id: seq++, name, size: text.length, state: 'queued' }
      set({ items: [item, ...get().items], busy: true })
      await run(item.id, text)
      set({ busy: false })
    },
    clear() {
      set({ items: [] })
    },
  }
})
