import { join } from 'node:path'
import { CHANNEL_NAMES, type AppInfo } from '../shared/contract'
import { AppError, type AppErrorShape } from '../shared/errors'
import { integrityCheck, migrationState, openDatabase, type OpenedDatabase } from './db/connection'
import { EventBus } from './events'
import { filesHandlers } from './files/handlers'
import { FileGrants } from './files/grants'
import { healthHandlers } from './health/handlers'
import { HealthService, type CheckResult } from './health/service'
import { jobsHandlers } from './jobs/handlers'
import { jobsHealth } from './jobs/health'
import { JobQueue, type JobQueueOptions } from './jobs/queue'
import { systemClock } from './jobs/clock'
import { maintenanceHandlers } from './maintenance/handlers'
import { MaintenanceService, type MaintenanceServiceOptions } from './maintenance/service'
import { createRouter, type Handlers, type Router } from './ipc/router'
import { createLogger, type Logger, type LogLevel } from './logger'
import { libraryHandlers } from './library/handlers'
import { LibraryService, type LibraryConfig } from './library/service'
import { IpcMetrics } from './monitoring/ipc-metrics'
import { notificationsHandlers } from './notifications/handlers'
import { NotificationService } from './notifications/service'
import type { Platform } from './platform/types'
import { redactionHandlers } from './redaction/handlers'
import { DetectorService, type WorkerEntry } from './redaction/service'
import { searchHandlers } from './search/handlers'
import { SearchService, type SearchServiceOptions } from './search/service'
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
  /** Wait this long after boot before startup work (health check, update check). Default 0. */
  startupDelayMs?: number
  now?: () => number
  /** Job queue overrides (tests: fake clock, short leases). */
  jobs?: Partial<JobQueueOptions>
  maintenance?: MaintenanceServiceOptions
  /** Where the detector worker script is; found automatically (bundle or TS sources) when absent. */
  detectorWorker?: WorkerEntry
  /** Search indexer options (tests drive the indexer by hand with background: false). */
  search?: SearchServiceOptions
  /** Library options (tests point the Crossref / arXiv base URLs at a local server). */
  library?: Partial<LibraryConfig>
}

export interface AppServices {
  db: OpenedDatabase
  settings: SettingsService
  secrets: SecretsService
  notifications: NotificationService
  health: HealthService
  jobs: JobQueue
  maintenance: MaintenanceService
  detector: DetectorService
  grants: FileGrants
  search: SearchService
  library: LibraryService
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
  // Built right after notifications (job outcomes notify); started after boot; stopped first at shutdown.
  const jobs = new JobQueue({ sqlite: db.sqlite, events, notifications, logger: logger.child('jobs') }, { clock: systemClock(now), ...config.jobs })
  stack.push(() => jobs.stop())
  const maintenance = new MaintenanceService({ jobs, dbFile, settings, logger: logger.child('maintenance'), now }, config.maintenance)
  stack.push(() => maintenance.stop())
  health.register('jobs', 'Background jobs', () => jobsHealth(jobs))
  // Long imports run on the job queue; library.import* channels enqueue and return the job id.
  const grants = new FileGrants()
  const library = new LibraryService({ sqlite: db.sqlite, events, logger: logger.child('library'), dataDir: platform.paths.userData, now, config: config.library })
  library.attachQueue(jobs)
  // The worker starts on first use (or the startup health check), not on the boot path.
  const detector = new DetectorService(platform, logger.child('detector'), { entry: config.detectorWorker })
  stack.push(() => detector.close())
  // After the library tables exist (migrations); indexes in the background, reads the library's tables.
  const search = new SearchService(db.sqlite, events, logger.child('search'), config.search)
  stack.push(() => search.close())

