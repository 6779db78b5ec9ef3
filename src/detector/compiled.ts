import { analyzeRegex, digitRunPairs, RUN_CAP, type RegexInfo } from './analyze'
import type { Category, PatternDef, Severity, Action, Verifier } from './types'
import { SEVERITY_RANK } from './types'
import { isAsciiAlnum } from './chars'

/** Character families used to cut text into candidate segments (see docs/DETECTOR.md, Performance). */
export const FAMILIES: string[] = [
  '0123456789',
  '0123456789-',
  '0123456789 -./',
  '0123456789 -./()+',
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-./_',
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -./()+:#_',
]
export const FAMILY_SETS: Uint8Array[] = FAMILIES.map((f) => {
  const s = new Uint8Array(128)
  for (const ch of f) s[ch.charCodeAt(0)] = 1
  return s
})

/** Space-free families whose long runs (≥ LONG_RUN chars) are found by strided probing, shared by patterns. */
export const RUN_FAMILIES: string[] = [
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-',
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<',
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._',
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._+/=',
  Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(''),
]
export const RUN_FAMILY_SETS: Uint8Array[] = RUN_FAMILIES.map((f) => {
  const s = new Uint8Array(128)
  for (const ch of f) s[ch.charCodeAt(0)] = 1
  return s
})
export const LONG_RUN = 8

function subsetOf(a: Uint8Array, b: Uint8Array): boolean {
  for (let c = 0; c < 128; c++) if (a[c] && !b[c]) return false
  return true
}

export type ScanPlan =
  | { kind: 'full' }
  /** Only scan maximal runs of the family's characters that contain ≥ minDigits digits and ≥ minLen chars. */
  | { kind: 'segments'; family: number }
  /** Only scan around digit clusters (pattern needs digits; bounded length; charset not in a family). */
  | { kind: 'digits' }
  /**
   * Only scan maximal runs of the pattern's own (ASCII) charset that contain a possible first
   * character and are at least minLen long. `key` identifies the (seed, charset, minLen) triple.
   */
  /** Only scan runs (≥ LONG_RUN chars) of a shared space-free family that are ≥ minLen long. */
  | { kind: 'famruns'; family: number }
  /** Only scan runs of the pattern's (space-free) charset around occurrences of its required literals. */
  | { kind: 'litruns'; charset: Uint8Array; nonAscii: boolean }
  /** Only scan windows around occurrences of the required literals (bounded match length). */
  | { kind: 'litwin' }
  /**
   * Only scan windows around the anchor chars (`runClass`, rare punctuation): every match holds one
   * at most `offset` chars after its start (RegexInfo.anchor; bounded match length).
   */
  | { kind: 'anchor'; runClass: string; offset: number }
  | { kind: 'runs'; seedClass: string | null; runClass: string; charset: Uint8Array; nonAscii: boolean; key: string }

export interface CompiledPattern {
  fullId: string
  namespace: string
  id: string
  file: string
  def: PatternDef
  category: Category
  severity: Severity
  severityRank: number
  action: Action
  storeRaw: boolean
  /** Global regex used for scanning (shared; always reset lastIndex before use). */
  regex: RegExp
  /** Sticky copy of `regex` for matching at one known position. */
  sticky: RegExp
  /** Regex anchored to the whole input, for validate(). */
  whole: RegExp
  info: RegexInfo | null
  plan: ScanPlan
  /** Literals (lower-cased when caseInsensitive) one of which must occur in the text. */
  literals: string[] | null
  caseInsensitive: boolean
  keywords: string[]
  /** Case-insensitive alternation of the keywords (ASCII-edged ones must stand as words), or null. */
  keywordRe: RegExp | null
  keywordsRequired: boolean
  window: number
  verification?: string
  /** Context chars to keep around a window so lookarounds see the real neighbours. */
  ctx: number
  /** The digit counts a match can have, as `sumBitsLo` / `sumBitsHi` words. */
  sumLo: number
  sumHi: number
  /**
   * A digit run can hold a match's first digit only where one of these bits is set in its
   * TextIndex.runFacts (see leadMask); 0 when the pattern gives no such test.
   */
  leadMask: number
  /** See runPairs (undefined until first used). */
  runsMemo?: RunPairs | null
}

/**
 * For the digit-bounded segment scans (see digitRunPairs): bit n of `single` set when a match's
 * only digit run can have n digits, and per first-run length, the second run's lengths.
 */
export interface RunPairs {
  single: number
  next: Uint32Array
}

/**
 * The pattern's RunPairs, null when unknown. Computed on first use, by scans of big texts only (the
 * automata take ~0.1 ms a pattern, which small texts and registry loads need not pay).
 */
