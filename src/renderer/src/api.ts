import { typedApi, type RawApi, type TypedApi } from '../../shared/client'
import type { Result } from '../../shared/errors'

type Pending = { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }

/** What the inline script in index.html started before this bundle loaded (see there). */
export interface EarlySocket {
  ws: WebSocket
  calls: { id: number; channel: string; input?: unknown }[]
  results: Map<number, Result<unknown>>
}

const TOKEN_KEY = 'spm.token'
const CALL_TIMEOUT_MS = 60_000
const callKey = (channel: string, input: unknown) => `${channel} ${JSON.stringify(input ?? null)}`

/** Browser mode: the same contract over a WebSocket, reconnecting with backoff. */
export function createWsApi(location: Location, storage: Storage, early?: EarlySocket): RawApi & { status(): 'open' | 'connecting' | 'closed' } {
  const params = new URLSearchParams(location.search)
  const fromUrl = params.get('token')
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl)
    params.delete('token')
    const rest = params.toString()
    history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : '') + location.hash)
  }
  const token = storage.getItem(TOKEN_KEY) ?? ''
  const noToken: Result<unknown> = {
    ok: false,
    error: { code: 'UNAVAILABLE', message: 'This page needs the access link printed in the terminal where the app was started (it ends with ?token=…). Open that link.' },
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`

  let ws: WebSocket | null = null
  let state: 'open' | 'connecting' | 'closed' = 'closed'
  let nextId = 1
  let backoff = 250
  let failedConnects = 0
  const pending = new Map<number, Pending>()
  const queue: { id: number; frame: string }[] = []
  const inflight = new Set<number>()
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  // The early socket's calls (negative ids), until the first identical invoke claims each, and their answers.
  const earlyIds = new Map<string, number>()
  const earlyResults = new Map<number, Result<unknown>>()

  const attach = (socket: WebSocket) => {
    ws = socket
    socket.onopen = () => {
      state = 'open'
      backoff = 250
      failedConnects = 0
      for (const q of queue.splice(0)) {
        inflight.add(q.id)
        socket.send(q.frame)
      }
    }
    socket.onmessage = (e) => {
      const msg = JSON.parse(String(e.data)) as { id?: number | null; result?: Result<unknown>; event?: string; payload?: unknown }
      if (msg.event) {
        listeners.get(msg.event)?.forEach((cb) => cb(msg.payload))
      } else if (typeof msg.id === 'number' && pending.has(msg.id)) {
        const p = pending.get(msg.id)!
        pending.delete(msg.id)
        inflight.delete(msg.id)
        clearTimeout(p.timer)
        p.resolve(msg.result!)
      } else if (typeof msg.id === 'number' && msg.id < 0) earlyResults.set(msg.id, msg.result!)
    }
    socket.onclose = () => {
      const wasOpen = state === 'open'
      state = 'closed'
      // Unclaimed early calls are dropped: whoever needs that data later asks on the new socket.
      earlyIds.clear()
      earlyResults.clear()
      for (let i = queue.length - 1; i >= 0; i--) if (!pending.has(queue[i].id)) queue.splice(i, 1)
      // Calls already sent are lost with the socket; queued ones wait for a reconnect, unless the host
      // has not answered three connects running (gone, or the token is stale).
      const giveUp = !wasOpen && ++failedConnects >= 3
      const why = giveUp
        ? 'Cannot reach the app host. Is it still running? If it was restarted, open the new link it printed.'
        : 'Lost the connection to the app host. Reconnecting…'
      if (giveUp) queue.splice(0)
      for (const [id, p] of pending) {
        if (!giveUp && !inflight.has(id)) continue
        clearTimeout(p.timer)
        p.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: why } })
        pending.delete(id)
      }
      inflight.clear()
      setTimeout(connect, backoff)
      backoff = Math.min(backoff * 2, 5000)
    }
  }
  const connect = () => {
    state = 'connecting'
    attach(new WebSocket(url))
  }

  if (early && early.ws.url === url && early.ws.readyState <= WebSocket.OPEN) {
    // Once open, the early script has sent its calls itself (readyState and the open event change in one task).
    state = early.ws.readyState === WebSocket.OPEN ? 'open' : 'connecting'
    for (const c of early.calls) {
      earlyIds.set(callKey(c.channel, c.input), c.id)
      if (state === 'open') inflight.add(c.id)
      else queue.push({ id: c.id, frame: JSON.stringify(c) })
    }
    for (const [id, r] of early.results) earlyResults.set(id, r)
    attach(early.ws)
  } else {
    early?.ws.close()
    if (token) connect()
  }

  return {
    status: () => state,
    invoke(channel, input) {
      if (!token) return Promise.resolve(noToken)
      return new Promise((resolve) => {
        // Keyed only while early calls are unclaimed: inputs can be large (a text to scan).
        const key = earlyIds.size ? callKey(channel, input) : ''
        const earlyId = earlyIds.get(key)
        if (earlyId !== undefined) {
          earlyIds.delete(key)
          const answer = earlyResults.get(earlyId)
          if (answer) {
            earlyResults.delete(earlyId)
            return resolve(answer)
          }
        }
        const id = earlyId ?? nextId++
        const timer = setTimeout(() => {
          pending.delete(id)
          resolve({ ok: false, error: { code: 'TIMEOUT', message: `${channel} did not answer in time` } })
        }, CALL_TIMEOUT_MS)
        pending.set(id, { resolve, timer })
        if (earlyId !== undefined) return // already sent, or queued for the socket's open
        const frame = JSON.stringify({ id, channel, input })
        if (state === 'open' && ws) {
          inflight.add(id)
          ws.send(frame)
        } else queue.push({ id, frame })
      })
    },
    on(event, cb) {
      if (!listeners.has(event)) listeners.set(event, new Set())
      listeners.get(event)!.add(cb)
      return () => listeners.get(event)?.delete(cb)
    },
  }
}

export const isBrowserMode = typeof window !== 'undefined' && !window.api
export const api: TypedApi = typedApi(window.api ?? createWsApi(window.location, window.sessionStorage, window.__spmEarly))

/** Browser mode: stream a file to the host (token in a header) and get back a path the import channels accept. */
export async function uploadFile(file: File): Promise<string> {
  const token = window.sessionStorage.getItem(TOKEN_KEY) ?? ''
  const res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'x-spm-token': token, 'content-type': 'application/octet-stream' },
    body: file,
  })
  if (res.status === 413) throw new Error(`${file.name} is too large to upload (over 200 MB)`)
  if (!res.ok) throw new Error(`${file.name} could not be uploaded (HTTP ${res.status})`)
  return ((await res.json()) as { path: string }).path
}
