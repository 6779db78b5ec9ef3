// Electron entry: lifecycle, the window and its security settings. Services come from createApp.
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createApp, type App } from './app'
import { attachElectronTransport } from './ipc/electron'
import { createElectronPlatform } from './platform/electron'
import { CSP } from './web/csp'

declare const __APP_VERSION__: string

const rendererUrl = process.env.ELECTRON_RENDERER_URL
const rendererFile = join(__dirname, '../renderer/index.html')
const rendererOrigin = rendererUrl ? new URL(rendererUrl).origin : null
const isTrustedUrl = (url: string) =>
  rendererOrigin ? url.startsWith(rendererOrigin + '/') : url.startsWith(pathToFileURL(rendererFile).href)

let mainWindow: BrowserWindow | null = null
let spm: App | null = null

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  // No renderer may navigate away, open windows, or get permissions (camera, geolocation…).
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https?:\/\//.test(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })

  app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
    session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
    })

    spm = await createApp(createElectronPlatform(), { version: __APP_VERSION__, mode: 'electron', startupDelayMs: 1500 })
    attachElectronTransport(ipcMain, spm, isTrustedUrl, () => BrowserWindow.getAllWindows().map((w) => w.webContents))
    createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting || !spm) return
    event.preventDefault()
    quitting = true
    void spm.shutdown().finally(() => app.quit())
  })
}

function createWindow() {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Science Paper Manager',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  mainWindow.on('ready-to-show', () => mainWindow?.show())
  mainWindow.on('closed', () => (mainWindow = null))
  if (rendererUrl) void mainWindow.loadURL(rendererUrl)
  else void mainWindow.loadFile(rendererFile)
}
