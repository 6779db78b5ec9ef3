import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Non-secret preferences as JSON values. Secrets never go here: they live in the SecretStore. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
})
