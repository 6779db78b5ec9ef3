import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { CSP } from '../../src/main/web/csp'

// The renderer's one inline script (the browser-mode boot socket) runs only if its hash is in the policy;
// a stale hash silently costs the early first page, so this fails as soon as the script changes.
test('the CSP admits exactly the inline scripts of index.html by hash, in the header and the meta tag alike', () => {
  const html = readFileSync(join(__dirname, '..', '..', 'src', 'renderer', 'index.html'), 'utf8')
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])
  expect(inline.length).toBeGreaterThan(0)
  const hashes = inline.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`)
  const scriptSrc = (policy: string) => policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))
  expect(scriptSrc(CSP)).toBe(`script-src 'self' ${hashes.join(' ')}`)
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]
  expect(meta).toBe(CSP)
  expect(scriptSrc(CSP)).not.toContain('unsafe')
})
