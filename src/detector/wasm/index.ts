import { CORE_WASM } from './core.wasm'

/**
 * The scan core in WebAssembly (source: ./assembly/core.ts). It holds one text at a time, copied in
 * as UTF-16 code units (4 MB of text: ~0.6 ms) and read once by its basics pass, which writes a byte
 * per char that the other passes read (passes over a big text are bound by memory traffic).
 */
interface CoreExports {
  memory: WebAssembly.Memory
  TRIGRAMS: WebAssembly.Global
  SET: WebAssembly.Global
  TEXT: WebAssembly.Global
  outAt(len: number): number
  grams(len: number): void
  runs(len: number, nonAscii: number, minLen: number): number
  basics(len: number): number
}

/** The runs of the chars every big text needs, each as [start, end]*. */
export interface BasicRuns {
  digits: Int32Array<ArrayBuffer>
  nonAscii: Int32Array<ArrayBuffer>
  newlines: Int32Array<ArrayBuffer>
}

let core: CoreExports | undefined
/** The text whose chars are in memory now, and its basic runs. */
let loaded: string | undefined
let loadedRuns: BasicRuns | undefined

function instance(): CoreExports {
  if (!core) {
    // synchronous compile: the module is small, and Node (like Electron's utility process) allows it
    const mod = new WebAssembly.Module(Buffer.from(CORE_WASM, 'base64'))
    core = new WebAssembly.Instance(mod, {}).exports as unknown as CoreExports
  }
  return core
}

/** Copies the text into memory and runs the basics pass (unless it is there already). */
function load(text: string): CoreExports {
  const c = instance()
  if (loaded === text) return c
  const len = text.length
  // the pairs written: at most one per char (runs of one kind are apart, kinds do not overlap)
  const need = c.outAt(len) + 8 * len + 16
  const have = c.memory.buffer.byteLength
  if (need > have) c.memory.grow(Math.ceil((need - have) / 65536))
  Buffer.from(c.memory.buffer).write(text, c.TEXT.value as number, 'utf16le')
  const n = c.basics(len)
  // pairs of the three kinds interleave, tagged in the start's top two bits
  const pairs = new Int32Array(c.memory.buffer, c.outAt(len), 2 * n)
  const count = [0, 0, 0]
  for (let k = 0; k < pairs.length; k += 2) count[pairs[k] >>> 30]++
  const out = count.map((m) => new Int32Array(2 * m))
  const at = [0, 0, 0]
  for (let k = 0; k < pairs.length; k += 2) {
    const kind = pairs[k] >>> 30
    const dest = out[kind]
    dest[at[kind]++] = pairs[k] & 0x3fffffff
    dest[at[kind]++] = pairs[k + 1]
  }
  loaded = text
  loadedRuns = { digits: out[0], nonAscii: out[1], newlines: out[2] }
  return c
}

/** Maximal runs of ASCII digits, of non-ASCII chars and of newlines, found in one pass. */
export function basicRuns(text: string): BasicRuns {
  load(text)
  return loadedRuns as BasicRuns
}

/**
 * The trigram bitmap of the text (2^18 bytes, into `dest`): bit g for each trigram of 7-bit gram
 * codes, g = code(c0) << 14 | code(c1) << 7 | code(c2), the first two after zeros. A char's code is
 * the char when ASCII, else (c * 31 + 7) & 127, but 75 for KELVIN SIGN and 73 for 'İ'.
 */
export function trigramBitmap(text: string, dest: Uint8Array): void {
  const c = load(text)
  c.grams(text.length)
  dest.set(new Uint8Array(c.memory.buffer, c.TRIGRAMS.value as number, dest.length))
}

/**
 * Maximal runs of a charset at least minLen long: [start, end]*. `set` marks ASCII members by code
 * (128 entries); `nonAscii` makes every other char a member.
 */
export function setRuns(text: string, set: Uint8Array, nonAscii: boolean, minLen: number): Int32Array<ArrayBuffer> {
  const c = load(text)
  const table = new Uint8Array(c.memory.buffer, c.SET.value as number, 16)
  table.fill(0)
  for (let ch = 0; ch < 128; ch++) if (set[ch]) table[ch & 15] |= 1 << (ch >> 4)
  const n = c.runs(text.length, nonAscii ? 1 : 0, Math.max(1, minLen))
  return new Int32Array(c.memory.buffer, c.outAt(text.length), 2 * n).slice()
}

