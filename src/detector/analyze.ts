/**
 * A small analyser for JavaScript regular expression sources, used to build cheap prefilters.
 *
 * It computes, conservatively, for every match of a pattern:
 *  - minLen / maxLen (UTF-16 units; Infinity when unbounded),
 *  - minDigits: how many ASCII digits every match must consume,
 *  - requiredLiterals: a set of literal strings one of which every match contains (or null),
 *  - lookaround: the longest distance a lookaround/word boundary can look outside the match,
 *  - anchored: whether ^ or $ appear (windowed scanning would change their meaning).
 * On any syntax it does not understand it returns `null` and the engine falls back to a full scan.
 */

type Node =
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'set'; ascii: Uint8Array; nonAscii: boolean; lit?: string }
  | { t: 'group'; child: Node }
  | { t: 'look'; child: Node; behind: boolean; neg: boolean }
  | { t: 'quant'; child: Node; min: number; max: number }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' }
  | { t: 'backref' }

export interface RegexInfo {
  minLen: number
  maxLen: number
  minDigits: number
  requiredLiterals: string[] | null
  lookaround: number
  anchored: boolean
  hasBackref: boolean
  /** Union of the characters a match can consume (ASCII bitmap) and whether non-ASCII ones can occur. */
  charset: Uint8Array
  charsetNonAscii: boolean
  /** Most digits a match can consume (Infinity when unbounded). */
  maxDigits: number
  /**
   * Every match is preceded and followed by a non-digit (or text edge), through lookarounds or \b,
   * so a match always covers whole runs of digits.
   */
  digitBounded: boolean
  /** Likewise for ASCII letters and digits: a match never has one right before or after it. */
  alnumBounded: boolean
  /** How many non-ASCII chars every match must consume (a text without any cannot match). */
  minNonAscii: number
  /** Characters a match can start with (ASCII bitmap) and whether non-ASCII ones can. */
  firstSet: Uint8Array
  firstNonAscii: boolean
  /**
   * A few punctuation chars, rare in prose, one of which every match holds at most `maxOff` chars
   * after its start (generic_secret's `=` or `:`), or null.
   */
  anchor: { set: Uint8Array; maxOff: number } | null
  /**
   * How many chars every match that holds an ASCII digit consumes before its first one:
   * lead.min..lead.max, or null when unbounded. With lead.min ≥ 1 the first digit starts a digit
   * run r, and the match starts in [r - max, r - min] with a char of firstSet.
   */
  lead: { min: number; max: number } | null
  /** Which digits (bit d for d) a match's first ASCII digit can be: 0x3ff when any. */
  firstDigits: number
  /**
   * Strings (lower-case, at least 3 chars, none starting another) one of which every match starts
   * with, case-insensitively; per string the ASCII chars that may follow it (null: any); and what
   * may not come before a match: 'alnum' (an ASCII letter or digit), 'letter' (an ASCII letter) or
   * null (anything may); or null.
   */
  leads: { lits: string[]; next: (Uint8Array | null)[]; edge: 'alnum' | 'letter' | null } | null
}

/** Digit runs are counted up to this long (31 stands for 31 or more). */
export const RUN_CAP = 31
/** Thompson automata bigger than this are not built (digitRunPairs gives null). */
const NFA_MAX_STATES = 20000

/**
 * A Thompson automaton of a regex over two symbols, ASCII digit (bit 1) and anything else (bit 2).
 * Lookarounds and assertions become empty moves, so it accepts a superset of the regex's matches
 * (all a conservative filter needs).
 */
class DigitNfa {
  eps: number[][] = []
  /** Per state: [symbol mask, target]* */
  moves: number[][] = []

  state(): number {
    if (this.eps.length >= NFA_MAX_STATES) throw new ParseError('automaton too big')
    this.eps.push([])
    this.moves.push([])
    return this.eps.length - 1
  }

  /** Adds n's automaton from state `from`; returns its end state. */
  build(n: Node, from: number): number {
    switch (n.t) {
      case 'set': {
        const mask = (mayBeDigit(n) ? 1 : 0) | (mayBeOther(n) ? 2 : 0)
        const to = this.state()
        if (mask) this.moves[from].push(mask, to)
        return to
      }
      case 'group':
        return this.build(n.child, from)
      case 'seq': {
        let at = from
        for (const it of n.items) at = this.build(it, at)
        return at
      }
      case 'alt': {
        const to = this.state()
        for (const a of n.alts) this.eps[this.build(a, from)].push(to)
        return to
      }
      case 'quant': {
        let at = from
        for (let k = 0; k < n.min; k++) at = this.build(n.child, at)
        if (n.max === Infinity) {
          const loop = this.state()
          this.eps[at].push(loop)
          this.eps[this.build(n.child, loop)].push(loop)
          return loop
        }
        const to = this.state()
        for (let k = n.min; k < n.max; k++) {
          this.eps[at].push(to)
          at = this.build(n.child, at)
        }
        this.eps[at].push(to)
        return to
      }
      case 'backref':
        throw new ParseError('back-reference')
      default:
        return from
    }
  }
}

/**
 * The lengths of the first two digit runs a match can have: per length n of its first run (bit n of
 * `first`), the lengths m of its second (bit m of `next[n]`; bit 0 when there may be no second run).
 * Lengths are capped at RUN_CAP. In a digit-bounded match every run is a whole run of the text, so
 * segment scans skip runs no match can start with. Null when unknown (back-references, automata
 * too big, syntax the parser does not know). Only for short digit-bounded patterns (segment plans).
 */
