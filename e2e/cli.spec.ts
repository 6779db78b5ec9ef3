import { expect, test } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// The installed command (package.json "bin") against the production bundle, as a user runs it.
const bin = join(__dirname, '..', 'bin', 'datadetector.js')
const run = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' })

test('datadetector finds, exits 1 on findings and 0 on clean input, and never overwrites its input', () => {
  const found = run(['find', '--format', 'json', '-'], 'Card 4111 1111 1111 1111, mail jane.doe@example.org\n')
  expect(found.status).toBe(1)
  const cats = (JSON.parse(found.stdout).matches as { category: string }[]).map((m) => m.category)
  expect(cats).toEqual(expect.arrayContaining(['credit_card', 'email']))
  expect(found.stdout).not.toContain('4111 1111')

  expect(run(['find', '-'], 'Nothing to see: version 1.2.3, page 42.\n').status).toBe(0)

  const dir = mkdtempSync(join(tmpdir(), 'spm-cli-'))
  try {
    const file = join(dir, 'notes.txt')
    writeFileSync(file, 'call me at jane.doe@example.org\n')
    const same = run(['redact', file, '--output', file])
    expect(same.status).toBe(2)
    expect(readFileSync(file, 'utf8')).toBe('call me at jane.doe@example.org\n')
    const out = join(dir, 'notes.redacted.txt')
    expect(run(['redact', file, '--output', out]).status).toBeLessThan(2)
    expect(readFileSync(out, 'utf8')).not.toContain('jane.doe@example.org')
    expect(run(['redact', file, '--output', out]).status).toBe(2) // exists: needs --force
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the build seeds the registry cache with every built-in pattern file, so a first start skips YAML parsing', () => {
  const seed = join(__dirname, '..', 'out', 'main', 'detector-cache')
  const ymls = readdirSync(join(__dirname, '..', 'patterns')).filter((f) => f.endsWith('.yml'))
  expect(readdirSync(seed).filter((f) => f.startsWith('patterns-')).length).toBe(ymls.length)
  // a first run with an empty user cache uses the seed and still finds what it should
  const empty = mkdtempSync(join(tmpdir(), 'spm-cache-'))
  try {
    const r = spawnSync(process.execPath, [bin, 'list-patterns', '--format', 'json'], { encoding: 'utf8', env: { ...process.env, SPM_DETECTOR_CACHE_DIR: empty } })
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout).patterns.length).toBeGreaterThan(300)
    expect(readdirSync(empty)).toEqual([]) // nothing parsed, so nothing written to the user cache
  } finally {
    rmSync(empty, { recursive: true, force: true })
  }
})
