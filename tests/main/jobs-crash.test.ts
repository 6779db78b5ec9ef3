import { fork } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { systemClock } from '../../src/main/jobs/clock'
import { makeQueue, until, type Harness } from '../fixtures/jobs/harness'
import { STEPS, STEPS_JOB, stepsHandler } from '../fixtures/jobs/steps-job'

let h: Harness
afterEach(async () => {
  await h?.close()
})

it('recovers jobs from a process killed with SIGKILL mid-job: none lost, each completed exactly once', async () => {
  h = makeQueue({ clock: systemClock(), owner: undefined }, false)
  // owner: undefined → the default host:pid:nonce owner of this process.
  const ids = h.q.addBatch(STEPS_JOB, [1, 2, 3, 4].map(() => ({ data: { stepMs: 20 } })))

  const child = fork(join(__dirname, '../fixtures/jobs/crash-child.ts'), [h.file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)))
  let childOwner = ''
  const steps: { jobId: number; step: number }[] = []
  child.on('message', (m: { ready?: boolean; owner?: string; jobId?: number; step?: number }) => {
    if (m.ready) childOwner = m.owner!
    else steps.push({ jobId: m.jobId!, step: m.step! })
  })
  // Kill it in the middle of its first two jobs (concurrency 2), without any chance to clean up.
  await until(() => steps.filter((s) => s.jobId === ids[0]).length >= 8, 20_000, 'the child to get going')
  child.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')

  const state = (id: number) => h.q.get(id)
  const running = ids.filter((id) => state(id).status === 'running')
  expect(running.length).toBeGreaterThanOrEqual(1)
  for (const id of running) expect(state(id).history.at(-1)).toMatchObject({ owner: childOwner, outcome: 'running' })

  // A new owner (this process) starts the real queue on the same file.
  const resumedFrom: number[] = []
  h.q.register(STEPS_JOB, stepsHandler(h.db.sqlite, 'parent'), { concurrency: 2 })
  const t0 = Date.now()
  h.q.start()
  const results = await Promise.all(ids.map((id) => h.q.waitFor(id)))
  // The child's pid is gone, so its leases are recovered at once rather than after the 3 s lease.
  expect(Date.now() - t0).toBeLessThan(2900)
  for (const r of results) {
    expect(r.status).toBe('completed')
    resumedFrom.push((r.result as { resumedFrom: number }).resumedFrom)
  }
  // Interrupted jobs continued from their checkpoint rather than starting over.
  for (const id of running) expect((results[ids.indexOf(id)].result as { resumedFrom: number }).resumedFrom).toBeGreaterThan(0)

  const effects = h.db.sqlite.prepare('SELECT job_id AS id, step, who FROM fixture_effects').all() as { id: number; step: number; who: string }[]
  for (const id of ids) {
    const mine = effects.filter((e) => e.id === id)
    // Completed exactly once, and every step done (the step that was in flight at the kill may repeat).
    expect(mine.filter((e) => e.step === -1)).toHaveLength(1)
    expect(new Set(mine.filter((e) => e.step >= 0).map((e) => e.step)).size).toBe(STEPS)
    expect(mine.filter((e) => e.step >= 0).length).toBeLessThanOrEqual(STEPS + 1)
    const d = state(id)
    expect(d).toMatchObject({ status: 'completed', progress: 100 })
    expect(d.attempts).toBe(1) // the interrupted run was given back
  }
  for (const id of running) {
    expect(state(id).history.map((a) => [a.owner === childOwner ? 'child' : 'parent', a.outcome])).toEqual([
      ['child', 'interrupted'],
      ['parent', 'completed'],
    ])
  }
  expect(h.q.stats().counts).toMatchObject({ completed: 4, running: 0, pending: 0, failed: 0 })
}, 60_000)
