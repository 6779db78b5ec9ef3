import { expect, test } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { startHost } from './host'

test('an unreadable library database shows a clear error screen and is left untouched', async ({ page }) => {
  const junk = 'not a database — someone saved a text file here\n'.repeat(200)
  const host = await startHost({}, (dir) => writeFileSync(join(dir, 'library.sqlite'), junk))
  try {
    await page.goto(host.url)
    const screen = page.getByTestId('fatal-error')
    await expect(screen.getByRole('heading', { name: 'The library could not be opened' })).toBeVisible()
    await expect(screen).toContainText('is not a valid SQLite database or is corrupt')
    await expect(screen).toContainText(join(host.dataDir, 'library.sqlite'))
    await expect(screen).toContainText('Nothing was deleted or overwritten')
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0)
    expect(readFileSync(join(host.dataDir, 'library.sqlite'), 'utf8')).toBe(junk)
  } finally {
    await host.stop()
  }
})

test('a library database with a damaged page switches the app to the error screen', async ({ page }) => {
  const host = await startHost({}, (dir) => {
    const file = join(dir, 'library.sqlite')
    const db = new Database(file)
    db.exec('create table notes(x text); create index notes_x on notes(x);')
    const ins = db.prepare('insert into notes values (?)')
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) ins.run(`note ${i} ${'z'.repeat(60)}`)
    })()
    db.close()
    const bytes = readFileSync(file)
    bytes.fill(0xa5, bytes.length - 4096 * 20, bytes.length - 4096 * 20 + 2048)
    writeFileSync(file, bytes)
  })
  try {
    await page.goto(host.url)
    const screen = page.getByTestId('fatal-error')
    await expect(screen).toBeVisible({ timeout: 15_000 })
    await expect(screen).toContainText(/damaged|not a valid SQLite database or is corrupt/)
    await expect(screen).toContainText('Nothing was deleted or overwritten')
  } finally {
    await host.stop()
  }
})