export function digitRunPairs(source: string, flags: string): { first: number; next: Uint32Array } | null {
  try {
    unicodeMode = flags.includes('u')
    litCaseInsensitive = flags.includes('i')
    const next = runPairsOf(new Parser(source, flags.includes('i'), flags.includes('s')).parse())
    if (!next) return null
    let first = 0
    for (let n = 1; n <= RUN_CAP; n++) if (next[n] !== 0) first |= 1 << n
    return { first: first >>> 0, next }
  } catch {
    return null
  }
}

/**
 * digitRunPairs' `next` of a parsed regex (null when the automaton is not built). Two walks over
 * (automaton state, digits counted): up to the end of the first run, then, per first-run length,
 * on from the states right after it to the end of the second run.
 */
function runPairsOf(ast: Node): Uint32Array | null {
  const nfa = new DigitNfa()
  const start = nfa.state()
  let accept: number
  try {
    accept = nfa.build(ast, start)
  } catch {
    return null
  }
  const n = nfa.eps.length
  const pairs = new Uint32Array(RUN_CAP + 1)
  /** Per first-run length, the states just after the non-digit that ended it. */
  const after: Array<number[] | undefined> = []
  const seen = new Uint8Array(n * (RUN_CAP + 1))
  const stack: number[] = []
  /**
   * From (state, count) items on the stack (count 0: no digit yet): calls onEnd(count, state) where
   * a non-digit ends the run, onEnd(count, -1) where the match ends inside it.
   */
  const walk = (onEnd: (count: number, s: number) => void) => {
    while (stack.length) {
      const c = stack.pop() as number
      const s = stack.pop() as number
      if (s === accept && c > 0) onEnd(c, -1)
      for (const t of nfa.eps[s]) visit(t, c)
      const mv = nfa.moves[s]
      for (let i = 0; i < mv.length; i += 2) {
        if (mv[i] & 1) visit(mv[i + 1], Math.min(c + 1, RUN_CAP))
        if (mv[i] & 2) {
          if (c === 0) visit(mv[i + 1], 0)
          else onEnd(c, mv[i + 1])
        }
      }
    }
  }
  const visit = (s: number, c: number) => {
    const k = s * (RUN_CAP + 1) + c
    if (seen[k]) return
    seen[k] = 1
    stack.push(s, c)
  }
  visit(start, 0)
  walk((len, s) => {
    if (s < 0) pairs[len] |= 1
    else (after[len] ??= []).push(s)
  })
  for (let first = 1; first <= RUN_CAP; first++) {
    const from = after[first]
    if (!from) continue
    seen.fill(0)
    for (const s of from) visit(s, 0)
    // where a second run ends
    walk((len) => (pairs[first] |= 1 << len))
    // or the match ends with no second run: the end reached without a further digit
    if (seen[accept * (RUN_CAP + 1)]) pairs[first] |= 1
  }
  return pairs
}

class ParseError extends Error {}

function emptySet(): Uint8Array {
  return new Uint8Array(128)
}
function range(set: Uint8Array, a: number, b: number): void {
  for (let c = a; c <= b && c < 128; c++) set[c] = 1
}
function digitSet(): Uint8Array {
  const s = emptySet()
  range(s, 48, 57)
  return s
}
function wordSet(): Uint8Array {
  const s = emptySet()
  range(s, 48, 57)
  range(s, 65, 90)
  range(s, 97, 122)
  s[95] = 1
  return s
}
function spaceSet(): Uint8Array {
  const s = emptySet()
  for (const c of [9, 10, 11, 12, 13, 32]) s[c] = 1
  return s
}
function complement(s: Uint8Array): Uint8Array {
  const r = emptySet()
  for (let i = 0; i < 128; i++) r[i] = s[i] ? 0 : 1
  return r
}

