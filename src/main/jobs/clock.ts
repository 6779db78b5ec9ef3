/** Time source and timers of the queue; tests pass a fake one to drive backoff, leases and throttling. */
export interface JobClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export function systemClock(now: () => number = Date.now): JobClock {
  return {
    now,
    setTimeout: (fn, ms) => {
      const t = setTimeout(fn, ms)
      // Queue timers never keep a process alive on their own.
      t.unref?.()
      return t
    },
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  }
}
