import type { RawApi } from '../../shared/client'

declare global {
  interface Window {
    /** Present in Electron (from the preload); absent in browser mode. */
    api?: RawApi
  }
}
export {}
