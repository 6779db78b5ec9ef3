import { z } from 'zod'
import { channel } from './define'

export type HealthStatus = 'ok' | 'warn' | 'fail'

export interface HealthCheck {
  id: string
  label: string
  status: HealthStatus
  detail: string
  /** Numbers a chart or a test can use, e.g. { freeBytes } or { p99Ms }. */
  metrics: Record<string, number>
  durationMs: number
}

export interface HealthReport {
  status: HealthStatus
  checkedAt: number
  checks: HealthCheck[]
}

export const healthChannels = {
  'health.report': channel<HealthReport>()(z.strictObject({ refresh: z.boolean().optional() }).optional()),
}

export const healthEvents = {
  'health.updated': z.object({ status: z.enum(['ok', 'warn', 'fail']), checkedAt: z.number() }),
}