export function runPairs(p: CompiledPattern): RunPairs | null {
  if (p.runsMemo !== undefined) return p.runsMemo
  const info = p.info
  const windowed = p.plan.kind === 'segments' || p.plan.kind === 'digits'
  const r = windowed && info?.digitBounded && info.maxDigits <= 64 ? digitRunPairs(p.def.pattern, p.def.flags ?? '') : null
  return (p.runsMemo = r ? { single: singleRuns(r.next), next: r.next } : null)
}

/**
 * Per digit run, which chars stand 1..4 before it (TextIndex.runFacts): bit d - 1 for an upper-case
 * ASCII letter at distance d, bit 3 + d for a lower-case one.
 */
export function leadMask(info: RegexInfo | null): number {
  // a match's first digit starts a run r, and the match starts at r - d, d in lead.min..lead.max,
  // with a char of firstSet: when those are letters, a letter stands d before r
  if (!info || !info.lead || info.lead.min < 1 || info.lead.max > 4 || info.firstNonAscii) return 0
  let upper = false
  let lower = false
  for (let c = 0; c < 128; c++) {
    if (!info.firstSet[c]) continue
    if (c >= 65 && c <= 90) upper = true
    else if (c >= 97 && c <= 122) lower = true
    else return 0
  }
  let mask = 0
  for (let d = info.lead.min; d <= info.lead.max; d++) mask |= (upper ? 1 << (d - 1) : 0) | (lower ? 1 << (3 + d) : 0)
  return mask
}

/** The lengths n whose first run may be a match's only one (bit 0 of next[n]). */
function singleRuns(next: Uint32Array): number {
  let m = 0
  for (let n = 1; n <= RUN_CAP; n++) if (next[n] & 1) m |= 1 << n
  return m >>> 0
}

/** A RegExp character class body for an ASCII bitmap. */
export function classSource(set: Uint8Array): string {
  let out = ''
  for (let c = 0; c < 128; c++) {
    if (!set[c]) continue
    let d = c
    while (d + 1 < 128 && set[d + 1]) d++
    const esc = (x: number) => '\\x' + x.toString(16).padStart(2, '0')
    out += d - c >= 2 ? `${esc(c)}-${esc(d)}` : d === c ? esc(c) : esc(c) + esc(d)
    c = d
  }
  return out
}

/** Bits a..b (0 ≤ a ≤ b ≤ 31) of a 32-bit word. */
function bitRange(a: number, b: number): number {
  return ((b >= 31 ? -1 : (1 << (b + 1)) - 1) & ~((1 << a) - 1)) | 0
}

/** The first word of `TextIndex.sumMasks` bits for digit counts minD..maxD (sums 1..31); all bits when a match may hold no digit. */
export function sumBitsLo(minD: number, maxD: number): number {
  if (minD < 1) return -1
  return minD > 31 ? 0 : bitRange(minD, Math.min(31, maxD))
}

/** The second word: sums 32..62 at bit s - 32, and bit 31 (sums ≥ 63) when maxD reaches 63. */
export function sumBitsHi(minD: number, maxD: number): number {
  if (minD < 1) return -1
  let m = maxD >= 32 && minD <= 62 ? bitRange(Math.max(32, minD) - 32, Math.min(62, maxD) - 32) : 0
  if (maxD >= 63) m |= 1 << 31
  return m
}

const NO_CHARS = new Uint8Array(128)

/**
 * Every plan object gets the same fields in the same order: the scanner reads `plan.kind` of all
 * patterns at one site, and six object shapes there would make each read a slow megamorphic lookup.
 */
function uniform<P extends ScanPlan>(p: P): P {
  const base = { kind: p.kind, family: -1, seedClass: null, runClass: '', charset: NO_CHARS, nonAscii: false, key: '', offset: -1 }
  return Object.assign(base, p) as unknown as P
}

/** Longest match a windowed plan (digit clusters, non-ASCII windows) is used for. */
export const MAX_WINDOW_LEN = 256
const MAX_CTX = 32