class Parser {
  private i = 0
  hasBackref = false
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
    private readonly dotAll: boolean,
  ) {}

  parse(): Node {
    const n = this.parseAlt()
    if (this.i < this.src.length) throw new ParseError(`unexpected ${this.src[this.i]}`)
    return n
  }

  private peek(): string | undefined {
    return this.src[this.i]
  }

  private parseAlt(): Node {
    const alts: Node[] = [this.parseSeq()]
    while (this.peek() === '|') {
      this.i++
      alts.push(this.parseSeq())
    }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts }
  }

  private parseSeq(): Node {
    const items: Node[] = []
    while (this.i < this.src.length) {
      const c = this.peek()
      if (c === '|' || c === ')') break
      let atom = this.parseAtom()
      atom = this.parseQuant(atom)
      items.push(atom)
    }
    return { t: 'seq', items }
  }

  private parseQuant(atom: Node): Node {
    const c = this.peek()
    let min: number
    let max: number
    if (c === '*') {
      min = 0
      max = Infinity
      this.i++
    } else if (c === '+') {
      min = 1
      max = Infinity
      this.i++
    } else if (c === '?') {
      min = 0
      max = 1
      this.i++
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))
      if (!m) return atom // literal "{" (annex B); treat as literal via parseAtom next time
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
      this.i += m[0].length
    } else return atom
    if (this.peek() === '?') this.i++ // lazy
    if (atom.t === 'assert' || atom.t === 'look') return atom
    return { t: 'quant', child: atom, min, max }
  }

  private lit(ch: string): Node {
    const s = emptySet()
    const code = ch.charCodeAt(0)
    let nonAscii = false
    if (code < 128) {
      s[code] = 1
      if (this.ignoreCase) {
        const lo = ch.toLowerCase().charCodeAt(0)
        const up = ch.toUpperCase().charCodeAt(0)
        if (lo < 128) s[lo] = 1
        if (up < 128) s[up] = 1
        // with i and u flags, K and S fold to non-ASCII characters (U+212A, U+017F)
        if (/[ks]/i.test(ch)) nonAscii = true
      }
    } else nonAscii = true
    return { t: 'set', ascii: s, nonAscii, lit: ch }
  }

  private parseAtom(): Node {
    const c = this.src[this.i++]
    switch (c) {
      case '(':
        return this.parseGroup()
      case '[':
        return this.parseClass()
      case '.': {
        const s = complement(emptySet())
        if (!this.dotAll) {
          s[10] = 0
          s[13] = 0
        }
        return { t: 'set', ascii: s, nonAscii: true }
      }
      case '^':
        return { t: 'assert', kind: '^' }
      case '$':
        return { t: 'assert', kind: '$' }
      case '\\':
        return this.parseEscape(false) as Node
      case '*':
      case '+':
      case '?':
        throw new ParseError('nothing to repeat')
      default:
        return this.lit(c)
    }
  }

  private parseGroup(): Node {
    let kind: 'cap' | 'look' = 'cap'
    let behind = false
    let neg = false
    if (this.src.startsWith('?:', this.i)) this.i += 2
    else if (this.src.startsWith('?=', this.i)) {
      this.i += 2
      kind = 'look'
    } else if (this.src.startsWith('?!', this.i)) {
      this.i += 2
      kind = 'look'
      neg = true
    } else if (this.src.startsWith('?<=', this.i)) {
      this.i += 3
      kind = 'look'
      behind = true
    } else if (this.src.startsWith('?<!', this.i)) {
      this.i += 3
      kind = 'look'
      behind = true
      neg = true
    } else if (this.src.startsWith('?<', this.i)) {
      const end = this.src.indexOf('>', this.i)
      if (end < 0) throw new ParseError('bad group name')
      this.i = end + 1
    } else if (this.peek() === '?') throw new ParseError('unsupported group')
    const child = this.parseAlt()
    if (this.src[this.i++] !== ')') throw new ParseError('unclosed group')
    return kind === 'look' ? { t: 'look', child, behind, neg } : { t: 'group', child }
  }

  /** Returns a Node for escapes outside classes; inside classes returns a set node or a code point. */
  private parseEscape(inClass: boolean): Node | number {
    const c = this.src[this.i++]
    if (c === undefined) throw new ParseError('trailing backslash')
    const set = (ascii: Uint8Array, nonAscii: boolean): Node => ({ t: 'set', ascii, nonAscii })
    switch (c) {
      case 'd':
        return set(digitSet(), false)
      case 'D':
        return set(complement(digitSet()), true)
      case 'w': {
        // with i+u, \w matches U+017F and U+212A
        return set(wordSet(), this.ignoreCase)
      }
      case 'W':
        return set(complement(wordSet()), true)
      case 's':
        return set(spaceSet(), true)
      case 'S':
        return set(complement(spaceSet()), true)
      case 'b':
        if (inClass) return 8
        return { t: 'assert', kind: 'b' }
      case 'B':
        return { t: 'assert', kind: 'B' }
      case 'p':
      case 'P': {
        const m = /^\{[^}]*\}/.exec(this.src.slice(this.i))
        if (m) this.i += m[0].length
        return set(complement(emptySet()), true)
      }
      case 'k': {
        const m = /^<[^>]*>/.exec(this.src.slice(this.i))
        if (m) this.i += m[0].length
        this.hasBackref = true
        return { t: 'backref' }
      }
      case 'u': {
        let m = /^\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.i))
        if (!m) m = /^([0-9a-fA-F]{4})/.exec(this.src.slice(this.i))
        if (!m) return inClass ? 117 : this.lit('u')
        this.i += m[0].length
        const cp = parseInt(m[1], 16)
        return inClass ? cp : this.lit(String.fromCodePoint(cp))
      }
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i))
        if (!m) return inClass ? 120 : this.lit('x')
        this.i += 2
        const cp = parseInt(m[0], 16)
        return inClass ? cp : this.lit(String.fromCharCode(cp))
      }
      case 'c': {
        const l = this.src[this.i]
        if (l && /[A-Za-z]/.test(l)) {
          this.i++
          const cp = l.charCodeAt(0) % 32
          return inClass ? cp : this.lit(String.fromCharCode(cp))
        }
        return inClass ? 92 : this.lit('\\')
      }
      case 'n':
        return inClass ? 10 : this.lit('\n')
      case 'r':
        return inClass ? 13 : this.lit('\r')
      case 't':
        return inClass ? 9 : this.lit('\t')
      case 'v':
        return inClass ? 11 : this.lit('\v')
      case 'f':
        return inClass ? 12 : this.lit('\f')
      case '0':
        return inClass ? 0 : this.lit('\0')
      default:
        if (/[1-9]/.test(c)) {
          if (inClass) throw new ParseError('backref in class')
          while (/[0-9]/.test(this.peek() ?? '')) this.i++
          this.hasBackref = true
          return { t: 'backref' }
        }
        return inClass ? c.charCodeAt(0) : this.lit(c)
    }
  }

  private parseClass(): Node {
    let neg = false
    if (this.peek() === '^') {
      neg = true
      this.i++
    }
    const s = emptySet()
    let nonAscii = false
    let first = true
    const addCp = (cp: number) => {
      if (cp < 128) {
        s[cp] = 1
        if (this.ignoreCase) {
          const ch = String.fromCharCode(cp)
          const lo = ch.toLowerCase().charCodeAt(0)
          const up = ch.toUpperCase().charCodeAt(0)
          if (lo < 128) s[lo] = 1
          if (up < 128) s[up] = 1
          if (/[ks]/i.test(ch)) nonAscii = true
        }
      } else nonAscii = true
    }
    for (;;) {
      if (this.i >= this.src.length) throw new ParseError('unclosed class')
      let c = this.src[this.i]
      if (c === ']' && !first) {
        this.i++
        break
      }
      if (c === ']' && first) {
        // "[]" matches nothing; "[^]" matches anything
        this.i++
        break
      }
      first = false
      let lo: number
      if (c === '\\') {
        this.i++
        const e = this.parseEscape(true)
        if (typeof e !== 'number') {
          const es = e as { ascii: Uint8Array; nonAscii: boolean }
          for (let k = 0; k < 128; k++) if (es.ascii[k]) s[k] = 1
          if (es.nonAscii) nonAscii = true
          continue
        }
        lo = e
      } else {
        const cp = this.src.codePointAt(this.i) as number
        this.i += cp > 0xffff ? 2 : 1
        lo = cp
      }
      c = this.src[this.i]
      if (c === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++
        let hi: number
        if (this.src[this.i] === '\\') {
          this.i++
          const e = this.parseEscape(true)
          if (typeof e !== 'number') throw new ParseError('class range with class escape')
          hi = e
        } else {
          hi = this.src.codePointAt(this.i) as number
          this.i += hi > 0xffff ? 2 : 1
        }
        for (let cp = lo; cp <= Math.min(hi, 127); cp++) addCp(cp)
        if (hi >= 128) nonAscii = true
      } else addCp(lo)
    }
    if (neg) return { t: 'set', ascii: complement(s), nonAscii: true }
    return { t: 'set', ascii: s, nonAscii }
  }
}

