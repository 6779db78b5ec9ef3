import type { CheckResult } from '../health/service'
import type { JobQueue } from './queue'

/** Health of the queue: started, nothing stalled. Failed jobs are reported in the detail, not as a warning. */
export function jobsHealth(q: JobQueue): CheckResult {
  const h = q.health()
  const metrics = { running: h.running, pending: h.pending, stalled: h.stalled, failedLastDay: h.failedLastDay }
  if (!h.started) return { status: 'warn', detail: 'The job queue is not running', metrics }
  if (h.stalled > 0) return { status: 'warn', detail: `${h.stalled} job(s) have waited more than 15 minutes although workers are free`, metrics }
  const failed = h.failedLastDay ? `, ${h.failedLastDay} failed in the last 24 h` : ''
  return { status: 'ok', detail: `${h.running} running, ${h.pending} waiting${failed}`, metrics }
}
