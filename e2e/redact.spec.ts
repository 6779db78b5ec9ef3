import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'

const CSV = [
  'name,email,card,note',
  'Jane Doe,jane.doe@example.org,4111 1111 1111 1111,first order',
  'Kim Minsu,minsu.kim@example.kr,5500 0000 0000 0004,vip',
  'Nobody,none,n/a,version 1.2.3 released 2024-01-01',
].join('\n')

test('redacts a chosen file into a downloadable copy without showing raw values', async ({ page }) => {
  await page.goto(process.env.SPM_E2E_URL!)
  await page.getByTestId('nav-redact').click()
  await expect(page.getByRole('heading', { name: 'Redact', level: 1 })).toBeVisible()
  await expect(page.getByText(/\d+ patterns across \d+ regions/)).toBeVisible()

  await page.getByTestId('file-input').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) })
  const item = page.getByTestId('redact-item').filter({ hasText: 'customers.csv' })
  await expect(item).toContainText('items redacted')
  await expect(item).toContainText('email × 2')
  await expect(item).toContainText('credit card × 2')

  await item.getByRole('button', { name: 'Preview' }).click()
  const preview = item.locator('.redact-preview')
  await expect(preview).toContainText('first order')
  await expect(preview).toContainText('version 1.2.3 released 2024-01-01')
  await expect(preview).not.toContainText('4111 1111 1111 1111')
  await expect(preview).not.toContainText('jane.doe@example.org')

  const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: 'Download redacted copy' }).click()])
  expect(download.suggestedFilename()).toBe('customers.redacted.csv')
  const out = readFileSync((await download.path())!, 'utf8')
  expect(out.split('\n')).toHaveLength(4)
  expect(out).not.toContain('4111 1111 1111 1111')
  expect(out).not.toContain('minsu.kim@example.kr')
  expect(out).toContain('Kim Minsu')
})

test('refuses a binary file with a clear message', async ({ page }) => {
  await page.goto(process.env.SPM_E2E_URL!)
  await page.getByTestId('nav-redact').click()
  await page.getByTestId('file-input').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3, 0, 0]) })
  await expect(page.getByTestId('redact-item').filter({ hasText: 'scan.pdf' })).toContainText('binary file')
})

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** A GitHub token shape with a correct CRC32 tail (not a real token). */
function githubToken(random: string): string {
  let n = crc32(random)
  let tail = ''
  while (n > 0) {
    tail = B62[n % 62] + tail
    n = Math.floor(n / 62)
  }
  return `ghp_${random}${tail.padStart(6, '0')}`
}

test('accepts files dropped on the drop zone', async ({ page }) => {
  const token = githubToken('Xk9fQ2mLp7RtZ4vB8nW1cY6hJ3sD5g')
  await page.goto(process.env.SPM_E2E_URL!)
  await page.getByTestId('nav-redact').click()
  const dt = await page.evaluateHandle((t) => {
    const d = new DataTransfer()
    d.items.add(new File([`export GITHUB_TOKEN=${t} # from CI`], 'ci.log', { type: 'text/plain' }))
    return d
  }, token)
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: dt })
  const item = page.getByTestId('redact-item').filter({ hasText: 'ci.log' })
  await expect(item).toContainText('1 item redacted')
  await expect(item).toContainText('secret × 1')
  await item.getByRole('button', { name: 'Preview' }).click()
  await expect(item.locator('.redact-preview')).not.toContainText(token)
  await expect(item.locator('.redact-preview')).toContainText('# from CI')
})
