// The only module besides index.ts allowed to import 'electron' (enforced by ESLint).
import { app, dialog, Notification, safeStorage, utilityProcess, BrowserWindow } from 'electron'
import { join } from 'node:path'
import { SafeStorageSecretStore } from '../secrets/safe-storage-store'
import type { Platform, WorkerHandle } from './types'

export function createElectronPlatform(): Platform {
  const userData = process.env.SPM_DATA_DIR || app.getPath('userData')
  if (process.env.SPM_DATA_DIR) app.setPath('userData', userData)
  let fallback: SafeStorageSecretStore | null = null
  return {
    kind: 'electron',
    paths: { userData, logs: app.getPath('logs'), temp: app.getPath('temp') },
    async notify(n) {
      if (!Notification.isSupported()) return 'unsupported'
      const notification = new Notification({ title: n.title, body: n.body, urgency: n.urgency, silent: n.urgency === 'low' })
      notification.on('click', () => BrowserWindow.getAllWindows()[0]?.show())
      notification.show()
      return 'shown'
    },
    fallbackSecretStore: () =>
      (fallback ??= new SafeStorageSecretStore(join(userData, 'secrets.safe'), {
        isAvailable: () => safeStorage.isEncryptionAvailable(),
        encrypt: (s) => safeStorage.encryptString(s),
        decrypt: (b) => safeStorage.decryptString(b),
      })),
    spawnWorker(modulePath, opts = {}): WorkerHandle {
      return utilityProcess.fork(modulePath, opts.args ?? [], {
        serviceName: 'Data Detector',
        stdio: 'inherit',
        env: { ...process.env, ...opts.env },
      }) as unknown as WorkerHandle
    },
    dialogs: {
      supported: true,
      async openFiles(opts) {
        const win = BrowserWindow.getFocusedWindow()
        const props: ('openFile' | 'openDirectory' | 'multiSelections')[] = [opts.directory ? 'openDirectory' : 'openFile']
        if (opts.multiple) props.push('multiSelections')
        const res = win
          ? await dialog.showOpenDialog(win, { title: opts.title, filters: opts.filters, properties: props })
          : await dialog.showOpenDialog({ title: opts.title, filters: opts.filters, properties: props })
        return res.canceled ? [] : res.filePaths
      },
      async saveFile(opts) {
        const res = await dialog.showSaveDialog({ title: opts.title, defaultPath: opts.defaultPath })
        return res.canceled || !res.filePath ? null : res.filePath
      },
    },
    updater: {
      supported: app.isPackaged && !process.env.SPM_DISABLE_UPDATES,
      async check() {
        // electron-updater reads `app` at import time, so load it only in a packaged build.
        const { autoUpdater } = await import('electron-updater')
        autoUpdater.autoDownload = false
        const res = await autoUpdater.checkForUpdates()
        if (!res || !res.isUpdateAvailable) return null
        const notes = res.updateInfo.releaseNotes
        return { version: res.updateInfo.version, releaseNotes: typeof notes === 'string' ? notes : undefined }
      },
    },
  }
}
