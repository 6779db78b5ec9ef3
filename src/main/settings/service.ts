import { eq } from 'drizzle-orm'
import type { Db } from '../db/connection'
import { settings } from './schema'

export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string): T | undefined {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get()
    return row ? (row.value as T) : undefined
  }

  set(key: string, value: unknown): void {
    const updatedAt = this.now()
    this.db
      .insert(settings)
      .values({ key, value, updatedAt })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt } })
      .run()
  }

  delete(key: string): void {
    this.db.delete(settings).where(eq(settings.key, key)).run()
  }
}
