import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppError } from '../../shared/errors'
import { findResource } from '../resources'
import * as schema from './schema'
import { SqlWorker } from './sql-worker'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

export interface OpenedDatabase {
  sqlite: Database.Database
  db: Db
  file: string
  close(): void
}

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_IOERR'])

function databaseError(file: string, err: unknown): AppError {
  const code = (err as { code?: string }).code ?? ''
  const why =
    code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')
      ? 'is not a valid SQLite database or is corrupt'
      : code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY'
        ? 'cannot be opened for writing (check permissions and free space)'
        : `could not be opened (${code || 'unknown error'})`
  return new AppError(
    'DATABASE',
    `The library database ${file} ${why}. It was left untouched; restore a backup or move the file aside to start a new library.`,
  )
}

export function migrationsFolder(): string {
  return findResource('migrations')
}

/** Opens (creating if needed) the app database, checks it, and applies pending migrations. */
export function openDatabase(file: string): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true })
  let sqlite: Database.Database | undefined
  try {
    sqlite = new Database(file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('synchronous = NORMAL')
    // Reading the schema fails at once on a file that is not a database or has a damaged header/schema.
    // The full integrity check reads every page (seconds on a large library), so it runs off the main
    // thread in the startup health check instead (see integrityCheck).
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
  } catch (err) {
    sqlite?.close()
    if (err instanceof AppError) throw err
    if (CORRUPT_CODES.has((err as { code?: string }).code ?? '') || (err as { code?: string }).code?.startsWith('SQLITE_'))
      throw databaseError(file, err)
    throw err
  }
  const db = drizzle(sqlite, { schema }) as Db
  try {
    migrate(db, { migrationsFolder: migrationsFolder() })
  } catch (err) {
    sqlite.close()
    throw new AppError('DATABASE', `Updating the library database ${file} failed: ${(err as Error).message.split('\n')[0]}. No changes were kept.`)
  }
  return { sqlite, db, file, close: () => sqlite.close() }
}

/** Applied vs. shipped migrations, for the health check. */
export function migrationState(sqlite: Database.Database): { applied: number; shipped: number } {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
  const row = sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }
  return { applied: row.n, shipped: journal.entries.length }
}

/** PRAGMA quick_check on a worker thread with its own connection: never blocks the main process. */
export async function integrityCheck(file: string): Promise<string> {
  const worker = new SqlWorker(file)
  try {
    const res = await worker.exec('PRAGMA quick_check')
    return res.rows.map((r) => String(Object.values(r)[0])).join('; ')
  } finally {
    await worker.close()
  }
}
