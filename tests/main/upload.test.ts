import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { safeFileName } from '../../src/main/web/upload'
import { startWebServer, type WebServer } from '../../src/main/web/server'
import { startTestApp, type TestApp } from '../helpers/app'

describe('browser-mode upload (files without OS paths)', () => {
  let t: TestApp
  let web: WebServer
  let origin: string
  beforeAll(async () => {
    t = await startTestApp()
    mkdirSync(join(t.dir, 'r'))
    writeFileSync(join(t.dir, 'r', 'index.html'), '<!doctype html>')
    web = await startWebServer({ app: t.app, rendererDir: join(t.dir, 'r') })
    origin = `http://127.0.0.1:${web.port}`
  })
  afterAll(async () => {
    await web.close()
    await t.close()
  })

  const upload = (name: string, body: Buffer, headers: Record<string, string> = {}) =>
    fetch(`${origin}/upload?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { origin, 'x-spm-token': web.token, 'content-type': 'application/octet-stream', ...headers },
      body: new Uint8Array(body),
    })

  it('stores the bytes under the data folder, grants the path, and the import channel accepts it', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
    const res = await upload('My Paper (final).pdf', pdf)
    expect(res.status).toBe(200)
    const { path, bytes } = (await res.json()) as { path: string; bytes: number }
    expect(bytes).toBe(pdf.length)
    expect(path.startsWith(join(t.dir, 'uploads'))).toBe(true)
    expect(path.endsWith('My Paper (final).pdf')).toBe(true)
    expect(readFileSync(path).equals(pdf)).toBe(true)
    expect(t.app.services!.grants.assertRead(path)).toBe(path)
  })

  it('needs the token and our own origin', async () => {
    expect((await upload('a.pdf', Buffer.from('x'), { 'x-spm-token': 'wrong' })).status).toBe(401)
    expect((await upload('a.pdf', Buffer.from('x'), { origin: 'https://evil.example' })).status).toBe(403)
  })

  it('refuses files over the limit before reading them', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: web.port,
        method: 'POST',
        path: '/upload?name=big.pdf',
        headers: { host: `127.0.0.1:${web.port}`, origin, 'x-spm-token': web.token, 'content-length': String(300 * 1024 * 1024) },
      })
      req.on('response', (r) => resolve(r.statusCode!))
      req.on('error', reject)
      req.flushHeaders() // headers only: the server must answer without waiting for 300 MB
    })
    expect(status).toBe(413)
  })

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['a/b/c.pdf', 'c.pdf'],
    ['.hidden', '_hidden'],
    ['con<>:"|?*.pdf', 'con_______.pdf'],
    ['', 'upload'],
  ])('makes a safe file name from %j', (input, out) => expect(safeFileName(input)).toBe(out))
})
