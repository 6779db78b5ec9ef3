import { expect, test } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
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