export function compilePattern(
  namespace: string,
  def: PatternDef,
  file: string,
): { ok: true; pattern: CompiledPattern } | { ok: false; field: string; message: string } {
  const flags = def.flags ?? ''
  let regex: RegExp
  let whole: RegExp
  try {
    regex = new RegExp(def.pattern, flags + 'g')
    whole = new RegExp(`^(?:${def.pattern})$`, flags.replace('m', ''))
  } catch (e) {
    return { ok: false, field: 'pattern', message: `invalid regular expression: ${(e as Error).message}` }
  }
  if (regex.test('')) {
    return { ok: false, field: 'pattern', message: 'pattern matches the empty string' }
  }
  const info = analyzeRegex(def.pattern, flags)
  let plan: ScanPlan = { kind: 'full' }
  const windowable =
    !!info &&
    !info.anchored &&
    !info.hasBackref &&
    info.maxLen <= MAX_WINDOW_LEN &&
    info.lookaround <= MAX_CTX &&
    info.minDigits >= 1 &&
    !flags.includes('m')
  if (windowable && info) {
    let fam = -1
    if (!info.charsetNonAscii) {
      for (let f = 0; f < FAMILY_SETS.length; f++) {
        let ok = true
        for (let c = 0; c < 128; c++) {
          if (info.charset[c] && !FAMILY_SETS[f][c]) {
            ok = false
            break
          }
        }
        if (ok) {
          fam = f
          break
        }
      }
    }
    plan = fam >= 0 ? { kind: 'segments', family: fam } : { kind: 'digits' }
  }
  const runnable =
    !!info &&
    !info.anchored &&
    !info.hasBackref &&
    info.lookaround <= MAX_CTX &&
    !flags.includes('m') &&
    info.minLen >= 2
  if (info && runnable && plan.kind !== 'segments') {
    // Runs of the pattern's own characters; useless when the charset covers nearly everything.
    let size = 0
    for (let c = 0; c < 128; c++) size += info.charset[c]
    const hasSpace = info.charset[32] === 1 || info.charset[10] === 1
    // Seeds: first characters of required punctuation-led literals ('@', ':', '/'), which are rare
    // in prose; otherwise runs are found with one regex [charset]{minLen,}.
    const lits = info.requiredLiterals
    let seedClass: string | null = null
    if (lits && lits.every((l) => /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(l))) {
      const seed = new Uint8Array(128)
      for (const l of lits) seed[l.charCodeAt(0)] = 1
      seedClass = classSource(seed)
    }
    const fam = info.charsetNonAscii || info.minLen < LONG_RUN ? -1 : RUN_FAMILY_SETS.findIndex((f) => subsetOf(info.charset, f))
    // literals of 3+ chars, an '@', or 2+ chars with a non-ASCII one (rare outside their own script)
    if (lits && !hasSpace && lits.every((l) => l.length >= 3 || l.includes('@') || (l.length >= 2 && /[\u0080-\uffff]/.test(l)))) {
      plan = { kind: 'litruns', charset: info.charset, nonAscii: info.charsetNonAscii }
    } else if (fam >= 0 && seedClass === null) plan = { kind: 'famruns', family: fam }
    else if ((size < 90 || seedClass !== null) && !hasSpace) {
      const runClass = classSource(info.charset) + (info.charsetNonAscii ? '\\u0080-\\uffff' : '')
      plan = {
        kind: 'runs',
        seedClass,
        runClass,
        charset: info.charset,
        nonAscii: info.charsetNonAscii,
        key: `${seedClass}|${runClass}|${info.minLen}`,
      }
    }
  }
  if (
    plan.kind === 'full' &&
    info &&
    info.requiredLiterals &&
    Number.isFinite(info.maxLen) &&
    !info.anchored &&
    !info.hasBackref &&
    info.lookaround <= MAX_CTX &&
    !flags.includes('m')
  ) {
    plan = { kind: 'litwin' }
  }
  const ci = flags.includes('i')
  if (plan.kind === 'litwin' && info && info.anchor && (ci || (info.requiredLiterals?.length ?? 0) > 1)) {
    // Finding any of several (case-insensitive) keywords costs a slow alternation pass over the
    // text; one rare punctuation char that every match holds (generic_secret's = or :) is cheaper.
    plan = { kind: 'anchor', runClass: classSource(info.anchor.set), offset: info.anchor.maxOff }
  }
  const keywords = (def.context?.keywords ?? []).map((k) => k.toLowerCase())
  return {
    ok: true,
    pattern: {
      fullId: `${namespace}/${def.id}`,
      namespace,
      id: def.id,
      file,
      def,
      category: def.category,
      severity: def.policy.severity,
      severityRank: SEVERITY_RANK[def.policy.severity],
      action: def.policy.action_on_match,
      storeRaw: def.policy.store_raw,
      regex,
      sticky: new RegExp(def.pattern, flags + 'y'),
      whole,
      info,
      plan: uniform(plan),
      literals: info?.requiredLiterals ?? null,
      caseInsensitive: ci,
      keywords,
      keywordRe: keywordRegexFor(keywords),
      keywordsRequired: !!def.context?.required && keywords.length > 0,
      window: def.context?.window ?? 50,
      verification: def.verification,
      ctx: Math.min(MAX_CTX, Math.max(2, info?.lookaround ?? MAX_CTX)),
      sumLo: info ? sumBitsLo(info.minDigits, info.maxDigits) : -1,
      sumHi: info ? sumBitsHi(info.minDigits, info.maxDigits) : -1,
      leadMask: leadMask(info),
      // present from the start (filled on the first big scan), so every pattern keeps one object shape
      runsMemo: undefined,
    },
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function keywordRegexFor(keywords: string[]): RegExp | null {
  if (keywords.length === 0) return null
  const alts = [...new Set(keywords)]
    .sort((a, b) => b.length - a.length)
    .map((k) => {
      const pre = /^[A-Za-z0-9]/.test(k) ? '(?<![A-Za-z0-9])' : ''
      const post = /[A-Za-z0-9]$/.test(k) ? '(?![A-Za-z0-9])' : ''
      return pre + escapeRe(k) + post
    })
  return new RegExp(alts.join('|'), 'gi')
}

/** A verifier's answer, normalised. */
export interface Verdict {
  valid: boolean
  confidence: number
}

/**
 * One scan's verdicts by verifier and value. Documents repeat their values (a letterhead's number
 * on every page, the FSF's ZIP code in each licence copy), and one libphonenumber parse costs
 * 10–30 µs; a verifier is a function of the value alone, so a repeat gets the same verdict.
 * Lives as long as one scan, so it holds no value past it. Used for big texts (GRAM_MIN chars and
 * up) and, where verification is lazy, for 64 or more pending candidates.
 */
export class VerdictMemo {
  private readonly byFn = new Map<Verifier, Map<string, Verdict>>()
  verify(fn: Verifier | undefined, value: string): Verdict {
    if (!fn) return runVerifier(fn, value)
    let seen = this.byFn.get(fn)
    if (!seen) this.byFn.set(fn, (seen = new Map()))
    let v = seen.get(value)
    if (v === undefined) seen.set(value, (v = runVerifier(fn, value)))
    return v
  }
}

/** Normalise a verifier's answer. */
export function runVerifier(fn: Verifier | undefined, value: string): Verdict {
  if (!fn) return { valid: true, confidence: 0.6 }
  let r
  try {
    r = fn(value)
  } catch {
    return { valid: false, confidence: 0 }
  }
  if (typeof r === 'boolean') return { valid: r, confidence: r ? 0.9 : 0.2 }
  const c = typeof r.confidence === 'number' && r.confidence >= 0 && r.confidence <= 1 ? r.confidence : r.valid ? 0.9 : 0.2
  return { valid: !!r.valid, confidence: c }
}

/** Whether the pattern's keyword regex matches entirely inside [start - window, end + window). */
export function keywordNearRe(text: string, start: number, end: number, re: RegExp, window: number, keywords: string[]): boolean {
  const a = Math.max(0, start - window)
  const b = Math.min(text.length, end + window)
  const s0 = a > 0 ? a - 1 : 0
  const s1 = b < text.length ? b + 1 : b
  const sub = text.slice(s0, s1)
  re.lastIndex = a - s0
  const limit = b - s0
  let m: RegExpExecArray | null
  while ((m = re.exec(sub)) !== null) {
    if (m.index + m[0].length <= limit) return true
    if (m.index >= limit) return false
    // the longest keyword at this spot sticks out; a shorter one might fit: decide exactly
    return keywordNear(text, start, end, keywords, window)
  }
  return false
}

/** Lower case, char for char: 'İ' (lower-cased to two chars) stays, so offsets still point into the text. */
function lowerSameLength(s: string): string {
  const lower = s.toLowerCase()
  if (lower.length === s.length) return lower
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const l = s[i].toLowerCase()
    out += l.length === 1 ? l : s[i]
  }
  return out
}

/** Whether one of the (lower-cased) keywords occurs within `window` chars of [start, end). */
export function keywordNear(text: string, start: number, end: number, keywords: string[], window: number): boolean {
  if (keywords.length === 0) return false
  const a = Math.max(0, start - window)
  const b = Math.min(text.length, end + window)
  const hay = lowerSameLength(text.slice(a, b))
  for (const kw of keywords) {
    let from = 0
    for (;;) {
      const i = hay.indexOf(kw, from)
      if (i < 0) break
      // ASCII keywords must stand as words ("ssn" must not hit inside "classname").
      const first = kw.charCodeAt(0)
      const last = kw.charCodeAt(kw.length - 1)
      // boundaries are judged on the real text, also at the window's edges
      const before = a + i > 0 ? text.charCodeAt(a + i - 1) : 32
      const after = a + i + kw.length < text.length ? text.charCodeAt(a + i + kw.length) : 32
      const okBefore = !isAsciiAlnum(first) || !isAsciiAlnum(before)
      const okAfter = !isAsciiAlnum(last) || !isAsciiAlnum(after)
      if (okBefore && okAfter) return true
      from = i + 1
    }
  }
  return false
}