function isDigitOnly(n: Extract<Node, { t: 'set' }>): boolean {
  if (n.nonAscii) return false
  let any = false
  for (let i = 0; i < 128; i++) {
    if (!n.ascii[i]) continue
    if (i < 48 || i > 57) return false
    any = true
  }
  return any
}

type SetNode = Extract<Node, { t: 'set' }>

/** Least total over the strings a node can match, each character counting `weight` of its class. */
function minCount(n: Node, weight: (s: SetNode) => number): number {
  switch (n.t) {
    case 'seq':
      return n.items.reduce((a, x) => a + minCount(x, weight), 0)
    case 'alt':
      return Math.min(...n.alts.map((x) => minCount(x, weight)))
    case 'set':
      return weight(n)
    case 'group':
      return minCount(n.child, weight)
    case 'quant':
      return n.min === 0 ? 0 : minCount(n.child, weight) * n.min
    default:
      return 0
  }
}

/** Greatest such total; Infinity when unbounded (a backreference can repeat anything). */
function maxCount(n: Node, weight: (s: SetNode) => number): number {
  switch (n.t) {
    case 'seq':
      return n.items.reduce((a, x) => a + maxCount(x, weight), 0)
    case 'alt':
      return Math.max(...n.alts.map((x) => maxCount(x, weight)))
    case 'set':
      return weight(n)
    case 'group':
      return maxCount(n.child, weight)
    case 'quant': {
      const m = maxCount(n.child, weight)
      if (m === 0) return 0
      return n.max === Infinity ? Infinity : m * n.max
    }
    case 'backref':
      return Infinity
    default:
      return 0
  }
}

let unicodeMode = false

const minLen = (n: Node): number => minCount(n, () => 1)
// a class may match a surrogate pair in u-mode
const maxLen = (n: Node): number => maxCount(n, (s) => (unicodeMode && s.nonAscii ? 2 : 1))
const minDigits = (n: Node): number => minCount(n, (s) => (isDigitOnly(s) ? 1 : 0))

function mayBeDigit(n: SetNode): boolean {
  for (let i = 48; i <= 57; i++) if (n.ascii[i]) return true
  return false
}

/** Whether the set holds a char other than an ASCII digit. */
function mayBeOther(n: SetNode): boolean {
  return n.nonAscii || n.ascii.some((b, c) => b === 1 && (c < 48 || c > 57))
}

const maxDigits = (n: Node): number => maxCount(n, (s) => (mayBeDigit(s) ? 1 : 0))

function forbidsDigits(look: Extract<Node, { t: 'look' }>): boolean {
  // (?<!X) / (?!X) where X is a single class that contains every digit
  return look.neg && matchesAnyOf(look.child, 48, 57)
}

/** (?<!X) / (?!X) where X matches every ASCII letter on its own. */
function forbidsLetters(look: Extract<Node, { t: 'look' }>): boolean {
  return look.neg && matchesAnyOf(look.child, 65, 90) && matchesAnyOf(look.child, 97, 122)
}

/** (?<!X) / (?!X) where X matches every ASCII letter and digit on its own. */
function forbidsAlnum(look: Extract<Node, { t: 'look' }>): boolean {
  return look.neg && matchesAnyOf(look.child, 48, 57) && matchesAnyOf(look.child, 65, 90) && matchesAnyOf(look.child, 97, 122)
}

