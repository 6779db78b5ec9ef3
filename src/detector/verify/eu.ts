/** Europe (EU, EEA, UK, CH): national identifiers, tax numbers and VAT numbers. */
import { compact, digitsOf, isValidDate, iso7064Mod11_10, luhn, modString, notFuture, verhoeff, weightedSum } from './checksums'
import type { VerifyResult } from './types'

const n = (s: string, i: number): number => s.charCodeAt(i) - 48

// ------------------------------------------------------------------ Germany
/** Steuerliche Identifikationsnummer: 11 digits, no leading 0, digit repetition rule, ISO 7064 MOD 11,10. */
export function verifyDeTaxId(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 11 || d[0] === '0') return false
  const counts = new Array(10).fill(0)
  for (let i = 0; i < 10; i++) counts[n(d, i)]++
  const multi = counts.filter((c) => c > 1)
  // exactly one digit occurs twice or three times; all others at most once
  if (multi.length !== 1 || multi[0] > 3) return false
  if (multi[0] === 3 && /(\d)\1\1/.test(d.slice(0, 10))) return false
  return iso7064Mod11_10(d)
}

/** USt-IdNr DE + 9 digits, ISO 7064 MOD 11,10. */
export function verifyDeVat(value: string): VerifyResult {
  const d = digitsOf(value)
  return d.length === 9 && d[0] !== '0' && iso7064Mod11_10(d)
}

const ICAO_VAL = (ch: string): number => (ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch === '<' ? 0 : ch.charCodeAt(0) - 55)

/** ICAO 9303 check digit (weights 7,3,1) over a field. */
export function icaoCheckDigit(field: string): number {
  const w = [7, 3, 1]
  let s = 0
  for (let i = 0; i < field.length; i++) s += ICAO_VAL(field[i]) * w[i % 3]
  return s % 10
}

/** Personalausweis (since 2010): 9 chars from the German document alphabet + ICAO check digit. */
export function verifyDeIdCard(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d$/.test(v)) return false
  return icaoCheckDigit(v.slice(0, 9)) === n(v, 9)
}

/** Rentenversicherungsnummer: area(2) DDMMYY letter serial(2) check. */
export function verifyDeSvnr(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})([A-Z])(\d{2})(\d)$/.exec(v)
  if (!m) return false
  const area = Number(m[1])
  if (area < 2 || area > 89) return false
  const day = Number(m[2])
  const month = Number(m[3])
  if (day < 1 || day > 31 || month < 1 || month > 12) return false
  const letter = String(m[5].charCodeAt(0) - 64).padStart(2, '0')
  const digits = m[1] + m[2] + m[3] + m[4] + letter + m[6]
  const w = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1]
  let sum = 0
  for (let i = 0; i < 12; i++) {
    const p = n(digits, i) * w[i]
    sum += Math.floor(p / 10) + (p % 10)
  }
  return sum % 10 === Number(m[7])
}

// ------------------------------------------------------------------ France
/** NIR (numéro de sécurité sociale): 13 digits + key = 97 - (N mod 97); Corsica 2A → 19, 2B → 18. */
export function verifyFrNir(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([12378])(\d{2})(\d{2})(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})$/.exec(v)
  if (!m) return false
  const month = Number(m[3])
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99))) return false
  let dept = m[4]
  if (dept === '00') return false
  let body = m[1] + m[2] + m[3] + dept + m[5] + m[6]
  if (dept === '2A' || dept === '2B') {
    dept = dept === '2A' ? '19' : '18'
    body = m[1] + m[2] + m[3] + dept + m[5] + m[6]
  }
  return 97 - modString(body, 97) === Number(m[7])
}

/** SIREN: 9 digits, Luhn. */
export function verifyFrSiren(value: string): VerifyResult {
  const d = digitsOf(value)
  return d.length === 9 && d !== '000000000' && luhn(d)
}

/** SIRET: 14 digits, Luhn (La Poste 356000000 uses digit-sum mod 5). */
export function verifyFrSiret(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 14 || /^0+$/.test(d)) return false
  if (d.startsWith('356000000')) return [...d].reduce((a, c) => a + Number(c), 0) % 5 === 0
  return luhn(d) && luhn(d.slice(0, 9))
}

