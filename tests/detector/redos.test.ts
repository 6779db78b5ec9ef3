import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkReDoS, loadRegistry, PatternLoadError } from '../../src/detector/index'
import { pat, tmpDir, writePatterns } from './engine-helpers'

describe('ReDoS rejection at load', () => {
  // exercise recheck itself, not the on-disk verdict cache
  const saved = process.env.SPM_DETECTOR_NO_CACHE
  beforeAll(() => {
    process.env.SPM_DETECTOR_NO_CACHE = '1'
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.SPM_DETECTOR_NO_CACHE
    else process.env.SPM_DETECTOR_NO_CACHE = saved
  })
  it('rejects exponential patterns with a clear error naming file, pattern and field', () => {
    const dir = tmpDir()
    const f = writePatterns(dir, 'evil', [pat({ id: 'nested', pattern: '^(a+)+$' })])
    let err: unknown
    try {
      loadRegistry({ paths: [f] }) // custom files are checked by default
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(PatternLoadError)
    expect((err as Error).message).toMatch(new RegExp(`${f}: pattern "nested": field "pattern": catastrophic backtracking \\(exponential\\)`))
  })

  it('rejects unbounded polynomial patterns, accepts bounded ones and safe ones', () => {
    expect(checkReDoS('\\s*\\d+\\s*\\d+x', '').safe).toBe(false)
    expect(checkReDoS('(\\w+\\s?)+$', '').safe).toBe(false)
    expect(checkReDoS('(?<!\\d)\\d{3}-\\d{2}-\\d{4}(?!\\d)', '')).toMatchObject({ safe: true, status: 'safe' })
    const bounded = checkReDoS('[a-z.]{1,20}[a-z]{1,20}@', '')
    expect(bounded.safe).toBe(true)
  })

  it('can be switched off, and caches verdicts', () => {
    const dir = tmpDir()
    const f = writePatterns(dir, 'evil2', [pat({ id: 'alt', pattern: '(a|a)*b' })])
    expect(loadRegistry({ paths: [f], checkReDoS: false }).size).toBe(1)
    const t0 = performance.now()
    expect(checkReDoS('(a|a)*b', '').safe).toBe(false)
    expect(checkReDoS('(a|a)*b', '').safe).toBe(false)
    expect(performance.now() - t0).toBeLessThan(5000)
  })
})

describe('built-in patterns', () => {
  it('every built-in pattern passes the ReDoS check', () => {
    const reg = loadRegistry({ checkReDoS: false })
    const unsafe: string[] = []
    for (const p of reg.list()) {
      const v = checkReDoS(p.def.pattern, p.def.flags ?? '')
      if (!v.safe) unsafe.push(`${p.fullId}: ${v.message}`)
    }
    expect(unsafe).toEqual([])
    // and loading with the check switched on succeeds
    expect(loadRegistry({ checkReDoS: true }).size).toBe(reg.size)
  }, 900_000)
})
