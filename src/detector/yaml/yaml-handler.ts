import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { Document, isMap, isSeq, parseDocument, type Node as YNode, YAMLMap } from 'yaml'
import { DetectorError } from '../types'

export interface WriteOptions {
  /** Replace an existing file (default false: an existing file is an error). */
  overwrite?: boolean
}

export interface UpdateOptions {
  /** merge (default): deep-merge mappings, other values replaced; replace: the top level becomes exactly `data`. */
  mode?: 'merge' | 'replace'
  /** Create the file when it does not exist (default false). */
  create?: boolean
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
}

/** Write a file atomically: temp file in the same folder, fsync, rename. */
export function atomicWriteFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = openSync(tmp, 'wx', 0o644)
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    try {
      unlinkSync(tmp)
    } catch {
      /* ignore */
    }
    throw e
  }
  closeSync(fd)
  renameSync(tmp, path)
}

/** Safe YAML file access that keeps comments and formatting through edits (yaml Document API). */
export class YamlHandler {
  /** Parse a YAML file as a Document (comments kept). The top level must be a mapping. */
  static readDocument(path: string): Document {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (e) {
      throw new DetectorError('YAML_READ', `${path}: cannot read: ${(e as Error).message}`)
    }
    // 'core' schema: no custom tags, no code execution; aliases limited by toJS maxAliasCount.
    const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: true })
    if (doc.errors.length > 0) {
      throw new DetectorError('YAML_SYNTAX', `${path}: YAML syntax error: ${doc.errors[0].message.split('\n')[0]}`)
    }
    if (doc.contents !== null && !isMap(doc.contents)) {
      throw new DetectorError('YAML_NOT_MAPPING', `${path}: top level must be a mapping`)
    }
    return doc
  }

  /** Read a YAML file into plain data. The top level must be a mapping. */
  static read(path: string): Record<string, unknown> {
    const doc = YamlHandler.readDocument(path)
    const data = doc.toJS({ maxAliasCount: 100 }) as unknown
    return (data ?? {}) as Record<string, unknown>
  }

  /** Write plain data (a mapping) as YAML. Refuses to replace an existing file unless overwrite. */
  static write(path: string, data: Record<string, unknown>, opts: WriteOptions = {}): void {
    if (!isPlainObject(data)) throw new DetectorError('YAML_NOT_MAPPING', `${path}: data must be a mapping`)
    if (!opts.overwrite && existsSync(path)) throw new DetectorError('EXISTS', `${path}: file exists (use overwrite)`)
    const doc = new Document(data)
    atomicWriteFile(path, doc.toString({ lineWidth: 0 }))
  }

  /** Write an edited Document back atomically. */
  static writeDocument(path: string, doc: Document): void {
    atomicWriteFile(path, doc.toString({ lineWidth: 0 }))
  }

  /** Update a YAML file in place, keeping comments of untouched (and merged) nodes. */
  static update(path: string, data: Record<string, unknown>, opts: UpdateOptions = {}): Record<string, unknown> {
    if (!isPlainObject(data)) throw new DetectorError('YAML_NOT_MAPPING', `${path}: data must be a mapping`)
    let doc: Document
    if (!existsSync(path)) {
      if (!opts.create) throw new DetectorError('NOT_FOUND', `${path}: no such file`)
      doc = new Document({})
    } else doc = YamlHandler.readDocument(path)
    if (!doc.contents) doc.contents = doc.createNode({}) as unknown as typeof doc.contents
    const root = doc.contents as unknown as YAMLMap
    if (opts.mode === 'replace') {
      for (const item of [...root.items]) {
        const key = String((item.key as { value?: unknown })?.value ?? item.key)
        if (!(key in data)) root.delete(key)
      }
      for (const [k, v] of Object.entries(data)) setNode(doc, root, k, v, false)
    } else {
      mergeInto(doc, root, data)
    }
    YamlHandler.writeDocument(path, doc)
    return (doc.toJS() ?? {}) as Record<string, unknown>
  }
}

function setNode(doc: Document, map: YAMLMap, key: string, value: unknown, merge: boolean): void {
  const existing = map.get(key, true) as YNode | undefined
  if (merge && isPlainObject(value) && existing && isMap(existing)) {
    mergeInto(doc, existing as YAMLMap, value)
    return
  }
  if (existing && (isMap(existing) || isSeq(existing) || 'value' in (existing as object))) {
    // keep the comment attached to the old node
    const node = doc.createNode(value) as YNode & { comment?: string | null; commentBefore?: string | null }
    const old = existing as YNode & { comment?: string | null; commentBefore?: string | null }
    if (old.comment && !node.comment) node.comment = old.comment
    if (old.commentBefore && !node.commentBefore) node.commentBefore = old.commentBefore
    map.set(key, node)
    return
  }
  map.set(key, doc.createNode(value))
}

/** Deep-merge plain data into a YAML map node: mappings merge, everything else replaces. */
export function mergeInto(doc: Document, map: YAMLMap, data: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined) continue
    setNode(doc, map, k, v, true)
  }
}
