// Plain values shared by main and renderer. No zod here: importing a value from a contract file would
// pull zod and every schema into the renderer bundle.

export const READING_STATUSES = ['unread', 'reading', 'completed'] as const
export const EXPORT_FORMATS = ['bibtex', 'ris', 'csl-json', 'citation'] as const
export const CITATION_STYLES = ['apa', 'ieee', 'chicago', 'vancouver'] as const

/** Largest text one detector call may carry; bigger files go through the streaming CLI. */
export const MAX_SCAN_CHARS = 512 * 1024

/** Highlighted spans in titles and snippets are wrapped in these two control characters (never HTML). */
export const HL_START = '\u0002'
export const HL_END = '\u0003'

/** Splits a highlighted string into plain and highlighted parts, for rendering as text nodes. */
export function splitHighlights(text: string): { text: string; hit: boolean }[] {
  const out: { text: string; hit: boolean }[] = []
  let hit = false
  let buf = ''
  for (const ch of text) {
    if (ch === HL_START || ch === HL_END) {
      if (buf) out.push({ text: buf, hit })
      buf = ''
      hit = ch === HL_START
    } else buf += ch
  }
  if (buf) out.push({ text: buf, hit })
  return out
}
