import type { Handlers } from '../ipc/router'
import type { MaintenanceService } from './service'

export function maintenanceHandlers(m: MaintenanceService) {
  return {
    'maintenance.run': (i) => m.runNow(i ?? {}),
    'maintenance.status': () => m.status(),
  } satisfies Pick<Handlers, `maintenance.${string}` & keyof Handlers>
}
