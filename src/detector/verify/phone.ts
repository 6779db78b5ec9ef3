/** Phone numbers via libphonenumber-js with full ("max") metadata: one verifier per region + international. */
import { Metadata } from 'libphonenumber-js/core'
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max'
import metadata from 'libphonenumber-js/metadata.max.json'
import type { Verifier, VerifyResult } from './types'

/** Only digits, spaces and the separators our phone patterns allow: no extension, letters or non-ASCII digits. */
const PLAIN = /^[0-9 +\-.()/]+$/

/**
 * Transform rules whose result is still a tail of the digits: JP's keeps the captured `000[2569]…`,
 * which runs to the end of the number. Any other rule (or a changed one) turns the pre-check off.
 */
const TAIL_TRANSFORMS: Record<string, [string, string]> = { JP: ['(000[2569]\\d{4,6})$|(?:(?:003768)0?)|0', '$1'] }

/**
 * A cheap, exact reject before libphonenumber's parse (4–30 µs): the national number it validates is
 * what is left of the digits after stripping an IDD prefix, a calling code or a national prefix, i.e.
 * a tail of them, and a valid number of `region` matches the region's general national-number pattern.
 * So when no tail of the digits matches that pattern the number cannot be valid there. Null when the
 * region's parse may produce something other than a tail (a national-prefix transform rule).
 */
export function tailPattern(region: CountryCode): RegExp | null {
  const plan = numberingPlan(region)
  const rule = plan.nationalPrefixTransformRule()
  if (rule) {
    const known = TAIL_TRANSFORMS[region]
    if (!known || known[0] !== plan.nationalPrefixForParsing() || known[1] !== rule) return null
  }
  return new RegExp(`(?:${plan.nationalNumberPattern()})$`)
}

/** The parts of libphonenumber-js's numbering plan (by region or calling code) the checks here read. */
interface NumberingPlan {
  callingCode(): string
  IDDPrefix(): string | undefined
  leadingDigits(): string | undefined
  possibleLengths(): number[] | undefined
  nationalNumberPattern(): string
  /** (falls back to the national prefix itself) */
  nationalPrefixForParsing(): string | undefined
  nationalPrefixTransformRule(): string | undefined
  hasTypes(): boolean
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined
}

function numberingPlan(regionOrCallingCode: string): NumberingPlan {
  const m = new Metadata(metadata)
  m.selectNumberingPlan(regionOrCallingCode as CountryCode)
  return m.numberingPlan as unknown as NumberingPlan
}

/** libphonenumber-js's number types, in the order its getNumberType tries them. */
const NUMBER_TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'] as const

/** A numbering plan's validity tests, compiled once. */
interface PlanTests {
  general: RegExp
  /** null: the plan has no types (the general pattern decides alone) */
  types: Array<{ re: RegExp; lengths: number[] | undefined }> | null
}

const planTests = new Map<string, PlanTests>()

function testsFor(plan: string): PlanTests {
  let t = planTests.get(plan)
  if (t) return t
  const np = numberingPlan(plan)
  const whole = (src: string) => new RegExp(`^(?:${src})$`)
  const types: PlanTests['types'] = np.hasTypes() ? [] : null
  if (types) {
    for (const name of NUMBER_TYPES) {
      const def = np.type(name)
      if (def && def.pattern()) types.push({ re: whole(def.pattern()), lengths: def.possibleLengths() })
    }
  }
  t = { general: whole(np.nationalNumberPattern()), types }
  planTests.set(plan, t)
  return t
}

/**
 * `p.isValid()` with the plan's patterns compiled once: the same tests as libphonenumber-js's
 * isValid and getNumberType (general pattern, then any type's possible lengths and pattern), which
 * build each RegExp anew per call (a third of a verification; more when a GC evicts V8's cache).
 */
export function isValidNumber(p: PhoneNumber): boolean {
  const plan = p.country ?? p.countryCallingCode
  if (!plan) return false
  return validNational(testsFor(plan), p.nationalNumber)
}

function validNational(t: PlanTests, nn: string): boolean {
  if (!t.general.test(nn)) return false
  if (!t.types) return true
  for (const ty of t.types) if ((!ty.lengths || ty.lengths.includes(nn.length)) && ty.re.test(nn)) return true
  return false
}

/** What libphonenumber-js reads of a region to parse a number written in its national format. */
interface NationalParse {
  callingCode: string
  /** ^(?:IDD prefix): in front, an international number */
  idd: RegExp | null
  /** ^(?:national prefix for parsing), not global (as String.replace with it must be) */
  prefix: RegExp | null
  /** the transform rule (the metadata writes 0 for none) */
  transform: string | undefined
  lengths: number[] | undefined
  tests: PlanTests
  /** the regions that share the calling code, in the metadata's order (null: the region's own code) */
  sharing: SharingRegion[] | null
}

/** What getCountryByNationalNumber reads of a region that shares its calling code. */
interface SharingRegion {
  region: string
  /** ^(?:leading digits), or null: then the number must be of some type of the region */
  leading: RegExp | null
  tests: PlanTests
  lengths: number[] | undefined
}

const nationalParses = new Map<string, NationalParse>()

