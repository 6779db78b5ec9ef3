import type { ChannelTiming } from '../../shared/contract'

const WINDOW = 512

/** Per-channel call durations in a fixed ring, so memory stays flat however long the app runs. */
export class IpcMetrics {
  private byChannel = new Map<string, { calls: number; errors: number; ring: Float64Array; n: number }>()

  record(channel: string, ms: number, ok: boolean): void {
    let m = this.byChannel.get(channel)
    if (!m) this.byChannel.set(channel, (m = { calls: 0, errors: 0, ring: new Float64Array(WINDOW), n: 0 }))
    m.ring[m.calls % WINDOW] = ms
    m.calls++
    if (!ok) m.errors++
    m.n = Math.min(m.n + 1, WINDOW)
  }

  snapshot(): ChannelTiming[] {
    return [...this.byChannel.entries()]
      .map(([channel, m]) => {
        const sorted = Array.from(m.ring.subarray(0, m.n)).sort((a, b) => a - b)
        const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
        return { channel, calls: m.calls, errors: m.errors, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: sorted.at(-1) ?? 0 }
      })
      .sort((a, b) => a.channel.localeCompare(b.channel))
  }
}