/** TVA FR: FR + 2-digit key + SIREN; key = (12 + 3 × (SIREN mod 97)) mod 97. */
export function verifyFrVat(value: string): VerifyResult {
  const v = compact(value).toUpperCase().replace(/^FR/, '')
  const m = /^([0-9A-HJ-NP-Z]{2})(\d{9})$/.exec(v)
  if (!m) return false
  if (!luhn(m[2]) && !m[2].startsWith('000')) return false
  if (/^\d{2}$/.test(m[1])) return (12 + 3 * (Number(m[2]) % 97)) % 97 === Number(m[1])
  return { valid: true, confidence: 0.7 } // new-style alphanumeric key: algorithm not published
}

// ------------------------------------------------------------------ Spain
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE'

/** DNI: 8 digits + control letter (mod 23). */
export function verifyEsDni(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^(\d{8})([A-Z])$/.exec(v)
  if (!m || m[1] === '00000000') return false
  return DNI_LETTERS[Number(m[1]) % 23] === m[2]
}

/** NIE: X/Y/Z + 7 digits + control letter (X=0, Y=1, Z=2). */
export function verifyEsNie(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([XYZ])(\d{7})([A-Z])$/.exec(v)
  if (!m) return false
  const num = Number('XYZ'.indexOf(m[1]) + m[2])
  return DNI_LETTERS[num % 23] === m[3]
}

/** CIF / NIF of legal entities: letter + 7 digits + control digit or letter. */
export function verifyEsCif(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])$/.exec(v)
  if (!m) return false
  const d = m[2]
  let sum = 0
  for (let i = 0; i < 7; i++) {
    let x = n(d, i)
    if (i % 2 === 0) {
      x *= 2
      x = Math.floor(x / 10) + (x % 10)
    }
    sum += x
  }
  const digit = (10 - (sum % 10)) % 10
  const letter = 'JABCDEFGHI'[digit]
  const c = m[3]
  if ('KPQSNW'.includes(m[1])) return c === letter
  if ('ABEH'.includes(m[1])) return c === String(digit)
  return c === String(digit) || c === letter
}

/** Número de la Seguridad Social: province(2) + number(8) + control(2) = mod 97. */
export function verifyEsNss(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 12) return false
  const prov = Number(d.slice(0, 2))
  if (prov < 1 || (prov > 53 && prov !== 66)) return false
  const num = Number(d.slice(2, 10))
  const base = num < 10_000_000 ? prov * 10_000_000 + num : Number(d.slice(0, 10))
  return base % 97 === Number(d.slice(10))
}

/** NIF IVA ES: DNI, NIE or CIF after the ES prefix. */
export function verifyEsVat(value: string): VerifyResult {
  const v = compact(value).toUpperCase().replace(/^ES/, '')
  const kLm = /^[KLM]\d{7}[A-Z]$/.test(v) && DNI_LETTERS[Number(v.slice(1, 8)) % 23] === v[8]
  return kLm || verifyEsDni(v) === true || verifyEsNie(v) === true || verifyEsCif(v) === true
}

// ------------------------------------------------------------------ Italy
const CF_ODD: Record<string, number> = {
  0: 1, 1: 0, 2: 5, 3: 7, 4: 9, 5: 13, 6: 15, 7: 17, 8: 19, 9: 21, A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21,
  K: 2, L: 4, M: 18, N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
}
const OMOCODIA = 'LMNPQRSTUV'

/** Codice fiscale: structure, month letter, day (+40 for women), omocodia substitutions, check letter. */
export function verifyItCodiceFiscale(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(v)) return false
  const digitsAt = (s: string): string => [...s].map((c) => (c >= '0' && c <= '9' ? c : String(OMOCODIA.indexOf(c)))).join('')
  let day = Number(digitsAt(v.slice(9, 11)))
  if (day > 40) day -= 40
  if (day < 1 || day > 31) return false
  let sum = 0
  for (let i = 0; i < 15; i++) {
    const c = v[i]
    if (i % 2 === 0) sum += CF_ODD[c]
    else sum += c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65
  }
  return String.fromCharCode(65 + (sum % 26)) === v[15]
}

/** Partita IVA: 11 digits, Luhn, office code 001-100, 120, 121, 888, 999. */
export function verifyItVat(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 11 || /^0+$/.test(d.slice(0, 7))) return false
  const office = Number(d.slice(7, 10))
  if (!((office >= 1 && office <= 100) || office === 120 || office === 121 || office === 888 || office === 999)) return false
  return luhn(d)
}

