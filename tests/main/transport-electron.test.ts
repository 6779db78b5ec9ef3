import type { IpcMain, WebContents } from 'electron'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { attachElectronTransport, EVENT, GRANT_DROPPED, INVOKE } from '../../src/main/ipc/electron'
import { startTestApp, type TestApp } from '../helpers/app'

// Electron's ipcMain and WebContents are faked at the boundary: just enough surface to carry calls.
type Handler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown

describe('Electron IPC transport', () => {
  let t: TestApp
  const handlers = new Map<string, Handler>()
  const sent: unknown[][] = []
  const ipcMain = {
    handle: (ch: string, h: Handler) => void handlers.set(ch, h),
    removeHandler: (ch: string) => void handlers.delete(ch),
  } as unknown as IpcMain
  const wc = { isDestroyed: () => false, send: (...a: unknown[]) => void sent.push(a) } as unknown as WebContents
  const trusted = 'file:///app/out/renderer/index.html'
  let detach: () => void

  beforeAll(async () => {
    t = await startTestApp()
    detach = attachElectronTransport(ipcMain, t.app, (u) => u.startsWith('file:///app/out/renderer/'), () => [wc])
  })
  afterAll(() => t.close())

  it('routes calls from the app window through the validating router', async () => {
    const h = handlers.get(INVOKE)!
    expect(await h({ senderFrame: { url: trusted } }, 'app.info', undefined)).toMatchObject({ ok: true, data: { name: 'Science Paper Manager' } })
    expect(await h({ senderFrame: { url: trusted } }, 'secrets.delete', { provider: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('refuses calls from any other frame', async () => {
    const h = handlers.get(INVOKE)!
    expect(await h({ senderFrame: { url: 'https://evil.example/' } }, 'app.info', undefined)).toMatchObject({ ok: false })
    expect(await h({ senderFrame: null }, 'app.info', undefined)).toMatchObject({ ok: false })
  })

  it('grants dropped-file paths from the app window only, and only well-formed ones', async () => {
    const h = handlers.get(GRANT_DROPPED)!
    const bib = '/home/user/papers/refs.bib'
    const grants = t.app.services!.grants
    expect(() => grants.assertRead(bib)).toThrow(/dialog/)
    expect(await h({ senderFrame: { url: 'https://evil.example/' } }, [bib])).toEqual([])
    expect(() => grants.assertRead(bib)).toThrow(/dialog/)
    expect(await h({ senderFrame: { url: trusted } }, [bib, 42])).toEqual([])
    expect(await h({ senderFrame: { url: trusted } }, [bib])).toEqual([bib])
    expect(grants.assertRead(bib)).toBe(bib)
  })

  it('forwards events to windows and detaches cleanly', async () => {
    await t.app.services!.notifications.notify({ type: 'paper_added', title: 'Added', message: 'x' })
    expect(sent.some((a) => a[0] === EVENT && a[1] === 'notifications.created')).toBe(true)
    detach()
    expect(handlers.has(INVOKE)).toBe(false)
    expect(handlers.has(GRANT_DROPPED)).toBe(false)
    const before = sent.length
    await t.app.services!.notifications.notify({ type: 'paper_added', title: 'Again', message: 'x' })
    expect(sent.length).toBe(before)
  })
})
