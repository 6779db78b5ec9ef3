import type * as Recheck from 'recheck'
import { analyzeRegex } from './analyze'
import { cacheGet, cachePut, sha256 } from './cache'

export interface ReDoSVerdict {
  safe: boolean
  status: 'safe' | 'vulnerable' | 'unknown'
  complexity?: string
  message: string
}

const cache = new Map<string, ReDoSVerdict>()

let recheck: typeof Recheck | undefined
/** recheck is large (~30 MB resident): load it only when a check actually runs. */
function checker(): typeof Recheck {
  if (!recheck) {
    recheck = require('recheck') as typeof Recheck
  }
  return recheck
}

/**
 * Catastrophic-backtracking check with `recheck` (results cached in memory by source + flags).
 *
 * Policy: exponential → rejected. Polynomial → rejected when the pattern can match unboundedly long
 * text (the work then grows with the square of the input); accepted when every match is bounded
 * (the work stays linear in the input, with a constant set by the bound). Unknown (the checker gave
 * up) → accepted, reported in the message.
 */
export function checkReDoS(source: string, flags: string): ReDoSVerdict {
  const key = `${flags}/${source}`
  const hit = cache.get(key)
  if (hit) return hit
  const diskKey = sha256(key)
  const disk = cacheGet<ReDoSVerdict>('redos', diskKey)
  if (disk && typeof disk.safe === 'boolean') {
    cache.set(key, disk)
    return disk
  }
  let verdict: ReDoSVerdict
  try {
    const d = checker().checkSync(source, flags.replace(/[gy]/g, ''), { timeout: 10_000 })
    if (d.status === 'safe') verdict = { safe: true, status: 'safe', message: 'safe' }
    else if (d.status === 'vulnerable') {
      const cx = d.complexity.type === 'polynomial' ? `polynomial (degree ${d.complexity.degree})` : 'exponential'
      const info = analyzeRegex(source, flags)
      const bounded = !!info && Number.isFinite(info.maxLen)
      const rejected = d.complexity.type === 'exponential' || !bounded
      verdict = {
        safe: !rejected,
        status: 'vulnerable',
        complexity: d.complexity.type,
        message: rejected
          ? `catastrophic backtracking (${cx}); attack string ${d.attack.pattern}; bound the repetitions or remove nested/overlapping quantifiers`
          : `polynomial backtracking bounded by the pattern's maximum length (${cx}); accepted`,
      }
    } else {
      verdict = { safe: true, status: 'unknown', message: `ReDoS check inconclusive: ${d.error.kind}` }
    }
  } catch (e) {
    verdict = { safe: true, status: 'unknown', message: `ReDoS check failed: ${(e as Error).message}` }
  }
  cache.set(key, verdict)
  if (verdict.status !== 'unknown') cachePut('redos', diskKey, verdict)
  return verdict
}
