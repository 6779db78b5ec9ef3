/**
 * Every built-in pattern must be free of catastrophic backtracking according to `recheck`
 * (status "safe" — not merely "bounded polynomial"). Slow (≈ 30-60 s for all files), hence the timeout.
 */
import { checkSync } from 'recheck'
import { describe, expect, it } from 'vitest'
import { ALL_FILES, loadFile } from './patterns-harness'

describe('built-in patterns are ReDoS-safe (recheck)', () => {
  for (const name of ALL_FILES) {
    it(
      `${name}.yml`,
      () => {
        const unsafe: string[] = []
        for (const p of loadFile(name).patterns) {
          let r = checkSync(p.pattern, p.flags ?? '', { timeout: 30_000 })
          // under a loaded machine (parallel test files) the checker can run out of time: retry once, longer
          if (r.status === 'unknown') r = checkSync(p.pattern, p.flags ?? '', { timeout: 120_000 })
          if (r.status !== 'safe') {
            const detail = r.status === 'vulnerable' ? `${r.complexity.type} attack ${r.attack.pattern}` : r.error.kind
            unsafe.push(`${p.id}: ${r.status} (${detail})`)
          }
        }
        expect(unsafe).toEqual([])
      },
      600_000,
    )
  }
})
