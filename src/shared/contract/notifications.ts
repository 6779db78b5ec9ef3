import { z } from 'zod'
import { channel } from './define'

export const NOTIFICATION_TYPES = [
  'analysis_complete',
  'analysis_failed',
  'paper_added',
  'backup_complete',
  'backup_failed',
  'security_alert',
  'update_available',
  'job_complete',
  'job_failed',
  'health_warning',
  'test',
] as const
export const NotificationTypeSchema = z.enum(NOTIFICATION_TYPES)
export type NotificationType = z.infer<typeof NotificationTypeSchema>

export const NOTIFICATION_TYPE_LABELS: Record<NotificationType, string> = {
  analysis_complete: 'AI analysis complete',
  analysis_failed: 'AI analysis failed',
  paper_added: 'Paper added',
  backup_complete: 'Backup complete',
  backup_failed: 'Backup failed',
  security_alert: 'Security alert',
  update_available: 'Update available',
  job_complete: 'Background job complete',
  job_failed: 'Background job failed',
  health_warning: 'Health warning',
  test: 'Test notification',
}

export const PrioritySchema = z.enum(['low', 'normal', 'high', 'urgent'])
export type Priority = z.infer<typeof PrioritySchema>

export const NotificationSchema = z.object({
  id: z.number().int(),
  type: NotificationTypeSchema,
  title: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  priority: PrioritySchema,
  createdAt: z.number(),
  readAt: z.number().nullable(),
})
export type AppNotification = z.infer<typeof NotificationSchema>

export interface NotificationTypeSetting {
  type: NotificationType
  label: string
  enabled: boolean
  native: boolean
}

export interface NotificationPage {
  items: AppNotification[]
  unread: number
  /** Pass as `before` for the next page; null when there is none. */
  nextCursor: number | null
}

export const notificationsChannels = {
  'notifications.list': channel<NotificationPage>()(
    z
      .strictObject({
        unreadOnly: z.boolean().optional(),
        limit: z.number().int().min(1).max(200).optional(),
        before: z.number().int().positive().optional(),
      })
      .optional(),
  ),
  'notifications.markRead': channel<{ unread: number }>()(
    z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(1000) }),
  ),
  'notifications.markAllRead': channel<{ unread: number }>()(z.undefined()),
  'notifications.delete': channel<{ unread: number }>()(
    z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(1000) }),
  ),
  'notifications.settings': channel<NotificationTypeSetting[]>()(z.undefined()),
  'notifications.updateSetting': channel<NotificationTypeSetting[]>()(
    z.strictObject({ type: NotificationTypeSchema, enabled: z.boolean().optional(), native: z.boolean().optional() }),
  ),
  'notifications.sendTest': channel<AppNotification | null>()(z.undefined()),
}

export const notificationsEvents = {
  /** `native` tells a browser-mode client to raise a Web Notification (Electron shows it from main). */
  'notifications.created': z.object({ notification: NotificationSchema, native: z.boolean(), unread: z.number() }),
  'notifications.unread': z.object({ unread: z.number() }),
}