function nationalParseOf(region: CountryCode): NationalParse {
  let n = nationalParses.get(region)
  if (n) return n
  const np = numberingPlan(region)
  const callingCode = np.callingCode()
  const regions = (metadata as unknown as { country_calling_codes: Record<string, string[]> }).country_calling_codes[callingCode]
  const forParsing = np.nationalPrefixForParsing()
  const idd = np.IDDPrefix()
  n = {
    callingCode,
    idd: idd ? new RegExp(`^(?:${idd})`) : null,
    prefix: forParsing ? new RegExp(`^(?:${forParsing})`) : null,
    transform: np.nationalPrefixTransformRule() || undefined,
    lengths: np.possibleLengths(),
    tests: testsFor(region),
    sharing:
      regions.length > 1
        ? regions.map((r) => {
            const rp = numberingPlan(r)
            const leading = rp.leadingDigits()
            return { region: r, leading: leading ? new RegExp(`^(?:${leading})`) : null, tests: testsFor(r), lengths: rp.possibleLengths() }
          })
        : null,
  }
  nationalParses.set(region, n)
  return n
}

/**
 * getCountryByNationalNumber: the first sharing region whose leading digits start the number or,
 * for one without leading digits, of whose types the number is one (getNumberType).
 */
function sharingRegionOf(nn: string, sharing: SharingRegion[]): SharingRegion | undefined {
  for (const s of sharing) {
    if (s.leading) {
      if (nn && s.leading.test(nn)) return s
    } else if (s.tests.types && validNational(s.tests, nn)) return s
  }
  return undefined
}

/**
 * libphonenumber-js's verdict on plain digits written in `region`'s national format, as its parse
 * reaches it (extractNationalNumber: national prefix for parsing, transform rule, the checks that
 * undo the strip; the country, among regions that share the calling code, by the number; then
 * isValid), with every RegExp compiled once: its parse builds a RegExp from a metadata string at
 * each step, 5–40 µs a number, most of a 16 MB find's verification. Null when the parse takes
 * another road (an IDD prefix or the calling code in front: maybe an international number), left
 * to libphonenumber-js itself. Must agree with `libphonenumberVerdict` (verify.test.ts compares them).
 */
export function nationalVerdict(digits: string, region: CountryCode): boolean | null {
  const n = nationalParseOf(region)
  if (n.idd?.test(digits) || digits.startsWith(n.callingCode)) return null
  let nn = digits
  const m = n.prefix ? n.prefix.exec(digits) : null
  if (m) {
    const groups = m.length - 1
    const captured = groups > 0 && !!m[groups]
    const stripped = n.transform && captured ? digits.replace(n.prefix as RegExp, n.transform) : digits.slice(m[0].length)
    // extractNationalNumber keeps the prefix when the rest stops matching the plan, or cannot be a
    // number by length (of the region the rest belongs to, when the calling code is shared)
    if (stripped !== digits && !(n.tests.general.test(digits) && !n.tests.general.test(stripped))) {
      const owner = n.sharing ? sharingRegionOf(stripped, n.sharing) : undefined
      if (!n.lengths || possiblePart(stripped.length, owner ? owner.lengths : n.lengths)) nn = stripped
    }
  }
  // parse(): MIN_LENGTH_FOR_NSN, MAX_LENGTH_FOR_NSN
  if (nn.length < 2 || nn.length > 17) return false
  // the country: by the number among regions sharing the calling code, else the region itself
  if (n.sharing && (sharingRegionOf(nn, n.sharing)?.region ?? region) !== region) return false
  return validNational(n.tests, nn)
}

/** checkNumberLength's answer is neither TOO_SHORT nor INVALID_LENGTH (TOO_LONG passes, as there). */
function possiblePart(length: number, lengths: number[] | undefined): boolean {
  if (!lengths) return true
  if (lengths[0] === length) return true
  if (lengths[0] > length) return false
  if (lengths[lengths.length - 1] < length) return true
  return lengths.indexOf(length, 1) >= 0
}

/** libphonenumber-js's own verdict: a valid number of `region`. */
export function libphonenumberVerdict(text: string, region: CountryCode): boolean {
  const p = parsePhoneNumberFromString(text, region)
  return !!p && p.country === region && isValidNumber(p)
}

/** Verify a number written in national (or international) format as a valid number of `region`. */
export function phoneVerifier(region: CountryCode): Verifier {
  let tail: RegExp | null | undefined
  return (value: string): VerifyResult => {
    const text = value.trim()
    const digits = text.replace(/\D/g, '')
    if (digits.length < 6) return false
    // "252.227-7013" (a DFARS clause) is not written like a phone number: mixed '.' and '-' separators
    if (/\d\.\d/.test(text) && /\d-\d/.test(text)) return false
    if (tail === undefined) tail = tailPattern(region)
    const plain = PLAIN.test(text)
    if (tail && plain && !tail.test(digits)) return false
    // plain text holds no extension, and without a '+' it is read in the region's national format
    if (plain && !text.includes('+') && text.length <= 250) {
      const v = nationalVerdict(digits, region)
      if (v !== null) return v
    }
    return libphonenumberVerdict(text, region)
  }
}

/** International format (+CC …): any valid number of any region. */
export function verifyPhoneIntl(value: string): VerifyResult {
  const text = value.trim().replace(/^00/, '+')
  if (!text.startsWith('+')) return false
  const p = parsePhoneNumberFromString(text)
  return !!p && isValidNumber(p)
}

/** Regions with a dedicated verifier (phone_<lowercase region>). */
export const PHONE_REGIONS: CountryCode[] = [
  'KR', 'US', 'CA', 'JP', 'CN', 'HK', 'MO', 'TW', 'IN', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'PL', 'BE', 'AT', 'SE', 'FI', 'IE',
  'PT', 'DK', 'CH', 'NO', 'CZ', 'GR', 'RO', 'HU',
]