// ------------------------------------------------------------------ Netherlands
/** BSN: 9 digits (8 with leading zero), 11-proof with weights 9..2 and -1. */
export function verifyNlBsn(value: string): VerifyResult {
  let d = digitsOf(value)
  if (d.length === 8) d = '0' + d
  if (d.length !== 9 || /^0+$/.test(d)) return false
  const sum = weightedSum(d, [9, 8, 7, 6, 5, 4, 3, 2]) - n(d, 8)
  return sum % 11 === 0
}

/** BTW-id NL: 9 digits + B + 2 digits; RSIN 11-proof or (since 2020) mod 97 of "NL" + number. */
export function verifyNlVat(value: string): VerifyResult {
  const v = compact(value).toUpperCase().replace(/^NL/, '')
  const m = /^(\d{9})B(\d{2})$/.exec(v)
  if (!m) return false
  if (verifyNlBsn(m[1]) === true) return true
  // mod 97 over NL + number with letters N=23 L=21 B=11
  const s = '2321' + m[1] + '11' + m[2]
  return modString(s, 97) === 1
}

// ------------------------------------------------------------------ Poland
/** PESEL: birth date with century in month offset, weights 1,3,7,9,... check digit. */
export function verifyPlPesel(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 11) return false
  let month = Number(d.slice(2, 4))
  const yy = Number(d.slice(0, 2))
  const offsets: Array<[number, number]> = [[80, 1800], [0, 1900], [20, 2000], [40, 2100], [60, 2200]]
  let year = -1
  for (const [off, cent] of offsets) {
    if (month > off && month <= off + 12) {
      year = cent + yy
      month -= off
      break
    }
  }
  if (year < 0 || !isValidDate(year, month, Number(d.slice(4, 6)))) return false
  const sum = weightedSum(d, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3])
  return (10 - (sum % 10)) % 10 === n(d, 10)
}

/** NIP: 10 digits, weights 6,5,7,2,3,4,5,6,7 mod 11. */
export function verifyPlNip(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 10 || d.startsWith('000')) return false
  const r = weightedSum(d, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11
  return r !== 10 && r === n(d, 9)
}

/** REGON: 9 digits (weights 8..7) or 14 digits (weights 2,4,8,5,0,9,7,3,6,1,2,4,8), mod 11 (10 → 0). */
export function verifyPlRegon(value: string): VerifyResult {
  const d = digitsOf(value)
  const check = (s: string, w: number[]): boolean => (weightedSum(s, w) % 11) % 10 === n(s, w.length)
  if (d.length === 9) return !/^0+$/.test(d) && check(d, [8, 9, 2, 3, 4, 5, 6, 7])
  if (d.length === 14) return check(d.slice(0, 9), [8, 9, 2, 3, 4, 5, 6, 7]) && check(d, [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8])
  return false
}

/** Dowód osobisty: 3 letters + 6 digits, first digit is the check (weights 7,3,1,9,7,3,1,7,3). */
export function verifyPlIdCard(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^[A-Z]{3}\d{6}$/.test(v)) return false
  const w = [7, 3, 1, 9, 7, 3, 1, 7, 3]
  let sum = 0
  for (let i = 0; i < 9; i++) {
    const c = v[i]
    sum += (c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48) * w[i]
  }
  return sum % 10 === 0
}

// ------------------------------------------------------------------ Belgium
/** Rijksregisternummer / numéro national: YYMMDD SSS CC, check 97 - mod 97 (with '2' prefix for 2000+). */
export function verifyBeNationalNumber(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 11) return false
  const body = d.slice(0, 9)
  const check = Number(d.slice(9))
  let month = Number(d.slice(2, 4))
  if (month >= 40) month -= 40 // BIS numbers
  else if (month >= 20) month -= 20
  const day = Number(d.slice(4, 6))
  if (month > 12 || day > 31) return false
  if (97 - (Number(body) % 97) === check) return true
  return 97 - (Number('2' + body) % 97) === check
}

/** Enterprise number / BTW BE: 10 digits starting 0 or 1, check = 97 - (first 8 mod 97). */
export function verifyBeVat(value: string): VerifyResult {
  let d = digitsOf(value)
  if (d.length === 9) d = '0' + d
  if (d.length !== 10 || (d[0] !== '0' && d[0] !== '1')) return false
  return 97 - (Number(d.slice(0, 8)) % 97) === Number(d.slice(8))
}

