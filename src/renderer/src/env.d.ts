import type { RawApi } from '../../shared/client'
import type { EarlySocket } from './api'

declare global {
  interface Window {
    /** Present in Electron (from the preload); absent in browser mode. */
    api?: RawApi
    /** Browser mode: the socket index.html opened while the bundle was loading. */
    __spmEarly?: EarlySocket
  }
}
export {}
