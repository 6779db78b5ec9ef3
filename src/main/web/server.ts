import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { App } from '../app'
import { CSP } from './csp'
import { pruneUploads, receiveUpload } from './upload'

export interface WebServerOptions {
  app: App
  rendererDir: string
  port?: number
  token?: string
  /** Largest accepted WebSocket message, bytes. */
  maxPayload?: number
}

export interface WebServer {
  url: string
  port: number
  token: string
  server: Server
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
}

const HOST = '127.0.0.1'
// The largest legitimate message is a detector scan of 512 K chars (≤ 6 bytes each once JSON-escaped).
export const DEFAULT_MAX_PAYLOAD = 4 * 1024 * 1024

function safeEqual(a: string, b: string): boolean {
  const A = Buffer.from(a)
  const B = Buffer.from(b)
  return A.length === B.length && timingSafeEqual(A, B)
}

/**
 * Browser mode: serves the built renderer and carries the IPC contract over a WebSocket.
 * Loopback only; the socket needs the per-run token and a same-origin Origin (blocks other sites and
 * DNS rebinding); messages over maxPayload close the socket.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const maxPayload = opts.maxPayload ?? DEFAULT_MAX_PAYLOAD
  const root = normalize(opts.rendererDir)
  let allowedHosts = new Set<string>()
  let allowedOrigins = new Set<string>()

  // The built renderer is well under 1 MB: answering from memory sends each file in one write, not a
  // read stream's chunks spread over event-loop turns the services may be holding.
  const files = new Map<string, { mtimeMs: number; body: Buffer }>()
  const load = (file: string): Buffer | null => {
    try {
      const st = statSync(file, { throwIfNoEntry: false })
      if (!st || st.isDirectory()) {
        files.delete(file)
        return null
      }
      let f = files.get(file)
      if (!f || f.mtimeMs !== st.mtimeMs) files.set(file, (f = { mtimeMs: st.mtimeMs, body: readFileSync(file) }))
      return f.body
    } catch {
      return null // e.g. a NUL byte in the path, which fs refuses
    }
  }

  const server = createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request')
      return
    }
    if (req.method === 'POST' && new URL(req.url ?? '/', 'http://x').pathname === '/upload') {
      // Same gate as the WebSocket: our own origin and the per-run token (in a header, never the URL).
      if (!allowedOrigins.has(req.headers.origin ?? '')) return void res.writeHead(403).end()
      if (!safeEqual(String(req.headers['x-spm-token'] ?? ''), token)) return void res.writeHead(401).end()
      const grants = opts.app.services?.grants
      if (!grants) return void res.writeHead(503).end()
      void receiveUpload(req, res, join(opts.app.info.dataDir, 'uploads'), grants)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD, POST' }).end()
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      // A malformed escape (e.g. /%E0%A4%A) would otherwise throw out of the handler and end the host.
      res.writeHead(400).end()
      return
    }
    let file = normalize(join(root, pathname === '/' ? 'index.html' : pathname))
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end()
      return
    }
    let body = load(file)
    if (!body) body = load((file = join(root, 'index.html')))
    if (!body) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The renderer is not built. Run `npm run build` first.')
      return
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'content-security-policy': CSP + "; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // Vite names every file under assets/ by its content hash, so a second tab or a reload need not ask again.
      'cache-control': file.endsWith('index.html') ? 'no-store' : file.startsWith(join(root, 'assets') + sep) ? 'max-age=31536000, immutable' : 'max-age=3600',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
  })

  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/ws') return reject(404, 'Not Found')
    if (!allowedHosts.has(req.headers.host ?? '')) return reject(421, 'Misdirected Request')
    const origin = req.headers.origin
    if (!origin || !allowedOrigins.has(origin)) return reject(403, 'Forbidden')
    if (!safeEqual(url.searchParams.get('token') ?? '', token)) return reject(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  pruneUploads(join(opts.app.info.dataDir, 'uploads'))
  const clients = new Set<WebSocket>()
  const unsubscribe = opts.app.events.subscribe((name, payload) => {
    const frame = JSON.stringify({ event: name, payload })
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame)
  })

  wss.on('connection', (ws) => {
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    ws.on('error', () => ws.terminate())
    ws.on('message', async (raw, isBinary) => {
      let msg: { id?: unknown; channel?: unknown; input?: unknown }
      try {
        if (isBinary) throw new Error('binary')
        msg = JSON.parse(raw.toString('utf8'))
        if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number') throw new Error('shape')
      } catch {
        ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'VALIDATION', message: 'Malformed message: expected JSON {id, channel, input}' } } }))
        return
      }
      const result = await opts.app.router.invoke(msg.channel, msg.input, { transport: 'ws' })
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result }))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, HOST, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`])
  allowedOrigins = new Set([`http://${HOST}:${port}`, `http://localhost:${port}`])

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    server,
    async close() {
      unsubscribe()
      for (const ws of clients) ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
