import { join } from 'node:path'
import { CHANNEL_NAMES, type AppInfo } from '../shared/contract'
import { AppError, type AppErrorShape } from '../shared/errors'
import { migrationState, openDatabase, type OpenedDatabase } from './db/connection'
import { EventBus } from './events'
import { healthHandlers } from './health/handlers'
import { HealthService } from './health/service'
import { createRouter, type Handlers, type Router } from './ipc/router'
import { createLogger, type Logger, type LogLevel } from './logger'
import { IpcMetrics } from './monitoring/ipc-metrics'
import { notificationsHandlers } from './notifications/handlers'
import { NotificationService } from './notifications/service'
import type { Platform } from './platform/types'
import { secretsHandlers } from './secrets/handlers'
import { SecretsService } from './secrets/service'
import { SettingsService } from './settings/service'
import { checkForUpdates } from './updater/service'

export interface AppConfig {
  version: string
  mode: 'electron' | 'browser'
  /** Keychain service name; tests use a unique one so they never touch a user's entries. */
  keychainService?: string
  useKeychain?: boolean
  logLevel?: LogLevel
  logToConsole?: boolean
  /** Run the startup health check (and notify on problems). Default true. */
  startupHealthCheck?: boolean
  now?: () => number
}

export interface AppServices {
  db: OpenedDatabase
  settings: SettingsService
  secrets: SecretsService
  notifications: NotificationService
  health: HealthService
}

export interface App {
  router: Router
  events: EventBus
  logger: Logger
  metrics: IpcMetrics
  info: AppInfo
  /** Null when the app booted degraded (see info.fatal). */
  services: AppServices | null
  /** Resolves when background startup work (health check, update check) has finished. */
  ready: Promise<void>
  shutdown(): Promise<void>
}

export const DB_FILE = 'library.sqlite'

/** The one place where services are built (in dependency order) and torn down (in reverse). */
export async function createApp(platform: Platform, config: AppConfig): Promise<App> {
  const t0 = performance.now()
  const now = config.now ?? Date.now
  const logger = createLogger({ dir: platform.paths.logs, level: config.logLevel, console: config.logToConsole })
  const events = new EventBus()
  const metrics = new IpcMetrics()
  const stack: (() => void | Promise<void>)[] = []
  const baseInfo = {
    name: 'Science Paper Manager',
    version: config.version,
    mode: config.mode,
    platform: process.platform,
    dataDir: platform.paths.userData,
  }

  const shutdown = async () => {
    while (stack.length) {
      try {
        await stack.pop()!()
      } catch (err) {
        logger.error('shutdown step failed', { error: (err as Error).message })
      }
    }
  }

  let db: OpenedDatabase
  const dbFile = join(platform.paths.userData, DB_FILE)
  try {
    db = openDatabase(dbFile)
  } catch (err) {
    const fatal: AppErrorShape =
      err instanceof AppError ? { code: err.code, message: err.message } : { code: 'DATABASE', message: `The library database could not be opened: ${(err as Error).message}` }
    logger.error('database unavailable; booting degraded', { error: fatal.message })
    return degradedApp({ ...baseInfo, fatal: { ...fatal, path: dbFile }, bootMs: performance.now() - t0 }, { events, logger, metrics, shutdown })
  }
  stack.push(() => db.close())

  const settings = new SettingsService(db.db, now)
  const secrets = await SecretsService.create({
    keychainService: config.keychainService ?? 'science-paper-manager',
    useKeychain: config.useKeychain ?? true,
    fallback: () => platform.fallbackSecretStore(),
    settings,
    events,
    logger: logger.child('secrets'),
    now,
  })
  const notifications = new NotificationService(db.db, platform, events, logger.child('notifications'), now)
  const health = new HealthService(events, now)
  stack.push(() => health.close())

  health.register('database', 'Library database', () => {
    const check = db.sqlite.pragma('quick_check', { simple: true })
    const { applied, shipped } = migrationState(db.sqlite)
    if (check !== 'ok') return { status: 'fail', detail: `Integrity check failed: ${String(check).slice(0, 200)}` }
    if (applied !== shipped) return { status: 'fail', detail: `Schema out of date: ${applied} of ${shipped} migrations applied` }
    const pageCount = db.sqlite.pragma('page_count', { simple: true }) as number
    const pageSize = db.sqlite.pragma('page_size', { simple: true }) as number
    return { status: 'ok', detail: `Integrity ok, ${applied} migrations applied`, metrics: { sizeBytes: pageCount * pageSize, migrations: applied } }
  })
  health.register('keychain', 'Secret store', async () => {
    await secrets.probe()
    const s = secrets.status()
    return s.kind === 'keychain'
      ? { status: 'ok', detail: 'OS keychain reachable' }
      : { status: 'warn', detail: `Using ${s.kind === 'safe-storage' ? 'Electron safeStorage' : 'an encrypted file'}: ${s.fallbackReason ?? ''}` }
  })
  health.registerSystemChecks(platform.paths.userData)

  const handlers: Handlers = {
    'app.info': () => info,
    'monitoring.ipcStats': () => metrics.snapshot(),
    ...secretsHandlers(secrets),
    ...notificationsHandlers(notifications),
    ...healthHandlers(health),
  }
  const router = createRouter(handlers, { metrics, logger: logger.child('ipc') })
  const info: AppInfo = { ...baseInfo, fatal: null, bootMs: performance.now() - t0 }

  const ready = (async () => {
    if (config.startupHealthCheck !== false) {
      const report = await health.run()
      const bad = report.checks.filter((c) => c.status === 'fail' || (c.status === 'warn' && c.id !== 'keychain'))
      if (bad.length)
        await notifications.notify({
          type: 'health_warning',
          title: bad.length === 1 ? `${bad[0].label}: needs attention` : `${bad.length} health checks need attention`,
          message: bad.map((c) => `${c.label}: ${c.detail}`).join('\n'),
          priority: report.status === 'fail' ? 'high' : 'normal',
          data: { checks: bad.map((c) => c.id) },
        })
    }
    await checkForUpdates(platform.updater, notifications, logger.child('updater'))
  })().catch((err) => logger.error('startup task failed', { error: (err as Error).message }))

  logger.info('app started', { mode: config.mode, bootMs: Math.round(info.bootMs), store: secrets.kind })
  return {
    router,
    events,
    logger,
    metrics,
    info,
    services: { db, settings, secrets, notifications, health },
    ready,
    shutdown: async () => {
      await ready
      await shutdown()
    },
  }
}

/** Without a database only app.info answers; everything else reports why, so the UI can show an error screen. */
function degradedApp(
  info: AppInfo,
  parts: { events: EventBus; logger: Logger; metrics: IpcMetrics; shutdown: () => Promise<void> },
): App {
  const fail = () => {
    throw new AppError('DATABASE', info.fatal!.message)
  }
  const handlers = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, fail])) as unknown as Handlers
  handlers['app.info'] = () => info
  return {
    router: createRouter(handlers, { metrics: parts.metrics, logger: parts.logger }),
    events: parts.events,
    logger: parts.logger,
    metrics: parts.metrics,
    info,
    services: null,
    ready: Promise.resolve(),
    shutdown: parts.shutdown,
  }
}