/** Whether n can match, on its own, any single character of the range lo..hi. */
function matchesAnyOf(n: Node, lo: number, hi: number): boolean {
  switch (n.t) {
    case 'group':
      return matchesAnyOf(n.child, lo, hi)
    case 'alt':
      return n.alts.some((a) => matchesAnyOf(a, lo, hi))
    case 'set':
      for (let i = lo; i <= hi; i++) if (!n.ascii[i]) return false
      return true
    case 'quant':
      return n.max >= 1 && n.min <= 1 && matchesAnyOf(n.child, lo, hi)
    case 'seq': {
      // exactly one non-nullable item that matches; the rest optional
      let found = false
      for (const x of n.items) {
        if (x.t === 'assert' || x.t === 'look') return false
        if (minLen(x) === 0) continue
        if (found || !matchesAnyOf(x, lo, hi)) return false
        found = true
      }
      return found
    }
    default:
      return false
  }
}

function isWordOnly(n: Node | undefined): boolean {
  if (!n) return false
  let c: Node = n
  while (c.t === 'group' || (c.t === 'quant' && c.min >= 1)) c = c.child
  if (c.t === 'seq') return c.items.length > 0 && isWordOnly(c.items[0])
  if (c.t === 'alt') return c.alts.every(isWordOnly)
  if (c.t !== 'set' || c.nonAscii) return false
  for (let i = 0; i < 128; i++) {
    if (!c.ascii[i]) continue
    const w = (i >= 48 && i <= 57) || (i >= 65 && i <= 90) || (i >= 97 && i <= 122) || i === 95
    if (!w) return false
  }
  return true
}

type Forbids = (look: Extract<Node, { t: 'look' }>) => boolean

/** Whether every match is preceded by a char the lookbehind forbids (or a \b before word chars, which forbids letters and digits too). */
function leftBounded(n: Node, forbids: Forbids): boolean {
  if (n.t === 'group') return leftBounded(n.child, forbids)
  if (n.t === 'alt') return n.alts.every((x) => leftBounded(x, forbids))
  if (n.t !== 'seq' || n.items.length === 0) return false
  const [a, b] = n.items
  if (a.t === 'look' && a.behind && forbids(a)) return true
  if (a.t === 'assert' && a.kind === 'b' && isWordOnly(b)) return true
  if (a.t === 'group' || a.t === 'alt') return leftBounded(a, forbids)
  return false
}

function rightBounded(n: Node, forbids: Forbids): boolean {
  if (n.t === 'group') return rightBounded(n.child, forbids)
  if (n.t === 'alt') return n.alts.every((x) => rightBounded(x, forbids))
  if (n.t !== 'seq' || n.items.length === 0) return false
  const z = n.items[n.items.length - 1]
  const y = n.items[n.items.length - 2]
  if (z.t === 'look' && !z.behind && forbids(z)) return true
  if (z.t === 'assert' && z.kind === 'b' && isWordOnlyEnd(y)) return true
  if (z.t === 'group' || z.t === 'alt') return rightBounded(z, forbids)
  return false
}

function isWordOnlyEnd(n: Node | undefined): boolean {
  if (!n) return false
  let c: Node = n
  while (c.t === 'group' || (c.t === 'quant' && c.min >= 1)) c = c.child
  if (c.t === 'seq') return c.items.length > 0 && isWordOnlyEnd(c.items[c.items.length - 1])
  if (c.t === 'alt') return c.alts.every(isWordOnlyEnd)
  return isWordOnly(c)
}

function lookaround(n: Node): number {
  switch (n.t) {
    case 'seq':
      return Math.max(0, ...n.items.map(lookaround))
    case 'alt':
      return Math.max(0, ...n.alts.map(lookaround))
    case 'group':
    case 'quant':
      return lookaround(n.child)
    case 'look':
      return Math.max(maxLen(n.child), lookaround(n.child))
    case 'assert':
      return n.kind === 'b' || n.kind === 'B' ? 2 : 0
    default:
      return 0
  }
}

function anchored(n: Node): boolean {
  switch (n.t) {
    case 'seq':
      return n.items.some(anchored)
    case 'alt':
      return n.alts.some(anchored)
    case 'group':
    case 'quant':
    case 'look':
      return anchored(n.child)
    case 'assert':
      return n.kind === '^' || n.kind === '$'
    default:
      return false
  }
}

let litCaseInsensitive = false

function product(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > 64) return null
  const out: string[] = []
  for (const x of a) for (const y of b) out.push(x + y)
  return [...new Set(out)]
}

/**
 * The few exact strings a node can match (zero-width assertions match ''), or null when there are
 * more than 16 or they are not fixed: small character classes (≤ 4 ASCII chars, case-sensitive
 * patterns only), literal chars, alternations and fixed repetitions of those.
 */
function exactLits(n: Node): string[] | null {
  switch (n.t) {
    case 'set': {
      if (n.lit !== undefined) return [n.lit]
      if (n.nonAscii || litCaseInsensitive) return null
      const out: string[] = []
      for (let c = 0; c < 128; c++) {
        if (!n.ascii[c]) continue
        if (out.length === 4) return null
        out.push(String.fromCharCode(c))
      }
      return out.length ? out : null
    }
    case 'assert':
    case 'look':
      return ['']
    case 'group':
      return exactLits(n.child)
    case 'seq': {
      let acc: string[] | null = ['']
      for (const it of n.items) {
        const e = exactLits(it)
        if (!e) return null
        acc = product(acc, e)
        if (!acc || acc.length > 16) return null
      }
      return acc
    }
    case 'alt': {
      const out = new Set<string>()
      for (const a of n.alts) {
        const e = exactLits(a)
        if (!e) return null
        for (const x of e) out.add(x)
        if (out.size > 16) return null
      }
      return [...out]
    }
    case 'quant': {
      if (n.min !== n.max || n.min > 4) return null
      const e = exactLits(n.child)
      if (!e) return null
      let acc: string[] | null = ['']
      for (let i = 0; i < n.min; i++) {
        acc = product(acc, e)
        if (!acc || acc.length > 16) return null
      }
      return acc
    }
    default:
      return null
  }
}

