// Where a cold browser-mode tab spends its time before the first Library row, on a library kept by
// bench/search.bench.ts:
//   npx tsx bench/first-page-trace.ts --data=/tmp/spm100k [--tabs=8] [--settle=MS] [--ab=DIR] [--frames]
// (a diagnostic, not one of `npm run bench`'s *.bench.ts: the figure itself is bench/search.bench.ts's)
// Per tab, all in ms from navigation start: HTML and bundle (Resource Timing); the WebSocket and its frames (CDP
// Network events, rebased on the document request); the first row inserted in the DOM (a MutationObserver
// installed before the page's own scripts) and the first frame painted after it; the load event; when
// Playwright's goto and waitFor returned; and the figure bench/search.bench.ts takes for the same tab
// (performance.now() evaluated after waitFor), which therefore includes Playwright's own work.
// --settle=MS waits after the host starts (its start-up checks take a core for seconds on a big library).
// --ab=DIR serves another renderer build (e.g. one built from the previous commit) under /base/ and
// alternates tabs between the two, so both see the same load.
import type { Browser } from '@playwright/test'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHost } from '../e2e/host'
import { launchChromium, OBSERVE_FIRST_ROW } from './browser-timing'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
const dir = arg('data')
if (!dir) throw new Error('--data=DIR (a library kept by bench/search.bench.ts) is required')
const TABS = Number(arg('tabs') ?? 8)
const SETTLE = Number(arg('settle') ?? 0)
const AB = arg('ab')

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-').padStart(5)

const COLUMNS = {
  html: 'html',
  jsStart: 'js start',
  jsDone: 'js done',
  wsOpen: 'ws open',
  queryOut: 'query →',
  queryIn: 'query ←',
  row: 'row in DOM',
  painted: 'painted',
  load: 'load event',
  gotoDone: 'goto done',
  waitDone: 'waitFor done',
  figure: 'search.bench figure',
} as const
type Tab = Record<keyof typeof COLUMNS, number> & { frames: string }

async function measureTab(browser: Browser, url: string): Promise<Tab> {
  const page = await browser.newPage()
  await page.addInitScript(OBSERVE_FIRST_ROW)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  let t0 = 0
  const frames: { t: number; out: boolean; label: string }[] = []
  const wsOpen: number[] = []
  const channels = new Map<number, string>()
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!t0 && e.type === 'Document') t0 = e.timestamp
  })
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => wsOpen.push((e.timestamp - t0) * 1000))
  cdp.on('Network.webSocketFrameSent', (e) => {
    const m = JSON.parse(e.response.payloadData) as { id: number; channel: string }
    channels.set(m.id, m.channel)
    frames.push({ t: (e.timestamp - t0) * 1000, out: true, label: `${m.channel}#${m.id}` })
  })
  cdp.on('Network.webSocketFrameReceived', (e) => {
    const m = JSON.parse(e.response.payloadData) as { id?: number; event?: string }
    frames.push({ t: (e.timestamp - t0) * 1000, out: false, label: m.event ?? `${channels.get(m.id!) ?? '?'}#${m.id}` })
  })
  await page.goto(url)
  const gotoDone = Date.now()
  await page.getByTestId('library-row').first().waitFor()
  const waitDone = Date.now()
  const figure = await page.evaluate(() => performance.now())
  await page.waitForTimeout(300)
  const m = await page.evaluate(() => {
    const t = (window as unknown as { __spmT: { row: number; painted: number } }).__spmT
    const js = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.js')) as PerformanceResourceTiming | undefined
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    return { ...t, origin: performance.timeOrigin, jsStart: js?.startTime ?? NaN, jsDone: js?.responseEnd ?? NaN, html: nav.responseEnd, load: nav.loadEventEnd }
  })
  await page.close()
  const query = (out: boolean) => frames.find((x) => x.out === out && x.label.startsWith('search.query'))?.t ?? NaN
  return {
    html: m.html,
    jsStart: m.jsStart,
    jsDone: m.jsDone,
    wsOpen: wsOpen[0] ?? NaN,
    queryOut: query(true),
    queryIn: query(false),
    row: m.row,
    painted: m.painted,
    load: m.load,
    gotoDone: gotoDone - m.origin,
    waitDone: waitDone - m.origin,
    figure,
    frames: frames.map((x) => `${x.out ? '→' : '←'}${x.label}@${x.t.toFixed(0)}`).join(' '),
  }
}

async function main() {
  const browser = await launchChromium()
  let combined: string | undefined
  if (AB) {
    combined = mkdtempSync(join(tmpdir(), 'spm-ab-'))
    cpSync(join(__dirname, '../out/renderer'), combined, { recursive: true })
    cpSync(AB, join(combined, 'base'), { recursive: true })
  }
  const host = await startHost({ SPM_DATA_DIR: dir!, ...(combined ? { SPM_RENDERER_DIR: combined } : {}) })
  const variants: [string, string][] = [['current', host.url + '#/library']]
  if (AB) variants.push(['base', host.url.replace('/?', '/base/index.html?') + '#/library'])
  try {
    if (SETTLE) await new Promise((r) => setTimeout(r, SETTLE))
    const tabs = new Map<string, Tab[]>(variants.map(([name]) => [name, []]))
    const keys = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]
    console.log(['variant', ...Object.values(COLUMNS)].join(' | '))
    for (let i = 0; i < TABS; i++) {
      for (const [name, url] of i % 2 ? [...variants].reverse() : variants) {
        const t = await measureTab(browser, url)
        tabs.get(name)!.push(t)
        console.log([name.padEnd(7), ...keys.map((k) => f(t[k]).padStart(COLUMNS[k].length))].join(' | '))
        if (process.argv.includes('--frames')) console.log('    ' + t.frames)
      }
    }
    for (const [name, ts] of tabs) {
      const p50 = (k: keyof typeof COLUMNS) => f(pct(ts.map((t) => t[k]), 0.5))
      const figures = ts.map((t) => t.figure)
      console.log(
        `${name}: p50 bundle download ${f(pct(ts.map((t) => t.jsDone - t.jsStart), 0.5))}, row in DOM ${p50('row')}, painted ${p50('painted')}; search.bench figure p50 ${p50('figure')}, max ${f(Math.max(...figures))}`,
      )
    }
    console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
  } finally {
    await host.stop()
    await browser.close()
    if (combined) rmSync(combined, { recursive: true, force: true })
  }
}

void main()
