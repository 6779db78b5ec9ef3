import { ESLint } from 'eslint'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '..', '..')
const eslint = new ESLint({ cwd: root })

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath: join(root, filePath) })
  return res.messages.map((m) => m.ruleId ?? m.message)
}

describe('layering rules (ESLint)', () => {
  it.each([
    ['src/main/app.ts', "import { app } from 'electron'\nexport const x = app\n"],
    ['src/main/notifications/service.ts', "import { Notification } from 'electron'\nexport const x = Notification\n"],
    ['src/detector/engine.ts', "import { app } from 'electron'\nexport const x = app\n"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer\n"],
  ])('forbids importing electron in %s', async (file, code) => {
    expect((await ruleIds(file, code)).some((r) => /no-restricted-imports/.test(r))).toBe(true)
  })

  it.each([
    ['src/main/platform/electron.ts', "import { app } from 'electron'\nexport const x = app\n"],
    ['src/main/index.ts', "import { app } from 'electron'\nexport const x = app\n"],
    ['src/main/ipc/electron.ts', "import type { IpcMain } from 'electron'\nexport type X = IpcMain\n"],
  ])('allows electron in %s', async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([])
  })

  it.each([
    ['src/detector/engine.ts', "import { createApp } from '../main/app'\nexport const x = createApp\n"],
    ['src/detector/sub/x.ts', "import { AppError } from '../../main/db/connection'\nexport const x = AppError\n"],
    ['src/shared/contract/x.ts', "import { createApp } from '../../main/app'\nexport const x = createApp\n"],
    ['src/renderer/src/x.ts', "import { createApp } from '../../main/app'\nexport const x = createApp\n"],
  ])('forbids %s importing from src/main', async (file, code) => {
    expect((await ruleIds(file, code)).some((r) => /no-restricted-imports/.test(r))).toBe(true)
  })

  it('keeps zod out of the renderer: only type imports from the contract', async () => {
    expect((await ruleIds('src/renderer/src/x.ts', "import { channels } from '../../shared/contract'\nexport const x = channels\n")).some((r) => /no-restricted-imports/.test(r))).toBe(true)
    expect(await ruleIds('src/renderer/src/x.ts', "import type { Paper } from '../../shared/contract'\nexport type X = Paper\n")).toEqual([])
  })

  it('lets src/main import the detector and the shared contract', async () => {
    expect(await ruleIds('src/main/x.ts', "import { channels } from '../shared/contract'\nexport const x = channels\n")).toEqual([])
  })
})
