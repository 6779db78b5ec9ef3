import { create } from 'zustand'

export interface Toast {
  id: number
  kind: 'error' | 'success' | 'info'
  text: string
}

interface ToastState {
  toasts: Toast[]
  push(kind: Toast['kind'], text: string): void
  dismiss(id: number): void
}

let seq = 1
export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push(kind, text) {
    const id = seq++
    set({ toasts: [...get().toasts.slice(-4), { id, kind, text }] })
    setTimeout(() => get().dismiss(id), kind === 'error' ? 8000 : 4000)
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) })
  },
}))

/** Runs a call and turns a failure into an error toast; returns undefined on failure. */
export async function attempt<T>(fn: () => Promise<T>, success?: string): Promise<T | undefined> {
  try {
    const r = await fn()
    if (success) useToasts.getState().push('success', success)
    return r
  } catch (err) {
    useToasts.getState().push('error', (err as Error).message)
    return undefined
  }
}
