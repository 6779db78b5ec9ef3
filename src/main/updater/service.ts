import type { Logger } from '../logger'
import type { NotificationService } from '../notifications/service'
import type { Updater } from '../platform/types'

/** Checks once at start (packaged Electron only) and tells the user through a notification. */
export async function checkForUpdates(updater: Updater, notifications: NotificationService, logger: Logger): Promise<string | null> {
  if (!updater.supported) return null
  try {
    const info = await updater.check()
    if (!info) return null
    await notifications.notify({
      type: 'update_available',
      title: `Update ${info.version} is available`,
      message: 'A new version of Science Paper Manager is ready to download.',
      data: { version: info.version },
    })
    return info.version
  } catch (err) {
    // Offline or no release feed: never an error the user has to see.
    logger.warn('update check failed', { error: (err as Error).message })
    return null
  }
}
