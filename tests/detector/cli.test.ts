import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/detector/cli'
import { TokenVault } from '../../src/detector/index'
import { globToRegExp } from '../../src/detector/glob'
import { pat, tmpDir, writePatterns } from './engine-helpers'

const ROOT = resolve(__dirname, '../..')
const CLI = join(ROOT, 'src/detector/cli.ts')
// absolute so that children started in other folders still find the loader
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href

function fixture() {
  const dir = tmpDir('spm-cli-')
  const pdir = join(dir, 'pats')
  mkdirSync(pdir)
  writePatterns(pdir, 'demo', [
    pat({ id: 'card', category: 'credit_card', pattern: '(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)', verification: 'luhn', policy: { store_raw: false, action_on_match: 'redact', severity: 'high' } }),
    pat({ id: 'email', category: 'email', pattern: '[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){1,8}', policy: { store_raw: true, action_on_match: 'redact', severity: 'medium' } }),
  ])
  const data = join(dir, 'data')
  mkdirSync(join(data, 'sub'), { recursive: true })
  writeFileSync(join(data, 'a.txt'), 'line one\ncard 4111 1111 1111 1111 here\n')
  writeFileSync(join(data, 'sub', 'b.md'), 'contact: jane@example.org\n')
  writeFileSync(join(data, 'clean.txt'), 'nothing to see 1234\n')
  writeFileSync(join(data, 'bin.dat'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x41]))
  writeFileSync(join(data, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x31]))
  return { dir, pdir, data }
}

async function run(args: string[], opts: { stdin?: string; cwd?: string; env?: Record<string, string> } = {}) {
  let out = ''
  let err = ''
  const code = await main(args, {
    stdin: Readable.from(opts.stdin !== undefined ? [Buffer.from(opts.stdin)] : []),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
  })
  return { code, out, err }
}