// ------------------------------------------------------------------ Austria
/** UID ATU + 8 digits. */
export function verifyAtVat(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 8) return false
  let sum = 0
  for (let i = 0; i < 7; i++) {
    let x = n(d, i)
    if (i % 2 === 1) {
      x *= 2
      x = Math.floor(x / 10) + (x % 10)
    }
    sum += x
  }
  return (10 - ((sum + 4) % 10)) % 10 === n(d, 7)
}

/** Sozialversicherungsnummer: SSS C DDMMYY; weights 3,7,9,_,5,8,4,2,1,6 mod 11. */
export function verifyAtSvnr(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 10 || d[0] === '0') return false
  const w = [3, 7, 9, 0, 5, 8, 4, 2, 1, 6]
  const r = weightedSum(d, w) % 11
  if (r === 10 || r !== n(d, 3)) return false
  const day = Number(d.slice(4, 6))
  const month = Number(d.slice(6, 8))
  return day >= 1 && day <= 31 && month >= 1 && month <= 12
}

// ------------------------------------------------------------------ Nordics
function sePnrParts(value: string): { d10: string; year: number; month: number; day: number } | null {
  const v = value.replace(/\s/g, '')
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(v)
  if (!m) return null
  const now = new Date().getUTCFullYear()
  let year: number
  if (m[1]) year = Number(m[1] + m[2])
  else {
    year = 2000 + Number(m[2])
    if (year > now) year -= 100
    if (m[5] === '+') year -= 100
  }
  return { d10: m[2] + m[3] + m[4] + m[6], year, month: Number(m[3]), day: Number(m[4]) }
}

/** Personnummer / samordningsnummer (day + 60): Luhn over 10 digits + real date; '+' marks age 100+. */
export function verifySePersonnummer(value: string): VerifyResult {
  const p = sePnrParts(value)
  if (!p) return false
  const day = p.day > 60 ? p.day - 60 : p.day
  if (!isValidDate(p.year, p.month, day)) return false
  return luhn(p.d10)
}

/** Organisationsnummer: 10 digits, Luhn, third digit ≥ 2. */
export function verifySeOrgNumber(value: string): VerifyResult {
  const d = digitsOf(value)
  const x = d.length === 12 && d.startsWith('16') ? d.slice(2) : d
  return x.length === 10 && Number(x[2]) >= 2 && luhn(x)
}

/** Momsregistreringsnummer SE + 10 digits + 01. */
export function verifySeVat(value: string): VerifyResult {
  const d = digitsOf(value)
  return d.length === 12 && d.endsWith('01') && luhn(d.slice(0, 10))
}

const HETU_CHARS = '0123456789ABCDEFHJKLMNPRSTUVWXY'

/** Henkilötunnus: DDMMYY + century sign (+, - Y X W V U, A B C D E F) + ZZZ + mod-31 check. */
export function verifyFiHetu(value: string): VerifyResult {
  const v = value.trim().toUpperCase()
  const m = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$/.exec(v)
  if (!m) return false
  const sign = m[4]
  const century = sign === '+' ? 1800 : '-UVWXY'.includes(sign) ? 1900 : 2000
  const year = century + Number(m[3])
  if (!isValidDate(year, Number(m[2]), Number(m[1]))) return false
  const ind = Number(m[5])
  if (ind < 2) return false
  return HETU_CHARS[Number(m[1] + m[2] + m[3] + m[5]) % 31] === m[6]
}

/** Y-tunnus: 7 digits + check (weights 7,9,10,5,8,4,2; mod 11). */
export function verifyFiBusinessId(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 8) return false
  const r = weightedSum(d, [7, 9, 10, 5, 8, 4, 2]) % 11
  if (r === 1) return false
  return (r === 0 ? 0 : 11 - r) === n(d, 7)
}

