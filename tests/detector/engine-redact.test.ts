import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Engine, hashValue, loadOrCreateSecret, loadRegistry, maskValue, TokenVault } from '../../src/detector/index'
import { testPatterns, testVerifiers, tmpDir, writePatterns } from './engine-helpers'

function engine(opts: { hashKey?: Buffer; secretPath?: string } = { hashKey: Buffer.alloc(32, 1) }) {
  const dir = tmpDir()
  writePatterns(dir, 't', testPatterns())
  return new Engine(loadRegistry({ paths: [dir], verifiers: testVerifiers, checkReDoS: false }), opts)
}

const TEXT = 'Call SSN 123-45-6789, card 4111-1111-1111-1111, mail jane.doe@example.com, again 123-45-6789. tok_ABCDEFGHijklmnop'
const RAW = ['123-45-6789', '4111-1111-1111-1111', 'jane.doe@example.com', 'tok_ABCDEFGHijklmnop']

describe('Engine.redact', () => {
  it('mask keeps length and separators; uses the pattern mask template', () => {
    const { text, report } = engine().redact(TEXT)
    expect(text).toContain('SSN ***-**-****,')
    expect(text).toContain('card **** **** **** ****,') // template '#### #### #### ####'
    expect(text).toContain('mail ********@*******.***,')
    expect(text).toContain('[REDACTED:secret]')
    for (const r of RAW) expect(text).not.toContain(r)
    expect(report.total).toBe(5)
    expect(report.counts).toEqual({ national_id: 2, credit_card: 1, email: 1, secret: 1 })
    for (const r of RAW) expect(JSON.stringify(report)).not.toContain(r)
    // offsets in the output point at the replacements
    for (const rep of report.replacements) expect(text.slice(rep.outStart, rep.outEnd)).toBe(rep.replacement)
  })

  it('hash is a keyed HMAC: stable per key, different across keys, not a bare SHA-256', () => {
    const a = engine({ hashKey: Buffer.alloc(32, 1) }).redact(TEXT, { strategy: 'hash' })
    const b = engine({ hashKey: Buffer.alloc(32, 2) }).redact(TEXT, { strategy: 'hash' })
    const ssnHashes = a.report.replacements.filter((r) => r.category === 'national_id').map((r) => r.replacement)
    expect(ssnHashes[0]).toMatch(/^\[NATIONAL_ID:[0-9a-f]{16}\]$/)
    expect(ssnHashes[0]).toBe(ssnHashes[1])
    expect(a.text).not.toBe(b.text)
    const { createHash } = require('node:crypto') as typeof import('node:crypto')
    const bare = createHash('sha256').update('123456789').digest('hex').slice(0, 16)
    expect(a.text).not.toContain(bare)
    // separators do not change the pseudonym
    expect(hashValue(Buffer.alloc(32, 1), '123-45-6789', 'national_id')).toBe(hashValue(Buffer.alloc(32, 1), '123456789', 'national_id'))
    for (const r of RAW) expect(a.text).not.toContain(r)
  })

  it('hash without a key uses a per-install secret file created once with mode 0600', () => {
    const dir = tmpDir()
    const secretPath = join(dir, 'sub', 'key')
    const e1 = engine({ secretPath })
    const r1 = e1.redact('SSN 123-45-6789', { strategy: 'hash' })
    expect(existsSync(secretPath)).toBe(true)
    expect(readFileSync(secretPath, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/)
    const { statSync } = require('node:fs') as typeof import('node:fs')
    expect(statSync(secretPath).mode & 0o777).toBe(0o600)
    const r2 = engine({ secretPath }).redact('SSN 123-45-6789', { strategy: 'hash' })
    expect(r2.text).toBe(r1.text)
    expect(loadOrCreateSecret(secretPath).length).toBe(32)
  })

  it('tokenize gives stable tokens within a document and a vault can reverse them', () => {
    const vault = new TokenVault()
    const { text, report } = engine().redact(TEXT, { strategy: 'tokenize', vault })
    expect(text).toBe(
      'Call SSN [NATIONAL_ID_1], card [CARD_1], mail [EMAIL_1], again [NATIONAL_ID_1]. [SECRET_1]',
    )
    expect(report.replacements.map((r) => r.strategy)).toEqual(Array(5).fill('tokenize'))
    expect(vault.restore(text)).toBe(TEXT)
    // sealed with AES-256-GCM: raw values absent from the file; wrong key fails; tamper fails
    const dir = tmpDir()
    const path = join(dir, 'vault.json')
    vault.save(path, 'correct horse battery staple')
    const sealed = readFileSync(path, 'utf8')
    for (const r of RAW) expect(sealed).not.toContain(r)
    expect(TokenVault.open(path, 'correct horse battery staple').restore(text)).toBe(TEXT)
    expect(() => TokenVault.open(path, 'wrong')).toThrow(/cannot be decrypted/)
    const obj = JSON.parse(sealed)
    obj.data = Buffer.from(Buffer.from(obj.data, 'base64').map((x, i) => (i === 0 ? x ^ 1 : x))).toString('base64')
    expect(() => TokenVault.unseal(JSON.stringify(obj), 'correct horse battery staple')).toThrow(/cannot be decrypted/)
    const rawKey = Buffer.alloc(32, 9)
    expect(TokenVault.unseal(vault.seal(rawKey), rawKey).size).toBe(4)
  })

  it('perCategory overrides the strategy; report-only patterns are not replaced unless asked', () => {
    const e = engine()
    const input = 'employee E123456 mail x@y.org SSN 123-45-6789'
    const r = e.redact(input, { strategy: 'mask', perCategory: { email: 'tokenize' } })
    expect(r.text).toBe('employee E123456 mail [EMAIL_1] SSN ***-**-****')
    const r2 = e.redact(input, { redactReported: true })
    expect(r2.text).toContain('employee *******')
    expect(() => e.redact(input, { strategy: 'rot13' as never })).toThrow(/unknown redaction strategy/)
  })

  it('leaves text without findings unchanged', () => {
    const { text, report } = engine().redact('nothing here 12 34')
    expect(text).toBe('nothing here 12 34')
    expect(report.total).toBe(0)
  })
})

describe('maskValue', () => {
  it('masks letters and digits of any script, keeps separators', () => {
    expect(maskValue('900101-1234567', 'national_id')).toBe('******-*******')
    expect(maskValue('홍길동a1', 'other')).toBe('*****')
    expect(maskValue('ABCD', 'other', '##-##')).toBe('**-*')
    expect(maskValue('9001011234567', 'national_id', '######-#######')).toBe('******-******')
    expect(maskValue('AKIA123', 'secret')).toBe('[REDACTED:secret]')
    expect(maskValue('x', 'other', '[HIDDEN]')).toBe('[HIDDEN]')
  })
})
