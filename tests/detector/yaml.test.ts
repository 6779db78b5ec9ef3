import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadRegistry, PatternFileHandler, YamlHandler } from '../../src/detector/index'
import { pat, tmpDir } from './engine-helpers'

describe('YamlHandler', () => {
  it('write creates parent folders, refuses to overwrite unless asked, read round-trips', () => {
    const dir = tmpDir()
    const p = join(dir, 'a', 'b', 'c.yml')
    YamlHandler.write(p, { name: 'x', list: [1, 2], nested: { k: true } })
    expect(YamlHandler.read(p)).toEqual({ name: 'x', list: [1, 2], nested: { k: true } })
    expect(() => YamlHandler.write(p, { name: 'y' })).toThrow(/file exists/)
    YamlHandler.write(p, { name: 'y' }, { overwrite: true })
    expect(YamlHandler.read(p)).toEqual({ name: 'y' })
  })

  it('read rejects non-mappings and syntax errors; safe load keeps tags inert', () => {
    const dir = tmpDir()
    const list = join(dir, 'list.yml')
    writeFileSync(list, '- a\n- b\n')
    expect(() => YamlHandler.read(list)).toThrow(/top level must be a mapping/)
    const broken = join(dir, 'broken.yml')
    writeFileSync(broken, 'a: [1, 2\n')
    expect(() => YamlHandler.read(broken)).toThrow(/YAML syntax error/)
    const tagged = join(dir, 'tag.yml')
    writeFileSync(tagged, 'x: !!js/function "function(){ return 1 }"\n')
    const r = YamlHandler.read(tagged)
    expect(typeof r.x).toBe('string')
    const bomb = join(dir, 'bomb.yml')
    writeFileSync(bomb, 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n')
    expect(() => YamlHandler.read(bomb)).toThrow(/alias/i)
  })

  it('update merges deeply and keeps comments; replace drops other keys', () => {
    const dir = tmpDir()
    const p = join(dir, 'conf.yml')
    writeFileSync(p, '# top comment\nname: old # trailing\nsettings:\n  # about depth\n  depth: 1\n  mode: fast\nkeep: yes\n')
    YamlHandler.update(p, { name: 'new', settings: { depth: 2 } })
    const text = readFileSync(p, 'utf8')
    expect(text).toContain('# top comment')
    expect(text).toContain('# about depth')
    expect(text).toContain('# trailing')
    expect(YamlHandler.read(p)).toEqual({ name: 'new', settings: { depth: 2, mode: 'fast' }, keep: 'yes' })
    YamlHandler.update(p, { name: 'only' }, { mode: 'replace' })
    expect(YamlHandler.read(p)).toEqual({ name: 'only' })
    expect(readFileSync(p, 'utf8')).toContain('# top comment')
    expect(() => YamlHandler.update(join(dir, 'missing.yml'), { a: 1 })).toThrow(/no such file/)
    YamlHandler.update(join(dir, 'new.yml'), { a: 1 }, { create: true })
    expect(YamlHandler.read(join(dir, 'new.yml'))).toEqual({ a: 1 })
  })

  it('writes atomically (no temp files left behind)', () => {
    const dir = tmpDir()
    const p = join(dir, 'x.yml')
    YamlHandler.write(p, { a: 1 })
    YamlHandler.update(p, { b: 2 })
    const { readdirSync } = require('node:fs') as typeof import('node:fs')
    expect(readdirSync(dir)).toEqual(['x.yml'])
  })
})

describe('PatternFileHandler', () => {
  it('create/add/update/remove/get/list with schema checks; comments survive edits', () => {
    const dir = tmpDir()
    const p = join(dir, 'custom.yml')
    PatternFileHandler.create(p, { namespace: 'custom', description: 'mine', patterns: [pat({ id: 'one', pattern: 'ONE-\\d{4}' })] })
    expect(() => PatternFileHandler.create(p, { namespace: 'custom', description: 'again' })).toThrow(/file exists/)
    // a human adds a comment
    writeFileSync(p, readFileSync(p, 'utf8').replace('patterns:', '# keep this note\npatterns:'))
    PatternFileHandler.add(p, pat({ id: 'two', pattern: 'TWO-\\d{4}', category: 'other' }))
    expect(() => PatternFileHandler.add(p, pat({ id: 'two', pattern: 'X\\d' }))).toThrow(/pattern "two": field "id": duplicate pattern id/)
    expect(() => PatternFileHandler.add(p, pat({ id: 'bad', pattern: 'X\\d', category: 'nope' as never }))).toThrow(/pattern "bad": field "category"/)
    expect(() => PatternFileHandler.add(p, pat({ id: 'bad2', pattern: '(' }))).toThrow(/pattern "bad2": field "pattern": invalid regular expression/)
    const updated = PatternFileHandler.update(p, 'two', { policy: { severity: 'critical' } as never, examples: { match: ['TWO-1234'], nomatch: [] } })
    expect(updated.policy).toEqual({ store_raw: false, action_on_match: 'redact', severity: 'critical' })
    expect(updated.examples.match).toEqual(['TWO-1234'])
    expect(() => PatternFileHandler.update(p, 'two', { id: 'one' })).toThrow(/duplicate pattern id/)
    expect(() => PatternFileHandler.update(p, 'zzz', { description: 'x' })).toThrow(/no such pattern/)
    expect(PatternFileHandler.list(p).map((x) => x.id)).toEqual(['one', 'two'])
    expect(PatternFileHandler.get(p, 'one')?.pattern).toBe('ONE-\\d{4}')
    expect(PatternFileHandler.remove(p, 'one')).toBe(true)
    expect(PatternFileHandler.remove(p, 'one')).toBe(false)
    expect(readFileSync(p, 'utf8')).toContain('# keep this note')
    // the result loads as a registry
    const reg = loadRegistry({ paths: [p], validateExamples: true, checkReDoS: false })
    expect(reg.namespaces()).toEqual(['custom'])
    expect(existsSync(p)).toBe(true)
  })
})
