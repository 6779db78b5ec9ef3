import { CORE_WASM } from './core.wasm'

/**
 * The scan core in WebAssembly (source: ./assembly/core.ts). It holds one text at a time, copied in
 * as UTF-16 code units (4 MB of text: ~0.6 ms); the passes that read every char of a big text run
 * there, 16 chars per SIMD step where they classify chars.
 */
interface CoreExports {
  memory: WebAssembly.Memory
  TRIGRAMS: WebAssembly.Global
  SET: WebAssembly.Global
  TEXT: WebAssembly.Global
  outAt(len: number): number
  grams(len: number): void
  runs(len: number, nonAscii: number, minLen: number): number
}

let core: CoreExports | undefined
/** The text whose chars are in memory now. */
let loaded: string | undefined
/** The gram fold table in memory now (set on first use). */
let foldIn: Uint8Array | undefined

function instance(): CoreExports {
  if (!core) {
    // synchronous compile: the module is small, and Node (like Electron's utility process) allows it
    const mod = new WebAssembly.Module(Buffer.from(CORE_WASM, 'base64'))
    core = new WebAssembly.Instance(mod, {}).exports as unknown as CoreExports
  }
  return core
}

/** Copies the text into memory (unless it is there already), growing memory to hold it and runs()' output. */
function load(text: string): CoreExports {
  const c = instance()
  if (loaded === text) return c
  const len = text.length
  // runs() writes at most one [start, end] pair of i32 per two chars, plus one
  const need = c.outAt(len) + 4 * len + 16
  const have = c.memory.buffer.byteLength
  if (need > have) c.memory.grow(Math.ceil((need - have) / 65536))
  Buffer.from(c.memory.buffer).write(text, c.TEXT.value as number, 'utf16le')
  loaded = text
  return c
}

/**
 * The trigram bitmap of the text (7-bit chars by `fold`, 21 bits a trigram: scan.ts's gram pass),
 * written into `dest` (2^18 bytes).
 */
export function trigramBitmap(text: string, fold: Uint8Array, dest: Uint8Array): void {
  const c = load(text)
  if (foldIn !== fold) {
    new Uint8Array(c.memory.buffer, 0, 65536).set(fold)
    foldIn = fold
  }
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
