/**
 * Built-in pattern files: every file loads, every pattern is well-formed, every example behaves,
 * the coverage targets hold. Uses a self-contained checker (tests/detector/patterns-harness.ts) and,
 * in addition, the engine's own loader with schema and example validation.
 */
import { describe, expect, it } from 'vitest'
import { builtinVerifiers } from '../../src/detector/verify/index'
import { loadRegistry } from '../../src/detector/registry'
import { checkPatternFile } from '../../src/detector/schema'
import { ALL_FILES, PATTERNS_DIR, PII_FILES, exampleProblems, findAll, listFiles, loadFile, type Pat } from './patterns-harness'

const CATEGORIES = new Set([
  'national_id', 'tax_id', 'passport', 'driver_license', 'phone', 'email', 'credit_card', 'bank_account', 'iban',
  'swift_bic', 'ip_address', 'mac_address', 'imei', 'postal_code', 'vehicle_plate', 'date_of_birth', 'medical_id',
  'crypto_wallet', 'secret', 'url', 'other',
])

describe('built-in pattern files', () => {
  it('ships exactly the expected namespaces', () => {
    expect(listFiles().sort()).toEqual([...ALL_FILES].sort())
  })

  for (const name of ALL_FILES) {
    describe(`${name}.yml`, () => {
      const file = loadFile(name)

      it('has the namespace, a description and a schema-valid body', () => {
        expect(file.namespace).toBe(name)
        expect(file.description.length).toBeGreaterThan(20)
        expect(checkPatternFile(file)).toEqual([])
      })

      it('has unique snake_case ids, known categories and verifiers, and ≥ 3/3 examples', () => {
        const ids = new Set<string>()
        for (const p of file.patterns) {
          expect(p.id, p.id).toMatch(/^[a-z][a-z0-9_]*$/)
          expect(ids.has(p.id), `duplicate id ${p.id}`).toBe(false)
          ids.add(p.id)
          expect(CATEGORIES.has(p.category), `${p.id} category ${p.category}`).toBe(true)
          if (p.verification) expect(builtinVerifiers[p.verification], `${p.id} verifier ${p.verification}`).toBeTypeOf('function')
          expect(p.examples.match.length, `${p.id} match examples`).toBeGreaterThanOrEqual(3)
          expect(p.examples.nomatch.length, `${p.id} nomatch examples`).toBeGreaterThanOrEqual(3)
          expect(() => new RegExp(p.pattern, (p.flags ?? '') + 'g')).not.toThrow()
          expect(new RegExp(p.pattern, p.flags ?? '').test(''), `${p.id} matches empty`).toBe(false)
          if (name === 'secrets') expect(p.category).toBe('secret')
          if (p.context?.required) expect(p.context.keywords.length, `${p.id} required context without keywords`).toBeGreaterThan(0)
        }
      })

      it('every match example is found and verified, no nomatch example is', () => {
        const problems: string[] = []
        for (const p of file.patterns) for (const msg of exampleProblems(p)) problems.push(`${name}/${p.id}: ${msg}`)
        expect(problems).toEqual([])
      })
    })
  }

  it('meets the coverage targets (≥ 190 PII patterns over 8 regions + common, ≥ 35 secret formats)', () => {
    const pii = PII_FILES.reduce((n, f) => n + loadFile(f).patterns.length, 0)
    const secrets = loadFile('secrets').patterns.length
    expect(pii).toBeGreaterThanOrEqual(190)
    expect(secrets).toBeGreaterThanOrEqual(35)
    for (const f of PII_FILES) expect(loadFile(f).patterns.length, f).toBeGreaterThanOrEqual(10)
  })

  it('covers the formats the issue names', () => {
    const all = new Map<string, Pat>()
    for (const f of ALL_FILES) for (const p of loadFile(f).patterns) all.set(`${f}/${p.id}`, p)
    const required = [
      'common/card_visa', 'common/card_mastercard', 'common/card_amex', 'common/card_unionpay', 'common/card_jcb', 'common/email', 'common/ipv4', 'common/ipv6',
      'common/mac_address', 'common/imei', 'common/iban', 'common/swift_bic', 'common/btc_address', 'common/eth_address', 'common/url_with_credentials',
      'common/passport_mrz_td3', 'kr/rrn', 'kr/alien_registration_number', 'kr/business_registration_number', 'kr/corporate_registration_number',
      'jp/my_number', 'jp/corporate_number', 'cn/resident_id', 'cn/unified_social_credit_code', 'tw/national_id', 'tw/unified_business_number',
      'in/aadhaar', 'in/pan', 'in/gstin', 'us/ssn', 'us/itin', 'us/ein', 'us/npi', 'eu/de_tax_id', 'eu/fr_nir', 'eu/es_dni', 'eu/es_nie',
      'eu/it_codice_fiscale', 'eu/nl_bsn', 'eu/pl_pesel', 'eu/fi_hetu', 'eu/se_personnummer', 'eu/uk_nino', 'eu/uk_nhs_number',
      'secrets/aws_access_key_id', 'secrets/aws_secret_access_key', 'secrets/gcp_api_key', 'secrets/gcp_service_account_key', 'secrets/azure_storage_account_key',
      'secrets/azure_sas_token', 'secrets/github_pat_classic', 'secrets/github_fine_grained_pat', 'secrets/github_oauth_token', 'secrets/github_app_token',
      'secrets/gitlab_pat', 'secrets/gitlab_runner_token', 'secrets/gitlab_deploy_token', 'secrets/slack_bot_token', 'secrets/slack_user_token',
      'secrets/slack_app_token', 'secrets/slack_webhook', 'secrets/stripe_secret_key', 'secrets/stripe_restricted_key', 'secrets/openai_project_key',
      'secrets/openai_legacy_key', 'secrets/anthropic_api_key', 'secrets/huggingface_token', 'secrets/npm_token', 'secrets/pypi_token', 'secrets/jwt',
      'secrets/private_key_block', 'secrets/twilio_api_key', 'secrets/sendgrid_api_key', 'secrets/mailgun_api_key', 'secrets/shopify_token',
      'secrets/discord_bot_token', 'secrets/discord_webhook', 'secrets/telegram_bot_token', 'secrets/google_oauth_client_secret',
      'secrets/digitalocean_token', 'secrets/heroku_api_key', 'secrets/databricks_token', 'secrets/postman_api_key', 'secrets/doppler_token',
      'secrets/linear_api_key', 'secrets/notion_token', 'secrets/atlassian_api_token', 'secrets/square_access_token', 'secrets/datadog_api_key',
      'secrets/generic_secret',
    ]
    expect(required.filter((id) => !all.has(id))).toEqual([])
    // every VAT regime the brief lists has a checksum pattern
    for (const cc of ['de', 'fr', 'it', 'es', 'nl', 'pl', 'be', 'at', 'se', 'fi', 'ie', 'pt', 'dk']) {
      const p = all.get(`eu/${cc}_vat`)
      expect(p, `eu/${cc}_vat`).toBeDefined()
      expect(p!.verification, `eu/${cc}_vat verification`).toBeTruthy()
    }
  })

  it('digits inside longer numbers do not match (boundary lookarounds)', () => {
    const digitPatterns: Array<[string, string, string]> = [
      ['kr', 'rrn', '1850813-18348921'],
      ['us', 'ssn', '1536-22-12345'],
      ['in', 'aadhaar', '123412341234612'],
      ['cn', 'resident_id', '911010519491231002X'],
      ['common', 'card_visa', '941111111111111119'],
    ]
    for (const [f, id, text] of digitPatterns) {
      const p = loadFile(f).patterns.find((x) => x.id === id)!
      expect(findAll(p, text).filter((h) => h.kept), `${f}/${id} in ${text}`).toEqual([])
    }
  })

  it('private key blocks are matched whole (headers, Proc-Type/DEK-Info lines, body, footer)', () => {
    const p = loadFile('secrets').patterns.find((x) => x.id === 'private_key_block')!
    const pem = [
      '-----BEGIN RSA PRIVATE KEY-----',
      'Proc-Type: 4,ENCRYPTED',
      'DEK-Info: AES-128-CBC,2D5F8B1C3A4E6F7091A2B3C4D5E6F708',
      '',
      'MIIEpAIBAAKCAQEAvQ2cRzq1n5Hj0s3tXb8wK9uYg3Lr7mJk2Pq4Vn6Tz1Wc8Yd0Ae5F',
      'q7Xr2Lm9Ns4Bv6Cx1Zk3Jh8Gf5Dd2Ss0Aa9Pp7Oo4Ii6Uu3Yy1Tt8Rr5Ee2Ww0Qq9',
      '-----END RSA PRIVATE KEY-----',
    ].join('\n')
    const hits = findAll(p, `config:\n${pem}\nend`).filter((h) => h.kept)
    expect(hits).toHaveLength(1)
    expect(hits[0].text).toBe(pem)
  })

  it('loads through the engine (schema + example validation) with every pattern', () => {
    const reg = loadRegistry({ paths: [PATTERNS_DIR], validateSchema: true, validateExamples: true, checkReDoS: false, cache: false })
    expect([...reg.namespaces()].sort()).toEqual([...ALL_FILES].sort())
    const total = ALL_FILES.reduce((n, f) => n + loadFile(f).patterns.length, 0)
    expect(reg.list().length).toBe(total)
  })
})
