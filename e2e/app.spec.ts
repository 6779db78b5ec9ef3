import { expect, test, type Page } from '@playwright/test'

const url = () => process.env.SPM_E2E_URL!
const modifier = process.platform === 'darwin' ? 'Meta' : 'Control'

async function open(page: Page) {
  await page.goto(url())
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
}

test('the app loads and navigates between pages by click, keyboard and history', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await open(page)
  // The token leaves the address bar once stored.
  expect(page.url()).not.toContain('token=')
  await expect(page.getByRole('heading', { name: 'Library', level: 1 })).toBeVisible()

  for (const [id, heading] of [
    ['search', 'Search'],
    ['redact', 'Redact'],
    ['jobs', 'Jobs'],
    ['dashboard', 'Dashboard'],
    ['settings', 'Settings'],
  ]) {
    await page.getByTestId(`nav-${id}`).click()
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible()
    await expect(page.getByTestId(`nav-${id}`)).toHaveAttribute('aria-current', 'page')
  }
  // A page that is not built yet says what is coming rather than faking it.
  await page.getByTestId('nav-dashboard').click()
  await expect(page.getByText('Not built yet')).toBeVisible()

  await page.keyboard.press(`${modifier}+6`)
  await expect(page.getByRole('heading', { name: 'Health', level: 1 })).toBeVisible()
  await expect(page.getByTestId('check-database')).toContainText('Integrity ok')
  await expect(page.getByTestId('check-disk')).toContainText('GiB free')

  await page.goBack()
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible()
  expect(errors).toEqual([])
})

test('stores an API key and only ever shows it masked', async ({ page }) => {
  const key = 'sk-proj-E2eSecretValue0123456789abcdWXYZ'
  await open(page)
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('secret-store')).toContainText('encrypted file')
  const row = page.getByTestId('provider-openai')
  await expect(row).toContainText('No key stored')
  await row.getByRole('button', { name: 'Add key' }).click()
  const input = row.getByLabel('API key')
  await expect(input).toHaveAttribute('type', 'password')
  await input.fill(key)
  await row.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('API key saved')).toBeVisible()
  await expect(row.getByTestId('masked-key')).toHaveText('sk-…WXYZ')

  await page.reload()
  await expect(page.getByTestId('provider-openai').getByTestId('masked-key')).toHaveText('sk-…WXYZ')
  expect(await page.content()).not.toContain('E2eSecretValue')

  // A bad key is refused with a clear message, and the stored one is kept.
  await page.getByTestId('provider-openai').getByRole('button', { name: 'Replace' }).click()
  await page.getByTestId('provider-openai').getByLabel('API key').fill('short')
  await page.getByTestId('provider-openai').getByRole('button', { name: 'Save' }).click()
  await expect(page.getByRole('alert')).toContainText('API key looks too short')
  await page.getByTestId('provider-openai').getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('provider-openai').getByTestId('masked-key')).toHaveText('sk-…WXYZ')

  await page.getByTestId('provider-openai').getByRole('button', { name: 'Delete' }).click()
  await expect(page.getByTestId('provider-openai')).toContainText('No key stored')
})

test('receives a notification live, shows the unread badge, and marks it read', async ({ page }) => {
  await open(page)
  await page.getByTestId('nav-notifications').click()
  await expect(page.getByTestId('unread-badge')).toHaveCount(0)
  await page.getByTestId('send-test').click()
  // Arrives through the event stream, not a reload.
  const item = page.getByTestId('notification').filter({ hasText: 'Notifications are working' })
  await expect(item).toBeVisible()
  await expect(page.getByTestId('unread-badge')).toHaveText('1')
  await item.getByRole('button', { name: 'Mark read' }).click()
  await expect(page.getByTestId('unread-badge')).toHaveCount(0)
  await expect(item).toHaveClass(/read/)

  // Turning the type off applies at once.
  await page.getByLabel('Test notification: show in app').uncheck()
  await page.getByTestId('send-test').click()
  await expect(page.getByText('Test notifications are turned off')).toBeVisible()
  await expect(page.getByTestId('notification')).toHaveCount(1)
  await page.reload()
  await expect(page.getByLabel('Test notification: show in app')).not.toBeChecked()
})

test('without the access token the page explains what to open instead of hanging', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage()
  await page.goto(new URL(url()).origin + '/')
  await expect(page.getByTestId('connect-error')).toContainText('needs the access link printed in the terminal')
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0)
})

test('a cold tab gets its boot data on the socket index.html opens, once, under the strict CSP', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  // A stale hash in the CSP would show here as a refused inline script.
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  const sockets: string[] = []
  const sent: { id: number; channel: string }[] = []
  page.on('websocket', (ws) => {
    sockets.push(ws.url())
    ws.on('framesent', (f) => sent.push(JSON.parse(String(f.payload))))
  })
  await page.goto(url() + '#/library')
  await expect(page.getByTestId('result-count')).toContainText('paper')

  expect(sockets).toHaveLength(1)
  // Sent by the inline script (negative ids) and adopted by the app: the app's own calls must match them exactly.
  expect(sent.slice(0, 2)).toEqual([
    { id: -1, channel: 'app.info' },
    expect.objectContaining({ id: -2, channel: 'search.query' }),
  ])
  expect(sent.filter((m) => m.channel === 'app.info')).toHaveLength(1)
  expect(sent.filter((m) => m.channel === 'search.query')).toHaveLength(1)
  expect(errors).toEqual([])

  const html = await page.request.get(url())
  expect(html.headers()['cache-control']).toBe('no-store')
  // Scripts: our own files and that one inline script by its hash, nothing else.
  expect(html.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*';/)
  const bundle = await page.evaluate(() => document.querySelector<HTMLScriptElement>('script[type=module]')!.src)
  expect((await page.request.get(bundle)).headers()['cache-control']).toContain('immutable')
})

test('a tab opened on another page asks for no Library data it does not show', async ({ page }) => {
  const sent: string[] = []
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(JSON.parse(String(f.payload)).channel)))
  await page.goto(url() + '#/settings')
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  await expect(page.getByTestId('secret-store')).toBeVisible()
  expect(sent).toContain('app.info')
  expect(sent).not.toContain('search.query')
})
