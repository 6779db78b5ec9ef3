import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startHost, type Host } from './host'
import { dropFile } from './drop'

// A host of our own: a fresh library, so the duplicate groups and PDF counts are ours alone.
let host: Host
test.beforeAll(async () => {
  host = await startHost()
})
test.afterAll(async () => {
  await host?.stop()
})

// The second entry is the first one again (the import skips it); the third is its preprint filed under the wrong
// year, a separate paper until the year is corrected; the fourth uses a journal macro the file does not define.
const BIB = `@article{vaswani2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  journal = {Advances in Neural Information Processing Systems},
  year = {2017},
  keywords = {transformers}
}
@article{vaswani2017again,
  title = {Attention is all you need},
  author = {Vaswani, A. and Shazeer, N.},
  year = {2017}
}
@misc{vaswani2017preprint,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish},
  howpublished = {arXiv preprint},
  year = {2018},
  keywords = {attention}
}
@article{knuth1984,
  title = {Literate Programming},
  author = {Knuth, Donald E.},
  journal = cj,
  year = {1984}
}
`

async function openLibrary(page: Page) {
  await page.goto(host.url)
  await expect(page.getByRole('heading', { name: 'Library', level: 1 })).toBeVisible()
}

test('import warnings are listed; a duplicate group is merged from the Duplicates view, keeping both records’ tags and notes', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await openLibrary(page)
  const rows = page.getByTestId('library-row')
  const detail = page.getByTestId('detail-pane')

  await dropFile(page, 'refs.bib', BIB)
  const progress = page.getByTestId('import-progress')
  await expect(progress).toContainText('3 added, 1 duplicate, 1 with warnings', { timeout: 15_000 })
  await expect(rows).toHaveCount(3)
  // Warnings expand to the entry and the reason, as failures and skipped duplicates do.
  const warnings = progress.getByTestId('import-warnings')
  await expect(warnings).toContainText('1 entry imported with warnings')
  await warnings.locator('summary').click()
  await expect(warnings).toContainText('knuth1984')
  await expect(warnings).toContainText('Literate Programming')
  await expect(warnings).toContainText('Uses @string macros this file does not define (journal = cj)')
  await progress.getByTestId('import-duplicates').locator('summary').click()
  await expect(progress.getByTestId('import-duplicates')).toContainText('vaswani2017again')

  // No duplicates in the library yet: the import skipped the exact copy, and the preprint has another year.
  await page.getByTestId('side-duplicates').click()
  await expect(page.getByTestId('dup-empty')).toContainText('No duplicates found')
  await expect(page.getByTestId('duplicates-count')).toHaveCount(0)
  await page.getByRole('button', { name: /All papers/ }).click()

  // Notes on both records; then the preprint's year is corrected, which makes it a duplicate of the article.
  await rows.filter({ hasText: 'Advances in Neural' }).click()
  await detail.getByTestId('detail-notes').fill('Read for the seminar.')
  await detail.getByTestId('detail-notes').blur()
  await expect(detail.getByTestId('detail-notes')).toHaveValue('Read for the seminar.')
  await rows.filter({ hasText: '2018' }).click()
  await expect(detail.getByLabel('Year', { exact: true })).toHaveValue('2018')
  await detail.getByTestId('detail-notes').fill('Preprint numbering differs.')
  await detail.getByTestId('detail-notes').blur()
  await detail.getByLabel('Year', { exact: true }).fill('2017')
  await detail.getByLabel('Year', { exact: true }).press('Enter')
  await expect(rows.filter({ hasText: '2018' })).toHaveCount(0)

  // The sidebar counts the new group once the library has settled.
  await expect(page.getByTestId('duplicates-count')).toHaveText('1', { timeout: 10_000 })
  await page.getByTestId('side-duplicates').click()
  const group = page.getByTestId('dup-group')
  await expect(group).toHaveCount(1)
  await expect(group).toContainText('Same title, year and first author')
  const records = group.getByTestId('dup-record')
  await expect(records).toHaveCount(2)
  // The oldest record is kept by default (both came in one import: the first one).
  const article = records.filter({ hasText: 'Advances in Neural' })
  const preprint = records.filter({ hasNotText: 'Advances in Neural' })
  await expect(article).toContainText('Vaswani, Ashish; Shazeer, Noam · 2017')
  await expect(article).toContainText('0 attachments · 1 tag · notes')
  await expect(article.getByRole('radio')).toBeChecked()
  await expect(article).toContainText('(oldest)')

  // Keyboard: arrows move the choice between records; Escape leaves the confirmation without merging.
  await article.getByRole('radio').focus()
  await page.keyboard.press('ArrowDown')
  await expect(preprint.getByRole('radio')).toBeChecked()
  await page.keyboard.press('ArrowUp')
  await expect(article.getByRole('radio')).toBeChecked()
  await group.getByTestId('dup-merge').click()
  await expect(group.getByTestId('dup-confirm')).toContainText('Merge into “Attention Is All You Need”')
  await expect(group.getByTestId('dup-confirm-merge')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(group.getByTestId('dup-confirm')).toHaveCount(0)
  await expect(group.getByTestId('dup-merge')).toBeFocused()

  await page.keyboard.press('Enter')
  await group.getByTestId('dup-confirm-merge').click()
  await expect(page.locator('.toast').filter({ hasText: 'Merged 2 records into “Attention Is All You Need”' })).toBeVisible()
  await expect(page.getByTestId('dup-empty')).toContainText('No duplicates found')
  await expect(page.getByTestId('duplicates-count')).toHaveCount(0)

  // One paper is left, carrying both records' tags and notes.
  await page.getByRole('button', { name: /All papers/ }).click()
  await expect(page.getByTestId('result-count')).toContainText('2 papers')
  await expect(rows.filter({ hasText: 'Attention Is All You Need' })).toHaveCount(1)
  await rows.filter({ hasText: 'Attention Is All You Need' }).click()
  await expect(detail.getByTestId('detail-tags')).toHaveValue(/transformers/)
  await expect(detail.getByTestId('detail-tags')).toHaveValue(/attention/)
  await expect(detail.getByTestId('detail-notes')).toHaveValue(/Read for the seminar\.[\s\S]*Preprint numbering differs\./)
  expect(errors).toEqual([])
})