/** CPR-nummer: DDMMYY-SSSS with century from the 7th digit; mod 11 only adds confidence (dropped 2007). */
export function verifyDkCpr(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 10) return false
  const yy = Number(d.slice(4, 6))
  const s = n(d, 6)
  let year: number
  if (s <= 3) year = 1900 + yy
  else if (s === 4 || s === 9) year = yy <= 36 ? 2000 + yy : 1900 + yy
  else year = yy <= 57 ? 2000 + yy : 1800 + yy
  if (!isValidDate(year, Number(d.slice(2, 4)), Number(d.slice(0, 2)))) return false
  const ok = weightedSum(d, [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0
  return { valid: true, confidence: ok ? 0.95 : 0.6 }
}

/** CVR / SE-nummer (DK VAT): 8 digits, weights 2,7,6,5,4,3,2,1, sum mod 11 = 0. */
export function verifyDkVat(value: string): VerifyResult {
  const d = digitsOf(value)
  return d.length === 8 && d[0] !== '0' && weightedSum(d, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0
}

/** Fødselsnummer / D-nummer: DDMMYY + 3 + two mod-11 check digits. */
export function verifyNoFnr(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 11) return false
  let day = Number(d.slice(0, 2))
  if (day > 40) day -= 40
  let month = Number(d.slice(2, 4))
  if (month > 40) month -= 40 // H-numbers / synthetic
  if (!isValidDate(2000, month, day)) return false
  const k = (w: number[]): number => {
    const r = 11 - (weightedSum(d, w) % 11)
    return r === 11 ? 0 : r
  }
  const k1 = k([3, 7, 6, 1, 8, 9, 4, 5, 2])
  const k2 = k([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
  return k1 === n(d, 9) && k2 === n(d, 10)
}

/** Organisasjonsnummer: 9 digits (starting 8 or 9), weights 3,2,7,6,5,4,3,2 mod 11. */
export function verifyNoOrgNumber(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9 || (d[0] !== '8' && d[0] !== '9')) return false
  const r = 11 - (weightedSum(d, [3, 2, 7, 6, 5, 4, 3, 2]) % 11)
  return (r === 11 ? 0 : r) === n(d, 8)
}

// ------------------------------------------------------------------ Ireland, Portugal
const PPS_ALPHA = 'WABCDEFGHIJKLMNOPQRSTUV'

/** PPSN: 7 digits + check letter + optional A/B/H/W (weights 8..2, second letter × 9, mod 23). */
export function verifyIePpsn(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^(\d{7})([A-W])([ABHW]?)$/.exec(v)
  if (!m) return false
  let sum = weightedSum(m[1], [8, 7, 6, 5, 4, 3, 2])
  if (m[3]) sum += PPS_ALPHA.indexOf(m[3]) * 9
  return PPS_ALPHA[sum % 23] === m[2]
}

/** VAT IE: new 7 digits + 1-2 letters (same mod 23) or old N L NNNNN L style. */
export function verifyIeVat(value: string): VerifyResult {
  const v = compact(value).toUpperCase().replace(/^IE/, '')
  if (/^\d{7}[A-W][A-IW]?$/.test(v)) {
    let sum = weightedSum(v, [8, 7, 6, 5, 4, 3, 2])
    if (v.length === 9) sum += PPS_ALPHA.indexOf(v[8]) * 9
    return PPS_ALPHA[sum % 23] === v[7]
  }
  const m = /^(\d)([A-Z+*])(\d{5})([A-W])$/.exec(v)
  if (m) {
    const digits = '0' + m[3] + m[1]
    return PPS_ALPHA[weightedSum(digits, [8, 7, 6, 5, 4, 3, 2]) % 23] === m[4]
  }
  return false
}

/** NIF (PT): 9 digits, valid first digit(s), mod-11 check. */
export function verifyPtNif(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9) return false
  if (!/^(?:[1235689]|45|7[0-2]|7[4579]|9[0189])/.test(d)) return false
  const r = 11 - (weightedSum(d, [9, 8, 7, 6, 5, 4, 3, 2]) % 11)
  return (r >= 10 ? 0 : r) === n(d, 8)
}

// ------------------------------------------------------------------ United Kingdom
/** National Insurance number: prefix rules (no D F I Q U V; second letter not O; excluded pairs), suffix A-D. */
export function verifyUkNino(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D]?)$/.exec(v)
  if (!m) return false
  const prefix = m[1] + m[2]
  if (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(prefix)) return false
  return m[3] !== '000000'
}

/** NHS number: 10 digits, weights 10..2, check = 11 - (sum mod 11) (11 → 0, 10 invalid). */
export function verifyUkNhs(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 10 || /^(\d)\1{9}$/.test(d)) return false
  const r = 11 - (weightedSum(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11)
  if (r === 10) return false
  return (r === 11 ? 0 : r) === n(d, 9)
}

/** Unique Taxpayer Reference: 10 digits, first digit is a mod-11 check over the other nine. */
export function verifyUkUtr(value: string): VerifyResult {
  const d = digitsOf(value)
  const x = d.length === 13 && d.endsWith('K') ? d.slice(3) : d.slice(-10)
  if (x.length !== 10) return false
  const sum = weightedSum(x.slice(1), [6, 7, 8, 9, 10, 5, 4, 3, 2])
  return '21987654321'[sum % 11] === x[0]
}

