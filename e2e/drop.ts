import type { Page } from '@playwright/test'

/** Drops a text file on the window the way a browser delivers a desktop drag (dragenter, dragover, drop). */
export async function dropFile(page: Page, name: string, content: string): Promise<void> {
  await page.evaluate(
    ({ name, content }) => {
      const dt = new DataTransfer()
      dt.items.add(new File([content], name, { type: 'text/plain' }))
      for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }))
    },
    { name, content },
  )
}