/** Most strings leadLits keeps while expanding. */
const MAX_LEADS = 32

/** A lead string and, once it is closed, which ASCII chars may follow it (null: any). */
type LeadLit = { s: string; open: boolean; next: Uint8Array | null }

/**
 * Strings one of which every match starts with (case as written; at most MAX_LEADS), read from the
 * start: literal chars, classes of at most 3 ASCII chars, optional and fixed repetitions of those,
 * groups and alternations; a string ends where anything else comes (an ASCII class there tells
 * what may follow it). Null when there are too many.
 */
function leadLits(n: Node): LeadLit[] | null {
  const close = (acc: LeadLit[], next: Uint8Array | null) => acc.map((l) => (l.open ? { s: l.s, open: false, next } : l))
  const go = (node: Node, acc: LeadLit[]): LeadLit[] | null => {
    if (!acc.some((l) => l.open)) return acc
    switch (node.t) {
      case 'assert':
      case 'look':
        return acc
      case 'set': {
        let chars: string[] | null = node.lit !== undefined ? [node.lit] : []
        if (node.lit === undefined) {
          for (let c = 0; c < 128 && chars; c++) if (node.ascii[c]) chars = chars.length < 3 ? [...chars, String.fromCharCode(c)] : null
          if (node.nonAscii || !chars || chars.length === 0) return close(acc, node.nonAscii ? null : node.ascii)
        }
        const out: LeadLit[] = []
        for (const l of acc) {
          if (!l.open) out.push(l)
          else for (const ch of chars) out.push({ s: l.s + ch, open: true, next: null })
        }
        return out.length > MAX_LEADS ? null : out
      }
      case 'group':
        return go(node.child, acc)
      case 'seq': {
        let cur: LeadLit[] | null = acc
        for (const it of node.items) if (!(cur = go(it, cur))) return null
        return cur
      }
      case 'alt': {
        const out = acc.filter((l) => !l.open)
        for (const a of node.alts) {
          const r = go(a, acc.filter((l) => l.open))
          if (!r) return null
          out.push(...r)
        }
        return out.length > MAX_LEADS ? null : out
      }
      case 'quant': {
        if (node.min === 0 && node.max === 1) {
          const r = go(node.child, acc.filter((l) => l.open))
          if (!r) return null
          const out = [...acc, ...r]
          return out.length > MAX_LEADS ? null : out
        }
        if (node.min === node.max && node.min <= 4) {
          let cur: LeadLit[] | null = acc
          for (let i = 0; i < node.min; i++) if (!(cur = go(node.child, cur))) return null
          return cur
        }
        // at least once: the first repetition, then anything
        const r = node.min >= 1 ? go(node.child, acc) : acc
        return r && close(r, null)
      }
      default:
        return close(acc, null)
    }
  }
  return go(n, [{ s: '', open: true, next: null }])
}

/** A copy of a set of ASCII chars with ch added (both cases of a letter). */
function withChar(set: Uint8Array, ch: string): Uint8Array {
  const out = set.slice()
  for (const c of [ch.toLowerCase(), ch.toUpperCase()]) if (c.length === 1 && c.charCodeAt(0) < 128) out[c.charCodeAt(0)] = 1
  return out
}

