import { fork } from 'node:child_process'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { DetectorClient } from '../../src/detector/client'
import { handleRequest } from '../../src/detector/worker'
import { pat, tmpDir, writePatterns } from './engine-helpers'

const ROOT = resolve(__dirname, '../..')
const WORKER = join(ROOT, 'src/detector/worker.ts')
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href

function patternsDir(): string {
  const dir = tmpDir('spm-worker-')
  writePatterns(dir, 'w', [
    pat({ id: 'card', category: 'credit_card', pattern: '(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)', verification: 'luhn', policy: { store_raw: false, action_on_match: 'redact', severity: 'high' } }),
    pat({ id: 'email', category: 'email', pattern: '[a-z0-9.]{1,64}@[a-z0-9-]{1,63}(?:\\.[a-z0-9-]{1,63}){1,4}', policy: { store_raw: true, action_on_match: 'redact', severity: 'medium' } }),
  ])
  return dir
}

const clients: DetectorClient[] = []
afterEach(() => {
  while (clients.length) clients.pop()?.close()
})

function client(timeoutMs = 20_000) {
  const dir = patternsDir()
  const c = new DetectorClient({
    spawn: () =>
      fork(WORKER, [], {
        execArgv: ['--import', TSX],
        env: { ...process.env, SPM_PATTERNS_DIR: dir, SPM_DETECTOR_TEST_HOOKS: '1', SPM_DETECTOR_SECRET_FILE: join(dir, 'secret.key') },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    timeoutMs,
  })
  clients.push(c)
  return c
}

describe('worker request handling (in-process)', () => {
  it('answers errors with codes, never throws', () => {
    expect(handleRequest({ id: 1, method: 'nope' })).toEqual({ id: 1, ok: false, error: { code: 'BAD_METHOD', message: 'unknown method "nope"' } })
    expect(handleRequest({ id: 2, method: 'ping', deadline: Date.now() - 1 })).toMatchObject({ id: 2, ok: false, error: { code: 'TIMEOUT' } })
    expect(handleRequest({ id: 3, method: 'find', params: { text: 42 } })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
  })
})

describe('DetectorClient against a real forked worker', () => {
  it('find, redact, validate, listPatterns, ping', async () => {
    const c = client()
    const ping = await c.ping()
    expect(ping.pong).toBe(true)
    expect(ping.patterns).toBeNull() // patterns load on first use, not at spawn
    const loaded = await c.ping({ load: true })
    expect(loaded.patterns).toBeGreaterThanOrEqual(2)
    expect(loaded.pid).toBe(ping.pid)
    const ms = await c.find('card 4111 1111 1111 1111, mail a.b@example.org')
    expect(ms.map((m) => m.patternId)).toEqual(['w/card', 'w/email'])
    const r = await c.redact('card 4111 1111 1111 1111', { strategy: 'tokenize' })
    expect(r.text).toBe('card [CARD_1]')
    expect(JSON.stringify(r.report)).not.toContain('4111')
    expect((await c.validate('4111111111111111', 'w/card')).valid).toBe(true)
    expect((await c.listPatterns()).map((p) => p.id)).toEqual(['w/card', 'w/email'])
    await expect(c.validate('x', 'w/none')).rejects.toMatchObject({ code: 'UNKNOWN_PATTERN' })
    // requests are matched by id even when many are in flight
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => c.find(`n${i} x${i}@ex.org`)))
    expect(many.every((m) => m.length === 1)).toBe(true)
    // a big text (the WebAssembly scan core's path), its matches on the right lines
    const big = `${'plain words, no data here\n'.repeat(2000)}card 4111 1111 1111 1111\n${'more words\n'.repeat(2000)}mail a.b@example.org\n`
    const found = await c.find(big)
    expect(found.map((m) => [m.patternId, m.line, m.column])).toEqual([
      ['w/card', 2001, 6],
      ['w/email', 4002, 6],
    ])
  })

  it('a stuck worker times out (fail closed), is killed, and a new worker answers next', async () => {
    const c = client(1500)
    const first = await c.ping()
    const t0 = Date.now()
    const stuck = c.request('__hang', { ms: 60_000 })
    const queued = c.find('a@b.org')
    await expect(stuck).rejects.toMatchObject({ code: 'TIMEOUT' })
    await expect(queued).rejects.toMatchObject({ code: expect.stringMatching(/^(WORKER_CRASHED|TIMEOUT)$/) })
    expect(Date.now() - t0).toBeLessThan(10_000)
    const second = await c.ping({ timeoutMs: 20_000 })
    expect(second.pid).not.toBe(first.pid)
    expect(c.spawned).toBe(2)
  })

  it('a crashed worker rejects pending requests with WORKER_CRASHED and is restarted', async () => {
    const c = client()
    const first = await c.ping()
    const crash = c.request('__crash', {})
    const pending = c.find('a@b.org')
    await expect(crash).rejects.toMatchObject({ code: 'WORKER_CRASHED' })
    await expect(pending).rejects.toMatchObject({ code: 'WORKER_CRASHED' })
    const again = await c.find('mail a@b.org')
    expect(again).toHaveLength(1)
    expect((await c.ping()).pid).not.toBe(first.pid)
  })

  it('close rejects pending requests and refuses new ones', async () => {
    const c = client()
    await c.ping()
    const p = c.request('__hang', { ms: 5000 })
    c.close()
    await expect(p).rejects.toMatchObject({ code: 'CLOSED' })
    await expect(c.ping()).rejects.toMatchObject({ code: 'CLOSED' })
  })
})
