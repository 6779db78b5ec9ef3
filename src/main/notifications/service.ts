import { and, count, desc, inArray, isNotNull, isNull, lt } from 'drizzle-orm'
import {
  NOTIFICATION_TYPE_LABELS,
  NOTIFICATION_TYPES,
  type AppNotification,
  type NotificationPage,
  type NotificationType,
  type NotificationTypeSetting,
  type Priority,
} from '../../shared/contract'
import type { Db } from '../db/connection'
import type { EventBus } from '../events'
import type { Logger } from '../logger'
import type { Platform } from '../platform/types'
import { notifications, notificationSettings } from './schema'

export interface NotifyInput {
  type: NotificationType
  title: string
  message: string
  data?: Record<string, unknown>
  priority?: Priority
}

const URGENCY = { low: 'low', normal: 'normal', high: 'normal', urgent: 'critical' } as const
// Chatty informational types stay in-app unless the user turns native on.
const NATIVE_BY_DEFAULT: ReadonlySet<NotificationType> = new Set([
  'analysis_complete',
  'analysis_failed',
  'backup_failed',
  'security_alert',
  'update_available',
  'job_failed',
  'health_warning',
  'test',
])

type Row = typeof notifications.$inferSelect
const toDto = (r: Row): AppNotification => ({ ...r, data: r.data ?? null })

/** Stores notifications, pushes them to renderers, and raises native ones according to per-type settings. */
export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly platform: Platform,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  settings(): NotificationTypeSetting[] {
    const rows = new Map(this.db.select().from(notificationSettings).all().map((r) => [r.type, r]))
    return NOTIFICATION_TYPES.map((type) => ({
      type,
      label: NOTIFICATION_TYPE_LABELS[type],
      enabled: rows.get(type)?.enabled ?? true,
      native: rows.get(type)?.native ?? NATIVE_BY_DEFAULT.has(type),
    }))
  }

  private settingFor(type: NotificationType): NotificationTypeSetting {
    return this.settings().find((s) => s.type === type)!
  }

  updateSetting(type: NotificationType, patch: { enabled?: boolean; native?: boolean }): NotificationTypeSetting[] {
    const cur = this.settingFor(type)
    const next = { type, enabled: patch.enabled ?? cur.enabled, native: patch.native ?? cur.native }
    this.db
      .insert(notificationSettings)
      .values(next)
      .onConflictDoUpdate({ target: notificationSettings.type, set: { enabled: next.enabled, native: next.native } })
      .run()
    return this.settings()
  }

  /** Returns the stored notification, or null when the user disabled this type. */
  async notify(input: NotifyInput): Promise<AppNotification | null> {
    const setting = this.settingFor(input.type)
    if (!setting.enabled) return null
    const row = this.db
      .insert(notifications)
      .values({
        type: input.type,
        title: input.title,
        message: input.message,
        data: input.data ?? null,
        priority: input.priority ?? 'normal',
        createdAt: this.now(),
      })
      .returning()
      .get()
    const notification = toDto(row)
    let native = false
    if (setting.native) {
      try {
        const how = await this.platform.notify({ title: input.title, body: input.message, urgency: URGENCY[notification.priority] })
        native = how === 'delegated'
      } catch (err) {
        this.logger.warn('native notification failed', { error: (err as Error).message })
      }
    }
    this.events.emit('notifications.created', { notification, native, unread: this.unreadCount() })
    return notification
  }

  unreadCount(): number {
    return this.db.select({ n: count() }).from(notifications).where(isNull(notifications.readAt)).get()!.n
  }

  list(opts: { unreadOnly?: boolean; limit?: number; before?: number } = {}): NotificationPage {
    const limit = opts.limit ?? 50
    const where = and(opts.unreadOnly ? isNull(notifications.readAt) : undefined, opts.before ? lt(notifications.id, opts.before) : undefined)
    const rows = this.db.select().from(notifications).where(where).orderBy(desc(notifications.id)).limit(limit + 1).all()
    const items = rows.slice(0, limit).map(toDto)
    return { items, unread: this.unreadCount(), nextCursor: rows.length > limit ? items[items.length - 1].id : null }
  }

  private changed(): { unread: number } {
    const unread = this.unreadCount()
    this.events.emit('notifications.unread', { unread })
    return { unread }
  }

  markRead(ids: number[]): { unread: number } {
    this.db.update(notifications).set({ readAt: this.now() }).where(and(inArray(notifications.id, ids), isNull(notifications.readAt))).run()
    return this.changed()
  }

  markAllRead(): { unread: number } {
    this.db.update(notifications).set({ readAt: this.now() }).where(isNull(notifications.readAt)).run()
    return this.changed()
  }

  delete(ids: number[]): { unread: number } {
    this.db.delete(notifications).where(inArray(notifications.id, ids)).run()
    return this.changed()
  }

  /** Keeps the table bounded: read notifications older than `maxAgeMs` go. */
  prune(maxAgeMs: number): number {
    const res = this.db
      .delete(notifications)
      .where(and(lt(notifications.createdAt, this.now() - maxAgeMs), isNotNull(notifications.readAt)))
      .run()
    return res.changes
  }
}
