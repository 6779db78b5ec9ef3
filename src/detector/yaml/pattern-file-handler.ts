import { existsSync } from 'node:fs'
import { Document, isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml'
import { compilePattern } from '../compiled'
import { checkPatternFile } from '../schema'
import type { PatternDef, PatternFile } from '../types'
import { DetectorError } from '../types'
import { atomicWriteFile, mergeInto, YamlHandler } from './yaml-handler'

function fail(path: string, patternId: string | undefined, field: string | undefined, message: string): never {
  const where = [path, patternId ? `pattern "${patternId}"` : undefined, field ? `field "${field}"` : undefined].filter(Boolean).join(': ')
  throw new DetectorError('PATTERN_FILE', `${where}: ${message}`)
}

/** Check a whole pattern file: schema, duplicate ids, regex compiles. */
function checkFile(path: string, data: unknown): PatternFile {
  const issues = checkPatternFile(data)
  if (issues.length > 0) fail(path, issues[0].patternId, issues[0].field, issues[0].message)
  const file = data as PatternFile
  const seen = new Set<string>()
  for (const p of file.patterns) {
    if (seen.has(p.id)) fail(path, p.id, 'id', 'duplicate pattern id')
    seen.add(p.id)
    const r = compilePattern(file.namespace, p, path)
    if (!r.ok) fail(path, p.id, r.field, r.message)
  }
  return file
}

function patternsSeq(path: string, doc: Document): YAMLSeq {
  const root = doc.contents
  if (!isMap(root)) fail(path, undefined, undefined, 'top level must be a mapping')
  const seq = (root as YAMLMap).get('patterns', true)
  if (!isSeq(seq)) fail(path, undefined, 'patterns', 'must be a list')
  return seq as YAMLSeq
}

function indexOfId(seq: YAMLSeq, id: string): number {
  return seq.items.findIndex((it) => isMap(it) && (it as YAMLMap).get('id') === id)
}

/** Create and edit pattern files with schema checks; comments survive edits. */
export class PatternFileHandler {
  /** Create a new pattern file. Refuses an existing file unless overwrite. */
  static create(path: string, file: { namespace: string; description: string; patterns?: PatternDef[] }, opts: { overwrite?: boolean } = {}): PatternFile {
    const data = { namespace: file.namespace, description: file.description, patterns: file.patterns ?? [] }
    checkFile(path, data)
    if (!opts.overwrite && existsSync(path)) fail(path, undefined, undefined, 'file exists (use overwrite)')
    atomicWriteFile(path, new Document(data).toString({ lineWidth: 0 }))
    return data
  }

  static list(path: string): PatternDef[] {
    const data = YamlHandler.read(path)
    return checkFile(path, data).patterns
  }

  static get(path: string, id: string): PatternDef | undefined {
    return PatternFileHandler.list(path).find((p) => p.id === id)
  }

  /** Append a pattern; duplicate ids are rejected. */
  static add(path: string, pattern: PatternDef): PatternDef {
    const doc = YamlHandler.readDocument(path)
    const seq = patternsSeq(path, doc)
    if (indexOfId(seq, pattern.id) >= 0) fail(path, pattern.id, 'id', 'duplicate pattern id')
    seq.add(doc.createNode(pattern))
    checkFile(path, doc.toJS())
    YamlHandler.writeDocument(path, doc)
    return pattern
  }

  /** Deep-merge `patch` into the pattern with `id` (arrays are replaced). */
  static update(path: string, id: string, patch: Partial<PatternDef>): PatternDef {
    const doc = YamlHandler.readDocument(path)
    const seq = patternsSeq(path, doc)
    const i = indexOfId(seq, id)
    if (i < 0) fail(path, id, undefined, 'no such pattern')
    if (patch.id !== undefined && patch.id !== id && indexOfId(seq, patch.id) >= 0) fail(path, patch.id, 'id', 'duplicate pattern id')
    mergeInto(doc, seq.items[i] as YAMLMap, patch as Record<string, unknown>)
    const file = checkFile(path, doc.toJS())
    YamlHandler.writeDocument(path, doc)
    return file.patterns[i]
  }

  /** Remove a pattern; returns whether it existed. */
  static remove(path: string, id: string): boolean {
    const doc = YamlHandler.readDocument(path)
    const seq = patternsSeq(path, doc)
    const i = indexOfId(seq, id)
    if (i < 0) return false
    seq.delete(i)
    checkFile(path, doc.toJS())
    YamlHandler.writeDocument(path, doc)
    return true
  }
}
