import { citationJs } from '../cite'
import { cslToInput } from '../csl'
import type { EntryFailure, ParsedBatch } from '../model'
import { MalformedFileError } from './bibtex'

const TAG_LINE = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/

/**
 * RIS via citation-js, one record at a time so a broken record is reported and the rest still import.
 * A text without any `TY  -` record is rejected as a whole.
 */
export function parseRis(text: string): ParsedBatch {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const records: string[][] = []
  let cur: string[] | null = null
  for (const line of lines) {
    const m = TAG_LINE.exec(line.trimEnd())
    if (m && m[1] === 'TY') {
      if (cur) records.push(cur)
      cur = [line]
    } else if (m && m[1] === 'ER') {
      if (cur) records.push([...cur, 'ER  - '])
      cur = null
    } else if (cur) cur.push(line)
  }
  if (cur) records.push(cur)
  if (!records.length) throw new MalformedFileError('This is not a RIS file: no record starts with "TY  -".')
  const { plugins } = citationJs()
  const failures: EntryFailure[] = []
  const entries: ParsedBatch['entries'] = []
  records.forEach((rec, index) => {
    const title = rec.map((l) => /^(?:TI|T1) {2}- (.*)$/.exec(l)?.[1]).find(Boolean) ?? null
    try {
      if (!rec.some((l) => TAG_LINE.test(l.trimEnd()) && !/^(TY|ER)/.test(l))) throw new Error('the record has no fields')
      const items = plugins.input.chain(`${rec.join('\n')}\n`, { forceType: '@ris/file', generateGraph: false })
      if (!items.length) throw new Error('citation-js read nothing from it')
      const input = cslToInput(items[0])
      if (!input.title && !input.authors?.length && !input.doi) throw new Error('the record has no title, author or DOI')
      entries.push({ index, input })
    } catch (err) {
      failures.push({ index, key: null, title, reason: `Could not read the RIS record: ${(err as Error).message.slice(0, 300)}` })
    }
  })
  return { entries, failures, warnings: [] }
}
