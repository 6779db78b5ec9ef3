import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Platform } from '../../src/main/platform/types'
import { startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const

describe('file grants: the renderer can only name files the user picked', () => {
  let t: TestApp
  afterEach(() => t.close())

  it('refuses paths that were never chosen in a dialog, for reading and for writing', async () => {
    t = await startTestApp()
    const secret = join(t.dir, 'id_rsa')
    writeFileSync(secret, 'not for the renderer')
    for (const [channel, input] of [
      ['library.importFile', { path: secret }],
      ['library.importPdfs', { paths: [secret] }],
      ['library.attachmentAdd', { paperId: 1, path: secret }],
      ['library.export', { format: 'bibtex', filePath: join(t.dir, 'overwrite-me.txt') }],
      ['library.importFile', { path: 'relative/path.bib' }],
    ] as const) {
      const res = await t.app.router.invoke(channel, input, ctx)
      expect(res, channel).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/dialog|absolute/) } })
    }
  })

  it('in browser mode there are no native dialogs and the error says what to do instead', async () => {
    t = await startTestApp()
    const res = await t.app.router.invoke('files.openDialog', { multiple: true }, ctx)
    expect(res).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringMatching(/drop files/) } })
  })

  it('grants exactly what the native dialog returned (dialog faked at the platform adapter)', async () => {
    let picked: string[] = []
    let saveTo: string | null = null
    t = await startTestApp({
      platform: (p): Platform => ({
        ...p,
        dialogs: { supported: true, openFiles: async () => picked, saveFile: async () => saveTo },
      }),
    })
    const bib = join(t.dir, 'refs.bib')
    writeFileSync(bib, '@article{a, title={Granted}, author={Doe, Jane}, year={2020}}\n')
    picked = [bib]
    expect(await t.app.router.invoke('files.openDialog', { filters: [{ name: 'BibTeX', extensions: ['bib'] }] }, ctx)).toEqual({ ok: true, data: [bib] })
    const started = await t.app.router.invoke('library.importFile', { path: bib }, ctx)
    expect(started.ok).toBe(true)

    const other = join(t.dir, 'other.bib')
    writeFileSync(other, '@misc{b, title={Not granted}}\n')
    expect(await t.app.router.invoke('library.importFile', { path: other }, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })

    saveTo = join(t.dir, 'export.bib')
    expect(await t.app.router.invoke('files.saveDialog', { defaultName: '../../etc/passwd' }, ctx)).toEqual({ ok: true, data: saveTo })
    expect(await t.app.router.invoke('library.export', { format: 'bibtex', filePath: saveTo }, ctx)).toMatchObject({ ok: true })
    // A read grant is not a write grant.
    expect(await t.app.router.invoke('library.export', { format: 'bibtex', filePath: bib }, ctx)).toMatchObject({ ok: false })
  })
})
