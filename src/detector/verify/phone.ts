/** Phone numbers via libphonenumber-js with full ("max") metadata: one verifier per region + international. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import type { Verifier, VerifyResult } from './types'

/** Verify a number written in national (or international) format as a valid number of `region`. */
export function phoneVerifier(region: CountryCode): Verifier {
  return (value: string): VerifyResult => {
    const text = value.trim()
    if ((text.match(/\d/g) ?? []).length < 6) return false
    // "252.227-7013" (a DFARS clause) is not written like a phone number: mixed '.' and '-' separators
    if (/\d\.\d/.test(text) && /\d-\d/.test(text)) return false
    const p = parsePhoneNumberFromString(text, region)
    if (!p || p.country !== region) return false
    return p.isValid()
  }
}

/** International format (+CC …): any valid number of any region. */
export function verifyPhoneIntl(value: string): VerifyResult {
  const text = value.trim().replace(/^00/, '+')
  if (!text.startsWith('+')) return false
  const p = parsePhoneNumberFromString(text)
  return !!p && p.isValid()
}

/** Regions with a dedicated verifier (phone_<lowercase region>). */
export const PHONE_REGIONS: CountryCode[] = [
  'KR', 'US', 'CA', 'JP', 'CN', 'HK', 'MO', 'TW', 'IN', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'PL', 'BE', 'AT', 'SE', 'FI', 'IE',
  'PT', 'DK', 'CH', 'NO', 'CZ', 'GR', 'RO', 'HU',
]