/** VAT GB: 9 digits (optionally + 3-digit branch), mod 97 / 9755 rule. */
export function verifyGbVat(value: string): VerifyResult {
  const d = digitsOf(value)
  const x = d.length === 12 ? d.slice(0, 9) : d
  if (x.length !== 9 || x === '000000000') return false
  const sum = weightedSum(x, [8, 7, 6, 5, 4, 3, 2]) + Number(x.slice(7))
  return sum % 97 === 0 || (sum + 55) % 97 === 0
}

/** DVLA driving licence: SURNAME(5) decade MM(+50) DD year initials(2) digit check(2). */
export function verifyUkDrivingLicence(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([A-Z9]{5})(\d)([0156]\d)([0-3]\d)(\d)([A-Z9]{2})(\d)([A-Z0-9]{2})$/.exec(v)
  if (!m) return false
  if (!/^[A-Z]/.test(m[1]) || /[9][A-Z]/.test(m[1])) return false
  let month = Number(m[3])
  if (month > 50) month -= 50
  return isValidDate(2000, month, Number(m[4]))
}

const UK_AREAS = new Set(
  (
    'AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY ' +
    'HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL ' +
    'PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE'
  ).split(' '),
)

/** UK postcode with a real postcode area (GIR 0AA accepted). */
export function verifyUkPostcode(value: string): VerifyResult {
  const v = value.replace(/\s+/g, '').toUpperCase()
  if (v === 'GIR0AA') return true
  const m = /^([A-Z]{1,2})\d[A-Z\d]?\d[ABD-HJLNP-UW-Z]{2}$/.exec(v)
  return !!m && UK_AREAS.has(m[1])
}

// ------------------------------------------------------------------ Switzerland
/** AHV/AVS number 756.XXXX.XXXX.XC: EAN-13 check digit. */
export function verifyChAhv(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 13 || !d.startsWith('756')) return false
  let sum = 0
  for (let i = 0; i < 12; i++) sum += n(d, i) * (i % 2 === 0 ? 1 : 3)
  return (10 - (sum % 10)) % 10 === n(d, 12)
}

/** UID CHE-123.456.789: weights 5,4,3,2,7,6,5,4 mod 11. */
export function verifyChUid(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9) return false
  const r = 11 - (weightedSum(d, [5, 4, 3, 2, 7, 6, 5, 4]) % 11)
  if (r === 10) return false
  return (r === 11 ? 0 : r) === n(d, 8)
}

// ------------------------------------------------------------------ Central & Eastern Europe
/** Rodné číslo (CZ/SK): YYMMDD/SSS(C), month +50 (women), +20/+70 since 2004, 10-digit number mod 11. */
export function verifyCzBirthNumber(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9 && d.length !== 10) return false
  const yy = Number(d.slice(0, 2))
  let month = Number(d.slice(2, 4))
  const day = Number(d.slice(4, 6))
  if (month > 70) month -= 70
  else if (month > 50) month -= 50
  else if (month > 20) month -= 20
  let year = 1900 + yy
  if (d.length === 10 && yy < 54) year = 2000 + yy
  if (d.length === 9 && yy >= 54) return false
  if (!isValidDate(year, month, day)) return false
  if (d.length === 9) return true
  const r = modString(d.slice(0, 9), 11) % 10
  return r === n(d, 9)
}

/** IČO (CZ/SK company id): 8 digits, weights 8..2, check = (11 - sum mod 11) mod 10. */
export function verifyCzIco(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 8) return false
  return (11 - (weightedSum(d, [8, 7, 6, 5, 4, 3, 2]) % 11)) % 10 === n(d, 7)
}

/** DIČ CZ: CZ + IČO (8) or rodné číslo (9/10). */
export function verifyCzVat(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length === 8) return d[0] !== '9' && verifyCzIco(d)
  return verifyCzBirthNumber(d)
}

