import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { DEFAULT_MAX_PAYLOAD, startWebServer, type WebServer } from '../../src/main/web/server'
import { startTestApp, type TestApp } from '../helpers/app'

function connect(url: string, headers: Record<string, string> = {}, maxPayload?: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, maxPayload })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function call(ws: WebSocket, msg: unknown): Promise<{ id: number | null; result: { ok: boolean; data?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => {
    const onMsg = (raw: WebSocket.RawData) => {
      const m = JSON.parse(raw.toString())
      if (m.event) return
      ws.off('message', onMsg)
      resolve(m)
    }
    ws.on('message', onMsg)
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg))
  })
}

describe('WebSocket transport', () => {
  let t: TestApp
  let web: WebServer
  let origin: string
  let wsUrl: (token?: string) => string

  beforeAll(async () => {
    t = await startTestApp()
    const rendererDir = join(t.dir, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>spm</title>')
    web = await startWebServer({ app: t.app, rendererDir, maxPayload: 64 * 1024 })
    origin = `http://127.0.0.1:${web.port}`
    wsUrl = (token = web.token) => `ws://127.0.0.1:${web.port}/ws?token=${encodeURIComponent(token)}`
  })
  afterAll(async () => {
    await web.close()
    await t.close()
  })

  it('binds to loopback only and prints a URL with the token', () => {
    expect(web.server.address()).toMatchObject({ address: '127.0.0.1' })
    expect(web.url).toBe(`${origin}/?token=${web.token}`)
    expect(web.token.length).toBeGreaterThanOrEqual(32)
  })

  it('uses a fresh random token for every run', async () => {
    const other = await startWebServer({ app: t.app, rendererDir: t.dir })
    expect(other.token).not.toBe(web.token)
    await other.close()
  })

  it('serves the renderer with a CSP header and refuses path traversal', async () => {
    const res = await fetch(`${origin}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    const trav = await fetch(`${origin}/..%2f..%2fetc%2fpasswd`)
    expect(trav.status).toBe(403)
  })

  it('rejects an unknown Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: web.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode!)).end()
    })
    expect(status).toBe(421)
  })

  it('accepts the right token and origin and carries calls and errors', async () => {
    const ws = await connect(wsUrl(), { origin })
    const ok = await call(ws, { id: 1, channel: 'app.info' })
    expect(ok).toMatchObject({ id: 1, result: { ok: true, data: { mode: 'browser' } } })
    const bad = await call(ws, { id: 2, channel: 'secrets.delete', input: { provider: 'nope' } })
    expect(bad).toMatchObject({ id: 2, result: { ok: false, error: { code: 'VALIDATION' } } })
    const unknown = await call(ws, { id: 3, channel: 'fs.readFile', input: '/etc/passwd' })
    expect(unknown).toMatchObject({ id: 3, result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } } })
    const garbage = await call(ws, 'not json{')
    expect(garbage).toMatchObject({ id: null, result: { ok: false, error: { code: 'VALIDATION' } } })
    ws.close()
  })

  it('pushes events to connected clients', async () => {
    const ws = await connect(wsUrl(), { origin })
    const got = new Promise<{ event: string; payload: { notification: { title: string } } }>((resolve) =>
      ws.on('message', (raw) => {
        const m = JSON.parse(raw.toString())
        if (m.event === 'notifications.created') resolve(m)
      }),
    )
    await t.app.services!.notifications.notify({ type: 'paper_added', title: 'Added: Attention Is All You Need', message: '1 paper' })
    expect((await got).payload.notification.title).toBe('Added: Attention Is All You Need')
    ws.close()
  })

  it.each([
    ['a wrong token', () => wsUrl('x'.repeat(32)), () => origin, 'HTTP 401'],
    ['no token', () => wsUrl(''), () => origin, 'HTTP 401'],
    ['a foreign origin', () => wsUrl(), () => 'https://evil.example', 'HTTP 403'],
    ['a different local port as origin', () => wsUrl(), () => 'http://127.0.0.1:1', 'HTTP 403'],
    ['a null origin', () => wsUrl(), () => 'null', 'HTTP 403'],
  ])('refuses %s', async (_l, url, org, expected) => {
    await expect(connect(url(), { origin: org() })).rejects.toThrow(expected)
  })

  it('refuses a connection with no Origin header at all', async () => {
    await expect(connect(wsUrl())).rejects.toThrow('HTTP 403')
  })

  it('closes the socket when a message exceeds the size limit', async () => {
    const ws = await connect(wsUrl(), { origin })
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    ws.send(JSON.stringify({ id: 9, channel: 'app.info', input: 'x'.repeat(65 * 1024) }))
    expect(await closed).toBe(1009)
  })

  it('by default carries the largest legitimate call (a 512 K-character CJK scan) and no more', async () => {
    const big = await startWebServer({ app: t.app, rendererDir: t.dir })
    const o = `http://127.0.0.1:${big.port}`
    const ws = await connect(`ws://127.0.0.1:${big.port}/ws?token=${big.token}`, { origin: o })
    // 512 K Hangul characters are ~1.5 MB of UTF-8: must arrive and be answered (here: by validation).
    const res = await call(ws, { id: 1, channel: 'detector.scan', input: { text: '가'.repeat(512 * 1024), extra: 1 } })
    expect(res).toMatchObject({ id: 1, result: { ok: false, error: { code: 'VALIDATION' } } })
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    ws.send('x'.repeat(DEFAULT_MAX_PAYLOAD + 1))
    expect(await closed).toBe(1009)
    await big.close()
  })
})