describe('datadetector CLI (in-process)', () => {
  it('find on stdin: exit 1 with findings, 0 without; json shape', async () => {
    const { pdir } = fixture()
    const base = ['--no-builtin', '--patterns', pdir]
    const r = await run(['find', ...base, '--format', 'json'], { stdin: 'pay 4111-1111-1111-1111 now' })
    expect(r.code).toBe(1)
    const j = JSON.parse(r.out)
    expect(j.matches).toEqual([
      { pattern_id: 'demo/card', namespace: 'demo', category: 'credit_card', severity: 'high', start: 4, end: 23, line: 1, column: 5, end_line: 1, end_column: 24, verified: true, confidence: 0.9 },
    ])
    const clean = await run(['find', ...base], { stdin: 'pay 4111-1111-1111-1112 now' })
    expect(clean.code).toBe(0)
    expect(clean.out).toBe('')
  })

  it('find over a folder with include/exclude globs; text, jsonl and sarif formats; binary and invalid UTF-8 reported', async () => {
    const { pdir, data, dir } = fixture()
    const base = ['--no-builtin', '--patterns', pdir]
    const t = await run(['find', ...base, 'data'], { cwd: dir })
    expect(t.code).toBe(1)
    expect(t.out).toBe('data/a.txt:2:6: demo/card (credit_card, high, verified)\ndata/sub/b.md:1:10: demo/email (email, medium, verified)\n')
    expect(t.err).toMatch(/data\/bin\.dat: binary file/)
    expect(t.err).toMatch(/data\/latin1\.txt: invalid UTF-8/)
    const inc = await run(['find', ...base, '--include', '*.md', '--format', 'jsonl', data], { cwd: dir })
    const rows = inc.out.trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.map((x) => x.pattern_id)).toEqual(['demo/email'])
    expect(rows[0].file).toMatch(/b\.md$/)
    const exc = await run(['find', ...base, '--exclude', 'sub/**', '--exclude', '*.{dat,md}', '--format', 'json', data], { cwd: dir })
    expect(JSON.parse(exc.out).matches.map((m: { pattern_id: string }) => m.pattern_id)).toEqual(['demo/card'])
    const s = await run(['find', ...base, '--format', 'sarif', 'data'], { cwd: dir })
    const sarif = JSON.parse(s.out)
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['demo/card', 'demo/email'])
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'demo/card', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'data/a.txt' }, region: { startLine: 2, startColumn: 6 } } }] })
    // explicitly named binary file is an input error
    const b = await run(['find', ...base, join(data, 'bin.dat')])
    expect(b.code).toBe(2)
  })

  it('matched text only with the flag and only where store_raw allows', async () => {
    const { pdir } = fixture()
    const base = ['--no-builtin', '--patterns', pdir, '--format', 'json']
    const input = 'a@b.org 4111111111111111'
    const noText = await run(['find', ...base], { stdin: input })
    expect(noText.out).not.toContain('a@b.org')
    const withText = await run(['find', ...base, '--include-matched-text'], { stdin: input })
    const ms = JSON.parse(withText.out).matches
    expect(ms.find((m: { category: string }) => m.category === 'email').matched_text).toBe('a@b.org')
    expect(withText.out).not.toContain('4111111111111111')
  })

  it('redact: stdin to stdout, folder to folder, refuses to overwrite, vault', async () => {
    const { pdir, data, dir } = fixture()
    const base = ['--no-builtin', '--patterns', pdir]
    const s = await run(['redact', ...base], { stdin: 'mail a@b.org card 4111 1111 1111 1111' })
    expect(s.code).toBe(1)
    expect(s.out).toBe('mail *@*.*** card **** **** **** ****')
    expect(s.err).toMatch(/stdin: 2 redactions/)
    const out = join(dir, 'out')
    const f = await run(['redact', ...base, '--strategy', 'tokenize', '--output', out, '--format', 'json', data], { cwd: dir })
    expect(f.code).toBe(1)
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('line one\ncard [CARD_1] here\n')
    expect(readFileSync(join(out, 'sub', 'b.md'), 'utf8')).toBe('contact: [EMAIL_1]\n')
    expect(existsSync(join(out, 'bin.dat'))).toBe(false)
    const rep = JSON.parse(f.out)
    expect(rep.files.map((x: { total: number }) => x.total)).toEqual([1, 0, 1])
    expect(f.out).not.toContain('4111')
    expect(f.out).not.toContain('jane@')
    // never overwrite input; refuse existing output without --force
    const self = await run(['redact', ...base, '--output', join(data, 'a.txt'), '--force', join(data, 'a.txt')])
    expect(self.code).toBe(2)
    expect(self.err).toMatch(/refusing to overwrite an input file/)
    const again = await run(['redact', ...base, '--output', out, data])
    expect(again.code).toBe(2)
    expect(again.err).toMatch(/output exists \(use --force/)
    expect((await run(['redact', ...base, '--output', out, '--force', data])).code).toBe(1)
    const inside = await run(['redact', ...base, '--output', join(data, 'x'), data])
    expect(inside.err).toMatch(/must not be inside an input folder/)
    // vault
    const vaultPath = join(dir, 'v.json')
    const v = await run(['redact', ...base, '--strategy', 'tokenize', '--vault', vaultPath], { stdin: 'x a@b.org y', env: { DATADETECTOR_VAULT_PASSPHRASE: 'pw' } })
    expect(v.out).toBe('x [EMAIL_1] y')
    expect(TokenVault.open(vaultPath, 'pw').restore(v.out)).toBe('x a@b.org y')
    expect((await run(['redact', ...base, '--strategy', 'tokenize', '--vault', vaultPath], { stdin: 'x' })).err).toMatch(/DATADETECTOR_VAULT_PASSPHRASE/)
  })

  it('validate, list-patterns, version, usage errors', async () => {
    const { pdir } = fixture()
    const base = ['--no-builtin', '--patterns', pdir]
    expect((await run(['validate', ...base, '--pattern', 'demo/card', '4111 1111 1111 1111'])).code).toBe(0)
    const bad = await run(['validate', ...base, '--pattern', 'demo/card', '--format', 'json', '4111 1111 1111 1112', 'nope'])
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.out).results.map((r: { valid: boolean; matched: boolean }) => [r.valid, r.matched])).toEqual([
      [false, true],
      [false, false],
    ])
    expect(bad.out).not.toContain('4111')
    const stdinV = await run(['validate', ...base, '--pattern', 'demo/email'], { stdin: 'a@b.org\nfoo\n' })
    expect(stdinV.out).toBe('1: valid\n2: invalid (no match)\n')
    const lp = await run(['list-patterns', ...base, '--format', 'json'])
    expect(JSON.parse(lp.out).patterns.map((p: { id: string }) => p.id)).toEqual(['demo/card', 'demo/email'])
    expect((await run(['version'])).out).toMatch(/^datadetector \d+\.\d+\.\d+\n$/)
    for (const args of [[], ['bogus'], ['find', '--format', 'xml'], ['find', '--wat'], ['find', ...base, '--ns', 'zz'], ['find', ...base, '--category', 'nope'], ['find', ...base, '/no/such/file'], ['validate', ...base]]) {
      const r = await run(args, { stdin: '' })
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    }
  })
})

describe('globToRegExp', () => {
  it('supports **, *, ?, {a,b}', () => {
    expect(globToRegExp('**/*.txt').test('a/b/c.txt')).toBe(true)
    expect(globToRegExp('**/*.txt').test('c.txt')).toBe(true)
    expect(globToRegExp('*.txt').test('a/c.txt')).toBe(false)
    expect(globToRegExp('file?.{md,txt}').test('file1.md')).toBe(true)
    expect(globToRegExp('file?.{md,txt}').test('file12.md')).toBe(false)
    expect(globToRegExp('a.b').test('axb')).toBe(false)
  })
})