/** CNP (RO): S YYMMDD JJ NNN C, weights 279146358279, county 01-52. */
export function verifyRoCnp(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 13 || d[0] === '0') return false
  const s = n(d, 0)
  const cent = s <= 2 ? 1900 : s <= 4 ? 1800 : s <= 6 ? 2000 : 1900
  if (!isValidDate(cent + Number(d.slice(1, 3)), Number(d.slice(3, 5)), Number(d.slice(5, 7)))) return false
  const county = Number(d.slice(7, 9))
  if (county < 1 || (county > 52 && county !== 70)) return false
  const r = weightedSum(d, [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11
  return (r === 10 ? 1 : r) === n(d, 12)
}

/** OIB (HR): 11 digits, ISO 7064 MOD 11,10. */
export function verifyHrOib(value: string): VerifyResult {
  const d = digitsOf(value)
  return d.length === 11 && iso7064Mod11_10(d)
}

/** AMKA (GR): DDMMYY + 5 digits, Luhn, real date. */
export function verifyGrAmka(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 11) return false
  if (!isValidDate(2000, Number(d.slice(2, 4)), Number(d.slice(0, 2)))) return false
  return luhn(d)
}

/** AFM (GR tax id): 9 digits, Σ d_i·2^(8-i) mod 11 mod 10. */
export function verifyGrAfm(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9 || d === '000000000') return false
  let sum = 0
  for (let i = 0; i < 8; i++) sum += n(d, i) * 2 ** (8 - i)
  return (sum % 11) % 10 === n(d, 8)
}

/** Adóazonosító jel (HU tax id): starts with 8, weights 1..9 mod 11. */
export function verifyHuTaxId(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 10 || d[0] !== '8') return false
  const r = weightedSum(d, [1, 2, 3, 4, 5, 6, 7, 8, 9]) % 11
  return r !== 10 && r === n(d, 9)
}

/** TAJ (HU social security): 9 digits, weights 3,7 alternating, mod 10. */
export function verifyHuTaj(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9 || d === '000000000') return false
  return weightedSum(d, [3, 7, 3, 7, 3, 7, 3, 7]) % 10 === n(d, 8)
}

