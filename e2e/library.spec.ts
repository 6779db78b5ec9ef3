import { expect, test } from '@playwright/test'
import { dropFile } from './drop'

const url = () => process.env.SPM_E2E_URL!

const BIB = `@article{vaswani2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  journal = {Advances in Neural Information Processing Systems},
  year = {2017},
  abstract = {We propose the Transformer, a network architecture based solely on attention mechanisms.}
}
@article{he2016,
  title = {Deep Residual Learning for Image Recognition},
  author = {He, Kaiming and Zhang, Xiangyu},
  journal = {CVPR},
  year = {2016},
  abstract = {Deeper neural networks are more difficult to train; residual learning eases training.}
}
@article{tanaka2021,
  title = {深層学習による画像認識の研究},
  author = {田中, 太郎},
  journal = {情報処理学会論文誌},
  year = {2021}
}
`

test('imports a .bib by drag and drop, searches, filters, rates and exports', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url() + '#/library')
  await expect(page.getByRole('heading', { name: 'Library', level: 1 })).toBeVisible()
  const rows = page.getByTestId('library-row')

  await dropFile(page, 'refs.bib', BIB)
  await expect(page.getByTestId('import-progress')).toContainText('3 added', { timeout: 15_000 })
  await expect(rows).toHaveCount(3)
  await expect(page.getByTestId('result-count')).toContainText('3 papers')

  // "/" focuses the search box; words, snippets with highlights.
  await page.getByTestId('paper-table-body').click()
  await page.keyboard.press('/')
  await expect(page.getByTestId('search-input')).toBeFocused()
  await page.keyboard.type('attention')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('Attention Is All You Need')
  await expect(rows.first().locator('mark').first()).toHaveText(/attention/i)
  await expect(page.getByTestId('snippet').first().locator('mark')).toHaveText(/attention/i)

  // Field query and CJK substring (two characters).
  await page.getByTestId('search-input').fill('author:he')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('Deep Residual')
  await page.getByTestId('search-input').fill('学習')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('深層学習')

  // A malformed query explains itself instead of failing.
  await page.getByTestId('search-input').fill('year:abc')
  await expect(page.getByTestId('query-error')).toContainText('year:')

  // Filters: year range.
  await page.getByTestId('search-input').fill('')
  await expect(rows).toHaveCount(3)
  await page.getByTestId('filters-toggle').click()
  await page.getByTestId('filter-year-from').fill('2017')
  await expect(rows).toHaveCount(2)
  await page.getByTestId('filter-clear').click()
  await expect(rows).toHaveCount(3)

  // Keyboard selection + edit a rating in the detail pane.
  await page.getByTestId('search-input').fill('residual')
  await expect(rows).toHaveCount(1)
  // Enter runs the search and closes the suggestions; ArrowDown then moves into the table and selects the first row.
  await page.getByTestId('search-input').press('Enter')
  await page.getByTestId('search-input').press('ArrowDown')
  await expect(page.getByTestId('paper-table-body')).toBeFocused()
  await expect(page.getByTestId('detail-pane')).toBeVisible()
  await expect(page.getByTestId('detail-title')).toHaveValue('Deep Residual Learning for Image Recognition')
  await page.getByTestId('detail-pane').getByRole('radio', { name: '4 stars' }).click()
  await expect(rows.first().getByTestId('row-rating').locator('.stars')).toHaveAttribute('aria-label', /4 of 5/)
  await page.getByTestId('search-input').fill('rating:>=4')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('Deep Residual')

  // Export the result as BibTeX.
  await page.getByTestId('export-open').click()
  await page.getByTestId('export-which').selectOption('result')
  await page.getByTestId('export-run').click()
  await expect(page.getByTestId('export-output')).toHaveValue(/Deep Residual Learning/)
  await expect(page.getByTestId('export-output')).not.toHaveValue(/Attention Is All/)
  expect(errors).toEqual([])
})

test('imports a real PDF chosen in browser mode (uploaded to the host, then imported)', async ({ page }) => {
  // Shipped by Debian's shared-mime-info (installed by .ci/run).
  const pdf = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf'
  await page.goto(url() + '#/library')
  await expect(page.getByRole('heading', { name: 'Library', level: 1 })).toBeVisible()
  await page.getByTestId('import-input').setInputFiles(pdf)
  await expect(page.getByTestId('import-progress')).toContainText('1 added', { timeout: 20_000 })
  await page.getByTestId('search-input').fill('"shared MIME-info"')
  await expect(page.getByTestId('library-row').first()).toContainText(/Shared MIME-info/i)
})