describe('datadetector CLI (child process, end to end)', () => {
  const node = (args: string[], input?: string, cwd?: string) =>
    spawnSync(process.execPath, ['--import', TSX, CLI, ...args], { input, cwd: cwd ?? ROOT, encoding: 'utf8', timeout: 60_000 })

  it('exit codes 0/1/2 and formats', () => {
    const { pdir, data, dir } = fixture()
    const base = ['--no-builtin', '--patterns', pdir]
    const r1 = node(['find', ...base, '--format', 'json'], 'x 4111 1111 1111 1111')
    expect(r1.status).toBe(1)
    expect(JSON.parse(r1.stdout).matches[0].pattern_id).toBe('demo/card')
    const r0 = node(['find', ...base], 'nothing here')
    expect(r0.status).toBe(0)
    const r2 = node(['find', '--format', 'yaml'], '')
    expect(r2.status).toBe(2)
    expect(r2.stderr).toMatch(/unknown format "yaml"/)
    const jl = node(['find', ...base, '--format', 'jsonl', data], undefined, dir)
    // folder walks skip binary / invalid UTF-8 files with a notice; the exit code reflects findings
    expect(jl.status).toBe(1)
    expect(jl.stdout.trim().split('\n').map((l) => JSON.parse(l).pattern_id)).toEqual(['demo/card', 'demo/email'])
    expect(jl.stderr).toMatch(/binary file/)
    const sarif = node(['find', ...base, '--format', 'sarif', data], undefined, dir)
    expect(JSON.parse(sarif.stdout).runs[0].results).toHaveLength(2)
  })

  it('streams jsonl findings of a file larger than the in-memory limit into --output atomically', async () => {
    const { pdir, dir } = fixture()
    // 36 MB (over the 32 MiB stream threshold), 2,000 cards spread through it
    const filler = 'plain words without numbers, nothing to report here. '.repeat(330)
    const parts: string[] = []
    for (let i = 0; i < 2000; i++) parts.push(filler, ` card 4111 1111 1111 1111 #${'x'.repeat(i % 7)}\n`)
    const big = join(dir, 'big.txt')
    writeFileSync(big, parts.join(''))
    expect(statSync(big).size).toBeGreaterThan(32 * 1024 * 1024)
    const out = join(dir, 'found.jsonl')
    const r = await run(['find', '--no-builtin', '--patterns', pdir, '--format', 'jsonl', '--output', out, big], { cwd: dir })
    expect(r.code).toBe(1)
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(rows).toHaveLength(2000)
    expect(rows[0]).toMatchObject({ pattern_id: 'demo/card', file: big })
    expect(new Set(rows.map((x) => x.pattern_id))).toEqual(new Set(['demo/card']))
    expect(rows[1999].line).toBe(2000)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    // an existing output is kept unless --force
    const again = await run(['find', '--no-builtin', '--patterns', pdir, '--format', 'jsonl', '--output', out, big], { cwd: dir })
    expect(again.code).toBe(2)
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2000)
  }, 60_000)

  it('redact refuses to overwrite an existing output, then writes with --force', () => {
    const { pdir, data, dir } = fixture()
    const base = ['--no-builtin', '--patterns', pdir]
    const out = join(dir, 'red.txt')
    writeFileSync(out, 'keep me')
    const r = node(['redact', ...base, '--output', out, join(data, 'a.txt')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/output exists/)
    expect(readFileSync(out, 'utf8')).toBe('keep me')
    const f = node(['redact', ...base, '--output', out, '--force', join(data, 'a.txt')])
    expect(f.status).toBe(1)
    expect(readFileSync(out, 'utf8')).toBe('line one\ncard **** **** **** **** here\n')
    expect(readFileSync(join(data, 'a.txt'), 'utf8')).toContain('4111 1111 1111 1111')
  })
})

describe('datadetector CLI with the built-in patterns', () => {
  it('finds e-mail and card numbers with the default registry', async () => {
    const r = await run(['find', '--format', 'json'], { stdin: 'Write to jane.doe@example.com, card 4111 1111 1111 1111.' })
    if (r.code === 2 && /patterns folder not found/.test(r.err)) return
    expect(r.code).toBe(1)
    const cats = JSON.parse(r.out).matches.map((m: { category: string }) => m.category)
    expect(cats).toContain('email')
    expect(cats).toContain('credit_card')
    const lp = await run(['list-patterns', '--format', 'json'])
    expect(JSON.parse(lp.out).patterns.length).toBeGreaterThan(50)
  })
})