// Shipped by Debian's shared-mime-info (installed by .ci/run), as in library.spec.ts.
const PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf'

test('PDF text: a broken PDF is reported, re-extracted from the detail pane, and the library-wide action recovers lost text', async ({ page }) => {
  await openLibrary(page)
  await page.getByTestId('import-input').setInputFiles(PDF)
  await expect(page.getByTestId('import-progress')).toContainText('1 added', { timeout: 20_000 })
  await page.getByTestId('search-input').fill('"shared MIME-info"')
  const row = page.getByTestId('library-row').filter({ hasText: /Shared MIME-info/i })
  await row.first().click()
  const detail = page.getByTestId('detail-pane')
  const attachments = detail.getByTestId('attachment')
  await expect(attachments).toHaveCount(1)
  await expect(attachments.first()).toContainText('text done')

  // A truncated copy: pdf.js cannot read it, so it is attached with its text marked failed.
  const truncated = readFileSync(PDF).subarray(0, 40_000)
  await detail.getByTestId('attach-input').setInputFiles({ name: 'truncated.pdf', mimeType: 'application/pdf', buffer: truncated })
  await expect(page.locator('.toast-error').filter({ hasText: 'truncated.pdf was attached, but its text could not be extracted' })).toBeVisible()
  const broken = attachments.filter({ hasText: 'truncated.pdf' })
  await expect(broken).toContainText('text failed')
  await expect(broken).toContainText('The PDF could not be read')
  await expect(page.getByTestId('text-failed')).toContainText('1 PDF without text')

  // Re-extracting it runs as a job and says why it still fails.
  await broken.getByTestId('reextract-attachment').click()
  await expect(page.locator('.toast').filter({ hasText: 'Extracting the text of this PDF again in the background' })).toBeVisible()
  await expect(page.locator('.toast-error').filter({ hasText: 'still without text' })).toContainText('truncated.pdf', { timeout: 15_000 })
  await expect(broken.getByTestId('reextract-attachment')).toHaveText('Re-extract text')

  // What an older pdf.js that gave up left behind (as tests/main/library-text.test.ts does): a readable PDF marked failed,
  // its pages gone. The truncated copy cannot succeed on a retry, so only this shows text coming back.
  const db = new Database(join(host.dataDir, 'library.sqlite'))
  try {
    db.pragma('busy_timeout = 5000')
    const id = db.prepare("SELECT id FROM attachments WHERE original_name LIKE 'shared-mime-info%'").pluck().get() as number
    db.prepare("UPDATE attachments SET text_state = 'failed', text_error = 'Unsupported feature (old pdf.js)' WHERE id = ?").run(id)
    db.prepare('DELETE FROM attachment_pages WHERE attachment_id = ?').run(id)
  } finally {
    db.close()
  }
  await page.reload()
  await expect(page.getByTestId('text-failed')).toContainText('2 PDFs without text')
  await page.getByTestId('reextract-all').click()
  await expect(page.locator('.toast').filter({ hasText: 'Extracting the text of PDFs without text again' })).toBeVisible()
  await expect(page.locator('.toast-error').filter({ hasText: 'Text extracted from 1 PDF. 1 PDF still without text' })).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('text-failed')).toContainText('1 PDF without text')

  // The job is on the Jobs page, and the recovered text is searchable again.
  await page.getByTestId('nav-jobs').click()
  await expect(page.getByTestId('job').filter({ hasText: 'Extract missing PDF text' }).getByTestId('job-status')).toHaveText('Completed')
  await page.getByTestId('nav-library').click()
  await page.getByTestId('search-input').fill('"shared MIME-info"')
  await row.first().click()
  await expect(detail.getByTestId('attachment').filter({ hasText: 'shared-mime-info' })).toContainText('text done')
})
