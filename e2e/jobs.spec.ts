import { expect, test, type Locator, type Page } from '@playwright/test'
import { startHost, type Host } from './host'

// A host of our own: a fresh data folder, so the empty state and counts are ours alone.
let host: Host
test.beforeAll(async () => {
  host = await startHost()
})
test.afterAll(async () => {
  await host?.stop()
})

async function openJobs(page: Page) {
  await page.goto(host.url)
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
  await page.getByTestId('nav-jobs').click()
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible()
}

const progressOf = async (job: Locator) => Number(await job.getByRole('progressbar').getAttribute('aria-valuenow'))

test('library maintenance: the progress bar moves, and the job is cancelled and retried from the Jobs page', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await openJobs(page)
  await expect(page.getByTestId('jobs-empty')).toContainText('No background jobs yet')
  await expect(page.getByTestId('jobs-activity')).toHaveCount(0)

  // Low impact (the default) pauses between the many small steps, slow enough to watch.
  await expect(page.getByLabel('Low impact')).toBeChecked()
  await page.getByTestId('run-maintenance').click()
  const job = page.getByTestId('job').filter({ hasText: 'Library maintenance' }).first()
  await expect(job.getByTestId('job-status')).toHaveText('Running')
  await expect(page.getByTestId('jobs-activity')).toBeVisible()

  // The bar moves, live (events, not reloads), with a step message and an estimate.
  await expect.poll(() => progressOf(job), { timeout: 10_000 }).toBeGreaterThan(0)
  const first = await progressOf(job)
  await expect.poll(() => progressOf(job), { timeout: 10_000 }).toBeGreaterThan(first)
  await expect(job).toContainText(/of \d+\)/)
  await expect(job.getByTestId('job-eta')).toContainText(/left|finishing/)

  // Cancel: the running handler is aborted.
  await job.getByRole('button', { name: /^Cancel/ }).click()
  await expect(job.getByTestId('job-status')).toHaveText('Cancelled')
  await expect(page.getByTestId('jobs-activity')).toHaveCount(0)
  const stopped = await progressOf(job)
  await page.waitForTimeout(800)
  expect(await progressOf(job)).toBe(stopped)

  // Retry by keyboard: it runs again from the start and moves again.
  const retry = job.getByRole('button', { name: /^Retry/ })
  await retry.focus()
  await page.keyboard.press('Enter')
  await expect(job.getByTestId('job-status')).toHaveText('Running')
  await expect.poll(() => progressOf(job), { timeout: 10_000 }).toBeGreaterThan(0)

  // Details drawer: attempts with the cancelled run; Escape closes it and focus returns.
  const details = job.getByRole('button', { name: /^Details/ })
  await details.click()
  const drawer = page.getByRole('dialog')
  await expect(drawer.getByTestId('drawer-attempts')).toContainText('cancelled')
  await expect(drawer.getByTestId('drawer-status')).toHaveText('Running')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await expect(details).toBeFocused()

  // Filters: it shows under Active, not under Failed (empty state).
  await page.getByTestId('filter-active').click()
  await expect(page.getByTestId('job')).toHaveCount(1)
  await page.getByTestId('filter-failed').click()
  await expect(page.getByTestId('jobs-empty')).toContainText('No failed jobs')
  await page.getByTestId('filter-all').click()

  // Let it finish at full speed: cancel the slow run, start a normal one, and see it complete.
  await job.getByRole('button', { name: /^Cancel/ }).click()
  await expect(job.getByTestId('job-status')).toHaveText('Cancelled')
  await page.getByLabel('Low impact').uncheck()
  await page.getByTestId('run-maintenance').click()
  const done = page.getByTestId('job').first()
  await expect(done.getByTestId('job-status')).toHaveText('Completed', { timeout: 20_000 })
  await expect(done).toContainText('no problems found')
  await expect(page.getByTestId('maintenance-status')).toContainText('last run')
  await expect(page.getByTestId('filter-completed')).toContainText('1')
  expect(errors).toEqual([])
})
