// Job queue: enqueue 10,000 in one transaction; per-job overhead with a no-op handler; event-loop lag while
// 10,000 jobs run. A real SQLite file (WAL, as the app opens it), the real queue, events on and serialised
// as the WebSocket transport would. `npx tsx bench/jobs.bench.ts [--quick]`
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { openDatabase } from '../src/main/db/connection'
import { EventBus } from '../src/main/events'
import { JobQueue } from '../src/main/jobs/queue'
import { createLogger } from '../src/main/logger'

const N = process.argv.includes('--quick') ? 2000 : 10_000
const ROUNDS = process.argv.includes('--quick') ? 1 : 3

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'spm-jobs-bench-'))
  const db = openDatabase(join(dir, 'library.sqlite'))
  const events = new EventBus()
  let bytes = 0
  events.subscribe((name, payload) => (bytes += JSON.stringify({ event: name, payload }).length))
  const q = new JobQueue({ sqlite: db.sqlite, events, logger: createLogger({ level: 'error' }) })
  return {
    q,
    db,
    eventBytes: () => bytes,
    async close() {
      await q.stop()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ data: { paperId: i, path: `/papers/${i}.pdf` }, priority: i % 3 }))

async function runAll(concurrency: number): Promise<{ ms: number; lagP99: number; lagMax: number; eventKb: number }> {
  const s = setup()
  s.q.addBatch('bench.noop', items(N))
  let done = 0
  const finished = new Promise<void>((resolve) =>
    s.q.onSettled(() => {
      if (++done === N) resolve()
    }),
  )
  const lag = monitorEventLoopDelay({ resolution: 1 })
  const t0 = performance.now()
  lag.enable()
  s.q.register('bench.noop', async () => undefined, { concurrency })
  s.q.start()
  await finished
  const ms = performance.now() - t0
  lag.disable()
  s.q.flushEvents()
  const out = { ms, lagP99: lag.percentile(99) / 1e6, lagMax: lag.max / 1e6, eventKb: s.eventBytes() / 1024 }
  await s.close()
  return out
}

async function main() {
  const enqueue: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const s = setup()
    const batch = items(N)
    const t0 = performance.now()
    s.q.addBatch('bench.noop', batch)
    enqueue.push(performance.now() - t0)
    await s.close()
  }
  const runs1 = []
  const runs8 = []
  for (let r = 0; r < ROUNDS; r++) {
    runs1.push(await runAll(1))
    runs8.push(await runAll(8))
  }
  const best = <T>(xs: T[], k: (x: T) => number) => xs.reduce((a, b) => (k(b) < k(a) ? b : a))
  const worst = <T>(xs: T[], k: (x: T) => number) => xs.reduce((a, b) => (k(b) > k(a) ? b : a))
  const e = Math.min(...enqueue)
  const c1 = best(runs1, (x) => x.ms)
  const c8 = best(runs8, (x) => x.ms)
  const lag = Math.max(worst(runs1, (x) => x.lagP99).lagP99, worst(runs8, (x) => x.lagP99).lagP99)
  const lagMax = Math.max(...runs1.map((x) => x.lagMax), ...runs8.map((x) => x.lagMax))
  console.log(`Job queue, ${N.toLocaleString('en')} jobs, best of ${ROUNDS} (lag: worst), ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`)
  console.log('| measure | result | target |\n|---|---|---|')
  console.log(`| enqueue ${N.toLocaleString('en')} (one transaction) | ${e.toFixed(0)} ms | ≤ 1000 ms |`)
  console.log(`| per-job overhead, no-op handler, concurrency 1 | ${((c1.ms / N) * 1000).toFixed(0)} µs (${c1.ms.toFixed(0)} ms total) | ≤ 1 ms |`)
  console.log(`| per-job overhead, no-op handler, concurrency 8 | ${((c8.ms / N) * 1000).toFixed(0)} µs (${c8.ms.toFixed(0)} ms total) | ≤ 1 ms |`)
  console.log(`| event-loop lag while they run, p99 (max) | ${lag.toFixed(1)} ms (${lagMax.toFixed(1)} ms) | ≤ 50 ms |`)
  console.log(`| jobs.changed traffic for the whole run | ${c1.eventKb.toFixed(0)} KiB | — |`)
  const ok = e <= 1000 && c1.ms / N <= 1 && c8.ms / N <= 1 && lag <= 50
  console.log(`targets: ${ok ? 'MET' : 'MISSED'}`)
  if (!ok) process.exitCode = 1
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
