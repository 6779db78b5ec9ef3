import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { NOTIFICATION_TYPES } from '../../shared/contract/notifications'

export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    title: text('title').notNull(),
    message: text('message').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] }).notNull().default('normal'),
    createdAt: integer('created_at').notNull(),
    readAt: integer('read_at'),
  },
  (t) => [index('notifications_created_idx').on(t.createdAt), index('notifications_unread_idx').on(t.readAt, t.createdAt)],
)

export const notificationSettings = sqliteTable('notification_settings', {
  type: text('type', { enum: NOTIFICATION_TYPES }).primaryKey(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  native: integer('native', { mode: 'boolean' }).notNull(),
})