/** EGN (BG): YYMMDD (+20 1800s, +40 2000s) + 3 + check (weights 2,4,8,5,10,9,7,3,6 mod 11). */
export function verifyBgEgn(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 10) return false
  let month = Number(d.slice(2, 4))
  let year = 1900 + Number(d.slice(0, 2))
  if (month > 40) {
    month -= 40
    year += 100
  } else if (month > 20) {
    month -= 20
    year -= 100
  }
  if (!isValidDate(year, month, Number(d.slice(4, 6)))) return false
  const r = weightedSum(d, [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11
  return (r === 10 ? 0 : r) === n(d, 9)
}

/** Estonian isikukood / Lithuanian asmens kodas: G YYMMDD SSS C with two-stage mod-11 check. */
export function verifyBalticPersonalCode(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 11) return false
  const g = n(d, 0)
  if (g < 1 || g > 6) return false
  const year = 1800 + Math.floor((g - 1) / 2) * 100 + Number(d.slice(1, 3))
  if (!isValidDate(year, Number(d.slice(3, 5)), Number(d.slice(5, 7)))) return false
  let r = weightedSum(d, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11
  if (r === 10) {
    r = weightedSum(d, [3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 11
    if (r === 10) r = 0
  }
  return r === n(d, 10)
}

/** Latvian personas kods (pre-2017): DDMMYY-CNNNN with (1101 - Σw) mod 11 check. */
export function verifyLvPersonalCode(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 11) return false
  const c = n(d, 6)
  if (c > 2) return false
  const year = 1800 + c * 100 + Number(d.slice(4, 6))
  if (!isValidDate(year, Number(d.slice(2, 4)), Number(d.slice(0, 2)))) return false
  const r = (1101 - weightedSum(d, [1, 6, 3, 7, 9, 10, 5, 8, 4, 2])) % 11
  return r === n(d, 10)
}

/** EMŠO (SI): DDMMYYY RR BBB K, weights 7..2,7..2, check = 11 - mod 11 (11 → 0). */
export function verifySiEmso(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 13) return false
  const yyy = Number(d.slice(4, 7))
  const year = yyy >= 800 ? 1000 + yyy : 2000 + yyy
  const month = Number(d.slice(2, 4))
  const day = Number(d.slice(0, 2))
  if (!isValidDate(year, month, day) || !notFuture(year, month, day)) return false
  const r = 11 - (weightedSum(d, [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11)
  if (r === 10) return false
  return (r === 11 ? 0 : r) === n(d, 12)
}

/** Luxembourg national id (matricule): YYYYMMDD XXX + Luhn digit + Verhoeff digit. */
export function verifyLuMatricule(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 13) return false
  if (!isValidDate(Number(d.slice(0, 4)), Number(d.slice(4, 6)), Number(d.slice(6, 8)))) return false
  const base = d.slice(0, 11)
  return luhn(base + d[11]) && verhoeff(base + d[12])
}

/** Per-country VAT dispatch for an "XX…" prefixed number. */
export function verifyEuVat(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const cc = v.slice(0, 2)
  const rest = v.slice(2)
  switch (cc) {
    case 'DE': return /^\d{9}$/.test(rest) && verifyDeVat(rest)
    case 'FR': return verifyFrVat(rest)
    case 'IT': return /^\d{11}$/.test(rest) && verifyItVat(rest)
    case 'ES': return verifyEsVat(rest)
    case 'NL': return verifyNlVat(rest)
    case 'PL': return /^\d{10}$/.test(rest) && verifyPlNip(rest)
    case 'BE': return /^[01]?\d{9}$/.test(rest) && verifyBeVat(rest)
    case 'AT': return /^U\d{8}$/.test(rest) && verifyAtVat(rest)
    case 'SE': return /^\d{12}$/.test(rest) && verifySeVat(rest)
    case 'FI': return /^\d{8}$/.test(rest) && verifyFiBusinessId(rest)
    case 'IE': return verifyIeVat(rest)
    case 'PT': return /^\d{9}$/.test(rest) && verifyPtNif(rest)
    case 'DK': return /^\d{8}$/.test(rest) && verifyDkVat(rest)
    case 'CZ': return /^\d{8,10}$/.test(rest) && verifyCzVat(rest)
    case 'EL': return /^\d{9}$/.test(rest) && verifyGrAfm(rest)
    case 'HR': return /^\d{11}$/.test(rest) && verifyHrOib(rest)
    case 'HU': return verifyHuVat(rest)
    case 'RO': return /^\d{2,10}$/.test(rest) && verifyRoVat(rest)
    case 'GB': case 'XI': return /^\d{9}(?:\d{3})?$/.test(rest) && verifyGbVat(rest)
    default: return false
  }
}

/** CUI/CIF (RO VAT): 2-10 digits, weights 753217532 right-aligned, (sum*10) mod 11 mod 10. */
export function verifyRoVat(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length < 2 || d.length > 10) return false
  const padded = d.padStart(10, '0')
  const sum = weightedSum(padded, [7, 5, 3, 2, 1, 7, 5, 3, 2])
  return ((sum * 10) % 11) % 10 === n(padded, 9)
}

/** ANUM (HU VAT): 8 digits, weights 9,7,3,1,9,7,3, check = (10 - sum mod 10) mod 10. */
export function verifyHuVat(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 8) return false
  return (10 - (weightedSum(d, [9, 7, 3, 1, 9, 7, 3]) % 10)) % 10 === n(d, 7)
}

/** Krankenversichertennummer: letter (01-26) + 8 digits + check digit (weights 1,2 with digit sums, mod 10). */
export function verifyDeKvnr(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([A-Z])(\d{8})(\d)$/.exec(v)
  if (!m) return false
  const digits = String(m[1].charCodeAt(0) - 64).padStart(2, '0') + m[2]
  let sum = 0
  for (let i = 0; i < 10; i++) {
    const p = n(digits, i) * (i % 2 === 0 ? 1 : 2)
    sum += Math.floor(p / 10) + (p % 10)
  }
  return sum % 10 === Number(m[3])
}

/** Carte nationale d'identité: 12 digits (YYMM + department + serial) before 2021, or 9 alphanumerics since. */
export function verifyFrCni(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (/^\d{12}$/.test(v)) {
    const month = Number(v.slice(2, 4))
    return month >= 1 && month <= 12
  }
  return /^[A-Z0-9]{9}$/.test(v) && /\d/.test(v) && /[A-Z]/.test(v)
}

/** Cartão de Cidadão: 8 digits + check + 2 alphanumerics + check (doubling alphabet-36 Luhn variant). */
export function verifyPtCc(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^\d{9}[A-Z0-9]{2}\d$/.test(v)) return false
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const payload = v.slice(0, 11)
  let s = 0
  for (let i = 0; i < payload.length; i++) {
    const x = alphabet.indexOf(payload[payload.length - 1 - i])
    if (i % 2 === 0) {
      const d = x * 2
      s += d > 9 ? d - 9 : d
    } else s += x
  }
  return String((((10 - s) % 10) + 10) % 10) === v[11]
}
