import type { AppInfo } from '../../../shared/contract'

/** Shown when the app booted without its database: explain, point at the file, never hide the problem. */
export function ErrorScreen({ fatal, dataDir }: { fatal: NonNullable<AppInfo['fatal']>; dataDir: string }) {
  return (
    <main className="error-screen" role="alert" data-testid="fatal-error">
      <h1>The library could not be opened</h1>
      <p>{fatal.message}</p>
      {fatal.path && (
        <p>
          File: <code>{fatal.path}</code>
        </p>
      )}
      <p>
        Nothing was deleted or overwritten. Your data folder is <code>{dataDir}</code>. Restore the database from a backup, or move
        the file aside and restart to begin a new library.
      </p>
    </main>
  )
}
