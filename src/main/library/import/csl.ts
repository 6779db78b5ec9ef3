import { citationJs } from '../cite'
import { cslToInput, type CslItem } from '../csl'
import type { EntryFailure, ParsedBatch } from '../model'
import { MalformedFileError } from './bibtex'

/** CSL-JSON (an array of items, or one item). Items are normalised by citation-js one by one. */
export function parseCslJson(text: string): ParsedBatch {
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new MalformedFileError(`This is not valid JSON: ${(err as Error).message.slice(0, 200)}`)
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' && !Array.isArray(data) ? [data] : null
  if (!list) throw new MalformedFileError('CSL-JSON must be an array of items.')
  if (list.length && !list.some((i) => i && typeof i === 'object' && ('title' in i || 'type' in i || 'DOI' in i)))
    throw new MalformedFileError('This JSON does not look like CSL-JSON: no item has a title, type or DOI.')
  const { plugins } = citationJs()
  const failures: EntryFailure[] = []
  const entries: ParsedBatch['entries'] = []
  list.forEach((raw, index) => {
    const title = raw && typeof raw === 'object' && typeof (raw as CslItem).title === 'string' ? ((raw as CslItem).title as string) : null
    try {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('the item is not an object')
      const [item] = plugins.input.chain([raw], { forceType: '@csl/list+object', generateGraph: false })
      const input = cslToInput({ ...(raw as CslItem), ...item })
      if (!input.title && !input.authors?.length && !input.doi) throw new Error('the item has no title, author or DOI')
      entries.push({ index, input })
    } catch (err) {
      const id = raw && typeof raw === 'object' && 'id' in raw ? String((raw as CslItem).id) : null
      failures.push({ index, key: id, title, reason: `Could not read the CSL-JSON item: ${(err as Error).message.slice(0, 300)}` })
    }
  })
  return { entries, failures, warnings: [] }
}
