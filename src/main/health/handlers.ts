import type { Handlers } from '../ipc/router'
import type { HealthService } from './service'

export function healthHandlers(h: HealthService) {
  return {
    'health.report': (i) => h.report(i?.refresh ?? false),
  } satisfies Pick<Handlers, 'health.report'>
}
