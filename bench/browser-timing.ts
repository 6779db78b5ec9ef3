import { chromium, type Browser } from '@playwright/test'

/** Debian's Chromium (or $SPM_CHROMIUM) as every browser bench starts it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.SPM_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  })
}

/**
 * Installed before a page's own scripts (page.addInitScript): records, on the page's clock (ms from
 * navigation start), when the first Library row is in the DOM (window.__spmT.row) and when the first
 * frame after it has been painted (window.__spmT.painted). Measured inside the page, so Playwright's own
 * polling and round trips (100–250 ms on 2 cores) are not counted.
 */
export const OBSERVE_FIRST_ROW = `(() => {
  const t = (window.__spmT = {})
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid="library-row"]')) {
      t.row = performance.now()
      requestAnimationFrame(() => setTimeout(() => (t.painted = performance.now())))
      obs.disconnect()
    }
  }).observe(document, { childList: true, subtree: true })
})()`
