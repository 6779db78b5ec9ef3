// Sandboxed preload: exposes only invoke/on for names in the contract. No Node, no ipcRenderer leak.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { CHANNEL_NAMES, EVENT_NAMES } from '../shared/contract'

const INVOKE = 'spm:invoke'
const EVENT = 'spm:event'
const GRANT_DROPPED = 'spm:grant-dropped'
const channels = new Set<string>(CHANNEL_NAMES)
const eventNames = new Set<string>(EVENT_NAMES)

const api = {
  invoke(channel: string, input: unknown) {
    if (!channels.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel ${JSON.stringify(String(channel).slice(0, 80))}` } })
    }
    return ipcRenderer.invoke(INVOKE, channel, input)
  },
  /**
   * Paths of files the user dropped or picked. Only real OS files have a path (a File made in script has
   * none), and this is the only way to reach GRANT_DROPPED, so main may grant exactly these paths.
   */
  droppedPaths(files: File[]): Promise<string[]> {
    const paths = Array.from(files, (f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0)
    return paths.length ? ipcRenderer.invoke(GRANT_DROPPED, paths) : Promise.resolve([])
  },
  on(event: string, cb: (payload: unknown) => void): () => void {
    if (!eventNames.has(event)) throw new Error(`Unknown event ${String(event).slice(0, 80)}`)
    const listener = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) cb(payload)
    }
    ipcRenderer.on(EVENT, listener)
    return () => ipcRenderer.removeListener(EVENT, listener)
  },
}

contextBridge.exposeInMainWorld('api', Object.freeze(api))