  health.register('database', 'Library database', async (): Promise<CheckResult> => {
    let check: string
    try {
      check = await integrityCheck(db.file)
    } catch (err) {
      // SQLite may refuse to even run the check on a badly damaged file; that is the same finding.
      const code = (err as { code?: string }).code ?? ''
      if (!code.startsWith('SQLITE_CORRUPT') && code !== 'SQLITE_NOTADB') throw err
      check = (err as Error).message
    }
    const { applied, shipped } = migrationState(db.sqlite)
    if (check !== 'ok') return { status: 'fail', detail: `Integrity check failed: ${String(check).slice(0, 200)}`, metrics: { corrupt: 1 } }
    if (applied !== shipped) return { status: 'fail', detail: `Schema out of date: ${applied} of ${shipped} migrations applied` }
    const pageCount = db.sqlite.pragma('page_count', { simple: true }) as number
    const pageSize = db.sqlite.pragma('page_size', { simple: true }) as number
    return { status: 'ok', detail: `Integrity ok, ${applied} migrations applied`, metrics: { sizeBytes: pageCount * pageSize, migrations: applied } }
  }, { timeoutMs: 10 * 60_000 })
  health.register('keychain', 'Secret store', async () => {
    await secrets.probe()
    const s = secrets.status()
    return s.kind === 'keychain'
      ? { status: 'ok', detail: 'OS keychain reachable' }
      : { status: 'warn', detail: `Using ${s.kind === 'safe-storage' ? 'Electron safeStorage' : 'an encrypted file'}: ${s.fallbackReason ?? ''}` }
  })
  health.register('detector', 'Data Detector worker', async () => {
    const { pid, patterns } = await detector.ping()
    const st = await detector.status()
    return {
      status: st.restarts > 0 ? 'warn' : 'ok',
      detail: `${patterns} patterns loaded (pid ${pid})${st.restarts ? `; restarted ${st.restarts}× — ${st.lastError}` : ''}`,
      metrics: { patterns, restarts: st.restarts },
    }
  })
  health.registerSystemChecks(platform.paths.userData)

  const handlers: Handlers = {
    'app.info': () => info,
    'monitoring.ipcStats': () => metrics.snapshot(),
    ...secretsHandlers(secrets),
    ...notificationsHandlers(notifications),
    ...healthHandlers(health),
    ...jobsHandlers(jobs),
    ...filesHandlers(platform, grants),
    ...libraryHandlers(library, grants),
    ...maintenanceHandlers(maintenance),
    ...redactionHandlers(detector),
    ...searchHandlers(search),
  }
  const info: AppInfo = { ...baseInfo, fatal: null, bootMs: performance.now() - t0 }
  let active = createRouter(handlers, { metrics, logger: logger.child('ipc') })
  const router: Router = { invoke: (channel, input, ctx) => active.invoke(channel, input, ctx) }
  // A damaged database found after boot: stop writing to it and show the error screen, as at open.
  const stopUsingDatabase = async (detail: string) => {
    info.fatal = {
      code: 'DATABASE',
      message: `The library database is damaged (${detail.slice(0, 300)}). To protect your data the app stopped using it; nothing was deleted. Restore a backup, or move the file aside to start a new library.`,
      path: db.file,
    }
    active = createRouter(fatalHandlers(info), { metrics, logger: logger.child('ipc') })
    await jobs.stop()
    maintenance.stop()
    events.emit('app.fatal', { code: 'DATABASE', message: info.fatal.message })
  }

  const ready = (async () => {
    // Let the window paint first: on 2 cores the checks (detector worker start, integrity scan) compete with it.
    if (config.startupDelayMs) await new Promise((r) => setTimeout(r, config.startupDelayMs))
    notifications.prune(90 * 86_400_000) // read notifications older than 90 days
    if (config.startupHealthCheck !== false) {
      const report = await health.run()
      const dbCheck = report.checks.find((c) => c.id === 'database')
      if (dbCheck?.status === 'fail' && dbCheck.metrics.corrupt === 1) await stopUsingDatabase(dbCheck.detail)
      // Warnings that say nothing at start-up are left to the Health page: the keychain fallback (shown in
      // Settings) and event-loop lag, which was measured while the app itself was booting.
      const bad = report.checks.filter((c) => c.status === 'fail' || (c.status === 'warn' && c.id !== 'keychain' && c.id !== 'event-loop'))
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

  jobs.start()
  maintenance.start()
  logger.info('app started', { mode: config.mode, bootMs: Math.round(info.bootMs), store: secrets.kind })
  return {
    router,
    events,
    logger,
    metrics,
    info,
    services: { db, settings, secrets, notifications, health, grants, jobs, maintenance, detector, search, library },
    ready,
    shutdown: async () => {
      await ready
      await jobs.stop()
      await shutdown()
    },
  }
}

/** Without a database only app.info answers; everything else reports why, so the UI can show an error screen. */
function degradedApp(
  info: AppInfo,
  parts: { events: EventBus; logger: Logger; metrics: IpcMetrics; shutdown: () => Promise<void> },
): App {
  return {
    router: createRouter(fatalHandlers(info), { metrics: parts.metrics, logger: parts.logger }),
    events: parts.events,
    logger: parts.logger,
    metrics: parts.metrics,
    info,
    services: null,
    ready: Promise.resolve(),
    shutdown: parts.shutdown,
  }
}

/** Every channel answers with the fatal error except app.info, which the UI uses to show the error screen. */
function fatalHandlers(info: AppInfo): Handlers {
  const fail = () => {
    throw new AppError('DATABASE', info.fatal!.message)
  }
  const handlers = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, fail])) as unknown as Handlers
  handlers['app.info'] = () => info
  return handlers
}