function leadsOf(ast: Node): RegexInfo['leads'] {
  const all = leadLits(ast)
  // at least 3 chars, or 2 starting with punctuation (rare in prose: '%B' of a card's track data)
  if (!all || all.some((l) => l.s.length < (/^[!-/:-@[-`{-~]/.test(l.s) ? 2 : 3))) return null
  // by lower-case string, what may follow it (null: anything), merged
  const next = new Map<string, Uint8Array | null>()
  for (const l of all) {
    const k = l.s.toLowerCase()
    const had = next.get(k)
    if (had === undefined) next.set(k, l.next)
    else if (had !== null) next.set(k, l.next ? had.map((b, c) => b | (l.next as Uint8Array)[c]) : null)
  }
  const strs = [...next.keys()]
  const lits = strs.filter((l) => !strs.some((m) => m !== l && l.startsWith(m)))
  // a dropped string continues a kept one: its next char may follow that one too
  for (const l of strs) {
    if (lits.includes(l)) continue
    const m = lits.find((x) => l.startsWith(x)) as string
    const set = next.get(m)
    if (set) next.set(m, withChar(set, l[m.length]))
  }
  const edge = leftBounded(ast, forbidsAlnum) ? 'alnum' : leftBounded(ast, forbidsLetters) ? 'letter' : null
  return { lits, next: lits.map((l) => next.get(l) ?? null), edge }
}

/** Literal runs that every match of `n` must contain (as a set of any-of alternatives), or null. */
function requiredLits(n: Node): string[] | null {
  switch (n.t) {
    case 'seq': {
      // Longest literal run made of mandatory single-character atoms.
      let best: string[] | null = null
      let run = ''
      const consider = (cand: string[] | null) => {
        if (!cand || cand.length === 0 || cand.length > 16) return
        const score = Math.min(...cand.map((s) => s.length))
        const bestScore = best ? Math.min(...best.map((s) => s.length)) : 0
        if (score > bestScore || (score === bestScore && best && cand.length < best.length)) best = cand
      }
      // Also: products of consecutive items that each match one of a few exact strings
      // ("gh" [us] "_" → ghu_, ghs_; "rk_" (?:live|test) "_" → rk_live_, rk_test_).
      let prod: string[] | null = null
      for (const item of n.items) {
        const it = item.t === 'group' ? item.child : item
        const ex = exactLits(it)
        if (ex) {
          prod = prod ? product(prod, ex) : ex
          if (prod && prod.length > 16) prod = ex.length <= 16 ? ex : null
        } else {
          if (prod && prod.some((x) => x.length > 0)) consider(prod)
          prod = null
        }
        if (it.t === 'set' && it.lit !== undefined) {
          run += it.lit
          continue
        }
        if (it.t === 'assert' || it.t === 'look') continue
        consider(run ? [run] : null)
        run = ''
        if (it.t === 'quant' && it.min >= 1) consider(requiredLits(it.child))
        else if (it.t !== 'quant') consider(requiredLits(it))
      }
      consider(run ? [run] : null)
      if (prod && prod.some((x) => x.length > 0)) consider(prod)
      return best
    }
    case 'alt': {
      const out: string[] = []
      for (const a of n.alts) {
        const r = requiredLits(a)
        if (!r) return null
        out.push(...r)
      }
      return out
    }
    case 'group':
      return requiredLits(n.child)
    case 'quant':
      return n.min >= 1 ? requiredLits(n.child) : null
    case 'set':
      return n.lit !== undefined ? [n.lit] : null
    default:
      return null
  }
}

function charsetOf(n: Node, acc: { ascii: Uint8Array; nonAscii: boolean }): void {
  switch (n.t) {
    case 'seq':
      for (const x of n.items) charsetOf(x, acc)
      return
    case 'alt':
      for (const x of n.alts) charsetOf(x, acc)
      return
    case 'group':
    case 'quant':
      charsetOf(n.child, acc)
      return
    case 'set':
      for (let i = 0; i < 128; i++) if (n.ascii[i]) acc.ascii[i] = 1
      if (n.nonAscii) acc.nonAscii = true
      return
    case 'backref':
      acc.nonAscii = true
      acc.ascii.fill(1)
      return
    default:
      return
  }
}

/** Adds the possible first characters of n to acc; returns whether n can match the empty string. */
function firstOf(n: Node, acc: { ascii: Uint8Array; nonAscii: boolean }): boolean {
  switch (n.t) {
    case 'seq':
      for (const x of n.items) if (!firstOf(x, acc)) return false
      return true
    case 'alt': {
      let nullable = false
      for (const x of n.alts) if (firstOf(x, acc)) nullable = true
      return nullable
    }
    case 'group':
      return firstOf(n.child, acc)
    case 'quant':
      return firstOf(n.child, acc) || n.min === 0
    case 'set':
      for (let i = 0; i < 128; i++) if (n.ascii[i]) acc.ascii[i] = 1
      if (n.nonAscii) acc.nonAscii = true
      return false
    case 'backref':
      acc.ascii.fill(1)
      acc.nonAscii = true
      return true
    default:
      return true
  }
}

/**
 * Chars a match consumes before its first ASCII digit, over the matches that hold one: lo..hi
 * (Infinity when the node cannot hold a digit); the digits that first digit can be (bit d for d);
 * and the length of the node's digit-free matches: zlo..zhi (zok false when every match holds a
 * digit; then what follows the node cannot hold the first digit).
 */
interface Lead {
  lo: number
  hi: number
  digits: number
  zok: boolean
  zlo: number
  zhi: number
}

function leadOf(n: Node): Lead {
  switch (n.t) {
    case 'set': {
      let digits = 0
      for (let d = 0; d < 10; d++) if (n.ascii[48 + d]) digits |= 1 << d
      return { lo: digits ? 0 : Infinity, hi: digits ? 0 : Infinity, digits, zok: mayBeOther(n), zlo: 1, zhi: 1 }
    }
    case 'group':
      return leadOf(n.child)
    case 'seq': {
      // the first digit lies in item i, every item before it matched digit-free
      let acc: Lead = { lo: Infinity, hi: -Infinity, digits: 0, zok: true, zlo: 0, zhi: 0 }
      for (const it of n.items) {
        if (!acc.zok) break
        const l = leadOf(it)
        if (l.lo !== Infinity) acc = { ...acc, lo: Math.min(acc.lo, acc.zlo + l.lo), hi: Math.max(acc.hi, acc.zhi + l.hi) }
        acc = { ...acc, digits: acc.digits | l.digits, zok: l.zok, zlo: acc.zlo + l.zlo, zhi: acc.zhi + l.zhi }
      }
      return acc.lo === Infinity ? { ...acc, hi: Infinity } : acc
    }
    case 'alt': {
      const ls = n.alts.map(leadOf)
      const dig = ls.filter((l) => l.lo !== Infinity)
      const free = ls.filter((l) => l.zok)
      return {
        lo: Math.min(...dig.map((l) => l.lo)),
        hi: dig.length ? Math.max(...dig.map((l) => l.hi)) : Infinity,
        digits: ls.reduce((m, l) => m | l.digits, 0),
        zok: free.length > 0,
        zlo: free.length ? Math.min(...free.map((l) => l.zlo)) : 0,
        zhi: free.length ? Math.max(...free.map((l) => l.zhi)) : 0,
      }
    }
    case 'quant': {
      const c = leadOf(n.child)
      const zok = n.min === 0 || c.zok
      const zlo = n.min === 0 ? 0 : n.min * c.zlo
      const zhi = c.zhi === 0 ? 0 : n.max * c.zhi
      if (c.lo === Infinity || n.max === 0) return { lo: Infinity, hi: Infinity, digits: 0, zok, zlo, zhi }
      // the first digit is in some repetition; the ones before it matched digit-free
      const hi = c.zok && c.zhi > 0 ? c.hi + (n.max - 1) * c.zhi : c.hi
      return { lo: c.lo, hi, digits: c.digits, zok, zlo, zhi }
    }
    case 'backref':
      return { lo: 0, hi: Infinity, digits: 0x3ff, zok: true, zlo: 0, zhi: Infinity }
    default:
      // assertions and lookarounds consume nothing
      return { lo: Infinity, hi: Infinity, digits: 0, zok: true, zlo: 0, zhi: 0 }
  }
}

/** Punctuation rare enough in prose to anchor a scan on. */
const RARE = emptySet()
for (const ch of '=:@#$%&;<>[]{}|~^\\`*') RARE[ch.charCodeAt(0)] = 1
/** Anchor sets hold at most this many chars. */
const ANCHOR_MAX_CHARS = 3

type Anchor = { set: Uint8Array; maxOff: number }

function anchorSize(a: Anchor): number {
  let k = 0
  for (let c = 0; c < 128; c++) k += a.set[c]
  return k
}

/** The best anchor of n (see RegexInfo.anchor), with offsets from n's start, or null. */
function anchorOf(n: Node): Anchor | null {
  switch (n.t) {
    case 'set': {
      if (n.nonAscii) return null
      let k = 0
      for (let c = 0; c < 128; c++) {
        if (!n.ascii[c]) continue
        if (!RARE[c]) return null
        k++
      }
      return k > 0 && k <= ANCHOR_MAX_CHARS ? { set: n.ascii, maxOff: 0 } : null
    }
    case 'group':
      return anchorOf(n.child)
    case 'quant':
      return n.min >= 1 ? anchorOf(n.child) : null
    case 'alt': {
      const set = emptySet()
      let maxOff = 0
      for (const a of n.alts) {
        const r = anchorOf(a)
        if (!r) return null
        for (let c = 0; c < 128; c++) if (r.set[c]) set[c] = 1
        maxOff = Math.max(maxOff, r.maxOff)
      }
      const out = { set, maxOff }
      return anchorSize(out) <= ANCHOR_MAX_CHARS ? out : null
    }
    case 'seq': {
      let best: Anchor | null = null
      let prefix = 0
      for (const it of n.items) {
        const r = anchorOf(it)
        if (r) {
          const cand = { set: r.set, maxOff: prefix + r.maxOff }
          const d = best ? anchorSize(cand) - anchorSize(best) : -1
          if (!best || d < 0 || (d === 0 && cand.maxOff < best.maxOff)) best = cand
        }
        prefix += maxLen(it)
        if (!Number.isFinite(prefix)) break
      }
      return best
    }
    default:
      return null
  }
}

/** Analyse a regex source; returns null when the syntax is not understood. */
export function analyzeRegex(source: string, flags: string): RegexInfo | null {
  try {
    unicodeMode = flags.includes('u')
    litCaseInsensitive = flags.includes('i')
    const p = new Parser(source, flags.includes('i'), flags.includes('s'))
    const ast = p.parse()
    let lits = requiredLits(ast)
    if (lits && (lits.length === 0 || lits.some((l) => l.length < 2 && /[\p{L}\p{N}\s]/u.test(l)) || lits.length > 16)) lits = null
    if (lits && flags.includes('i')) lits = [...new Set(lits.map((l) => l.toLowerCase()))]
    const cs = { ascii: emptySet(), nonAscii: false }
    charsetOf(ast, cs)
    const fs = { ascii: emptySet(), nonAscii: false }
    firstOf(ast, fs)
    const lead = leadOf(ast)
    const digitBounded = leftBounded(ast, forbidsDigits) && rightBounded(ast, forbidsDigits)
    return {
      firstSet: fs.ascii,
      firstNonAscii: fs.nonAscii,
      charset: cs.ascii,
      charsetNonAscii: cs.nonAscii,
      minLen: minLen(ast),
      maxLen: maxLen(ast),
      minDigits: minDigits(ast),
      maxDigits: maxDigits(ast),
      digitBounded,
      alnumBounded: leftBounded(ast, forbidsAlnum) && rightBounded(ast, forbidsAlnum),
      // with both i and u, some non-ASCII chars match ASCII ones (KELVIN SIGN ~ k): no claim then
      minNonAscii: flags.includes('i') && flags.includes('u') ? 0 : minCount(ast, (s) => (s.nonAscii && s.ascii.every((b) => b === 0) ? 1 : 0)),
      requiredLiterals: lits,
      lookaround: lookaround(ast),
      anchored: anchored(ast),
      hasBackref: p.hasBackref,
      anchor: anchorOf(ast),
      lead: lead.lo !== Infinity && Number.isFinite(lead.hi) ? { min: lead.lo, max: lead.hi } : null,
      firstDigits: lead.digits,
      // with i and u, K and S also match non-ASCII chars (KELVIN SIGN, LONG S) a byte search would miss
      leads: flags.includes('i') && flags.includes('u') ? null : leadsOf(ast),
    }
  } catch {
    return null
  }
}
