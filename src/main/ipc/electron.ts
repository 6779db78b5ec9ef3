import type { IpcMain, WebContents } from 'electron'
import type { App } from '../app'

export const INVOKE = 'spm:invoke'
export const EVENT = 'spm:event'
export const GRANT_DROPPED = 'spm:grant-dropped'

/**
 * Carries the contract over Electron IPC. Only frames loaded from our own renderer may call; the router
 * does the validation. Takes ipcMain as an argument so this file needs no 'electron' import.
 */
export function attachElectronTransport(
  ipcMain: IpcMain,
  app: App,
  isTrustedUrl: (url: string) => boolean,
  targets: () => WebContents[],
): () => void {
  // Dropped files: the preload resolves File objects to OS paths (script-made Files have none).
  ipcMain.handle(GRANT_DROPPED, (event, paths: unknown) => {
    if (!event.senderFrame || !isTrustedUrl(event.senderFrame.url)) return []
    if (!Array.isArray(paths) || paths.length > 10_000 || !paths.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 4096)) return []
    app.services?.grants.grantRead(paths)
    return paths
  })
  ipcMain.handle(INVOKE, (event, channel: unknown, input: unknown) => {
    if (!event.senderFrame || !isTrustedUrl(event.senderFrame.url)) {
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'Calls are only accepted from the app window' } }
    }
    return app.router.invoke(channel, input, { transport: 'electron' })
  })
  const unsubscribe = app.events.subscribe((name, payload) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(EVENT, name, payload)
  })
  return () => {
    unsubscribe()
    ipcMain.removeHandler(INVOKE)
    ipcMain.removeHandler(GRANT_DROPPED)
  }
}
