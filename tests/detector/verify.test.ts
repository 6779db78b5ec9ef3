/**
 * Every built-in verifier against published valid numbers (registry samples, vendor test numbers,
 * official documentation examples) and invalid variants (one digit flipped, impossible date, bad prefix).
 */
import { describe, expect, it } from 'vitest'
import { builtinVerifiers, type VerifyResult } from '../../src/detector/verify/index'
import { base58CheckDecode, bech32Decode, iso7064Mod11_2, iso7064Mod11_10, luhn, shannonEntropy, verhoeff } from '../../src/detector/verify/checksums'
import { keccak256, toChecksumAddress, toHex } from '../../src/detector/verify/crypto'
import { base62, crc32 } from '../../src/detector/verify/secrets'
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import examples from 'libphonenumber-js/examples.mobile.json'
import { PHONE_REGIONS, isValidNumber, libphonenumberVerdict, nationalVerdict, phoneVerifier, tailPattern } from '../../src/detector/verify/phone'
import { rng } from './engine-helpers'

/** A token in GitHub's format: prefix_ + 30 random base62 chars + 6-char base62 CRC32 of them. */
function ghToken(prefix: string, body: string): string {
  return `${prefix}_${body}${base62(crc32(body), 6)}`
}

const ok = (r: VerifyResult): boolean => (typeof r === 'boolean' ? r : r.valid)
const conf = (r: VerifyResult): number | undefined => (typeof r === 'boolean' ? undefined : r.confidence)

/** name → [valid values, invalid values] */
const CASES: Record<string, [string[], string[]]> = {
  luhn: [['79927398713', '4111111111111111', '06138457'], ['79927398710', '4111111111111112', '0000000000000000']],
  credit_card: [
    ['4111 1111 1111 1111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '30569309025904', '6200000000000005', '2223003122003222', '4222222222222', '6759649826438453'],
    ['4111 1111 1111 1112', '5555555555554445', '1111111111111111', '4111-1111-1111-111a', '41111111111'],
  ],
  iban: [
    ['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'CH9300762011623852957', 'BE68539007547034'],
    ['DE89 3704 0044 0532 0130 01', 'GB82WEST1234569876543', 'XX82WEST12345698765432', 'NL91ABNA0417164301'],
  ],
  swift_bic: [['DEUTDEFF', 'NEDSZAJJXXX', 'CHASUS33', 'BNPAFRPPXXX'], ['DEUTQQFF', 'DEUT1EFF', 'DEUTDEF', 'DEUTDEFFXX']],
  imei: [['490154203237518', '35-967850-085176-1', '359678500851761'], ['490154203237519', '001234567890128', '111111111111111']],
  meid: [['A0000049A1B2C3', '99000123456789'], ['A0000049A1B2CZ', '12']],
  mrz_td3: [['L898902C36UTO7408122F1204159ZE184226B<<<<<10'], ['L898902C36UTO7408122F1204159ZE184226B<<<<<11', 'L898902C37UTO7408122F1204159ZE184226B<<<<<10']],
  mrz_td1: [['7408122F1204159UTO<<<<<<<<<<<6'], ['7408123F1204159UTO<<<<<<<<<<<6', '7408122F1204158UTO<<<<<<<<<<<6']],
  ipv4: [['192.168.1.1', '8.8.8.8', '203.0.113.7'], ['256.1.1.1', '01.2.3.4', '1.2.3']],
  ipv6: [['2001:db8:85a3::8a2e:370:7334', 'fe80::1ff:fe23:4567:890a', '2001:0db8:0000:0000:0000:ff00:0042:8329'], ['a::b', '::1', '2001:db8:::1', '12:34:56']],
  mac: [['00:1a:2b:3c:4d:5e', '3C-52-82-1F-A0-0B', '001a.2b3c.4d5e'], ['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '00:1a:2b:3c:4d']],
  card_track: [['%B4111111111111111^DOE/JOHN^2912101'], ['%B4111111111111112^DOE/JOHN^2912101', 'B4111111111111111^']],
  date: [['1985-04-12', '2001/12/31', '25/12/1985', '04/12/1985', '1990년 1월 15일', '1990年1月15日'], ['1985-02-30', '1985-04/12', '2999-01-01', '31/02/1985']],
  btc_address: [
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297'],
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr', 'bc1Qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'],
  ],
  eth_address: [['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB', '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb'], ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', '0x0000000000000000000000000000000000000000', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA']],
  ltc_address: [['Lg8HqVmPZrW5XZSHxoDDEd5SToz5UTd8vH', 'MLEnq4dSs5Wxvj1XUpJF7rKGeC5ivCQmZa', 'ltc1qa4pkkdqrzdp5ckgdae5a7jg868k3gkwast8unr'], ['Lg8HqVmPZrW5XZSHxoDDEd5SToz5UTd8vJ', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa']],
  doge_address: [['D7NwEKznT4q4XPcigk5HsW5kESaKW1F4K3', 'DNPZEKoS8RKV7CawcJ9AxKVf7htFF8zVdP'], ['D7NwEKznT4q4XPcigk5HsW5kESaKW1F4K4', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa']],
  tron_address: [['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'TCxMcAHgHSrbch9Zx54r6yYEP9pQvDBab8'], ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa']],
  xrp_address: [['rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh', 'rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe'], ['rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTi', 'r0000000000000000000000000']],
  cardano_address: [['addr1vxp33x4qrte20zkmnzv9qmxxyc4fsg48jfl2227tttdxgkgntzh7c', 'addr1wykkxh9surrg2t0j9v39va6xkzs0mp3ghhhevawc7s8th2qauw5xv'], ['addr1vxp33x4qrte20zkmnzv9qmxxyc4fsg48jfl2227tttdxgkgntzh7d', 'stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw']],
  entropy: [['api_key = "Zk3J9q1LmP0aXw7RtY2uV8bN"', 'password: pmTqa8v#S@zZ8ibA6xPU', 'secret=9f86d081884c7d659a2feaa0c55ad015'], ['password = "changeme-changeme"', 'token = aaaaaaaaaaaaaaaaaaaaaaaa', 'api_key: ${API_KEY}', 'secret: your-secret-key-here']],
  token_entropy: [['AKIA2OGYBAH6STMMNXNN', 'glpat-x8Zq1LmP0aXw7RtY2uV8'], ['AKIAIOSFODNN7EXAMPLE', 'glpat-xxxxxxxxxxxxxxxxxxxx']],
  jwt: [['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'], ['eyJub3RhIjoiand0In0.eyJzdWIiOiIxMjMifQ.abc', 'eyJhbGciOiJIUzI1NiJ9.bm9wZQ.sig', 'a.b']],
  crc32_token: [[ghToken('ghp', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO'), ghToken('npm', 'Qm9sZGx5IGdvIHdoZXJlIG5vIG9uZS')], ['ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'ghp_short']],
  url_credentials: [['postgres://admin:S3cr3t-Pa55@db.internal:5432/app', 'https://bob:hunter2xyz@example.org/'], ['https://user:password@example.com', 'postgres://user:${DB_PASSWORD}@db/app', 'https://u:***@h']],
  discord_token: [['MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.' + 'x'.repeat(38)], ['bm90IGFuIGlk.GaBcDe.' + 'x'.repeat(38)]],
  phone_kr: [['010-1234-5678', '02-2123-4567', '031-123-4567'], ['09-1234-5678', '02-123']],
  phone_us: [['(201) 555-0123', '212-555-0199', '+1 415 555 2671'], ['(123) 555-0123', '252.227-7013', '416-555-0123']],
  phone_ca: [['(416) 555-0123', '604-555-0199'], ['(201) 555-0123', '(123) 555-0123']],
  phone_jp: [['03-1234-5678', '090-1234-5678', '0120-123-456'], ['011-123-4567', '03-1234']],
  phone_cn: [['138 0013 8000', '010-12345678', '0755-12345678'], ['12812345678', '010-1234']],
  phone_hk: [['2345 6789', '9123 4567'], ['1234 5678', '2345 678']],
  phone_mo: [['6612 3456', '2888 1234'], ['1612 3456', '6612 345']],
  phone_tw: [['0912-345-678', '02-2345-6789', '(02)2345-6789'], ['0012-345-678', '02-234']],
  phone_in: [['98765 43210', '022-23456789', '080 2345 6789'], ['00000 00000', '98765 4321', '022-2345']],
  phone_gb: [['020 7946 0958', '0161 496 0000', '07400 123456'], ['0000 946 0958', '020 79']],
  phone_de: [['030 12345678', '0151 23456789', '089 1234567'], ['0000 1234', '030 1']],
  phone_fr: [['01 23 45 67 89', '06 12 34 56 78'], ['00 23 45 67 89', '01 23 45']],
  phone_es: [['612 345 678', '912 345 678'], ['112 345 678', '612 345']],
  phone_it: [['312 345 6789', '06 1234 5678'], ['212 345 6789', '06 12']],
  phone_nl: [['06 12345678', '020 123 4567'], ['00 12345678', '06 1234567']],
  phone_pl: [['512 345 678', '22 123 45 67'], ['012 345 678', '512 345 67']],
  phone_be: [['0470 12 34 56', '02 512 34 56'], ['0000 12 34 56', '0470 12 34']],
  phone_at: [['0664 1234567', '01 234567'], ['0000 1234567', '0664 1']],
  phone_se: [['070-123 45 67', '08-123 456 78'], ['000-123 45 67', '070-12']],
  phone_fi: [['040 123 4567', '09 1234 5678'], ['000 123 4567', '040 12']],
  phone_ie: [['085 123 4567', '01 234 5678'], ['000 123 4567', '085 123']],
  phone_pt: [['912 345 678', '213 456 789'], ['812 345 678', '912 345 67']],
  phone_dk: [['32 12 34 56', '20 12 34 56'], ['02 12 34 56', '32 12 34']],
  phone_ch: [['044 123 45 67', '079 123 45 67'], ['000 123 45 67', '044 123 45']],
  phone_no: [['412 34 567', '22 12 34 56'], ['012 34 567', '412 34 56']],
  phone_cz: [['601 123 456', '212 345 678'], ['001 123 456', '601 123']],
  phone_gr: [['21 0123 4567', '691 234 5678'], ['01 0123 4567', '21 0123']],
  phone_ro: [['0712 345 678', '021 123 4567'], ['0012 345 678', '0712 345']],
  phone_hu: [['06 30 123 4567', '06 1 234 5678'], ['06 00 123 4567', '06 30 12']],
  phone_intl: [['+44 20 7946 0958', '+82-10-1234-5678', '+1 (201) 555-0123', '+81 3-1234-5678', '0049 30 12345678'], ['+1 555', '+999 123 456 789', '44 20 7946 0958']],
  kr_rrn: [['850813-1834892', '0907104786600', '070418-4912972'], ['851310-1213950', '850230-1213950', '850813-5834892', '991231-3234567']],
  kr_arn: [['790310-5443998', '020226-8780450'], ['791310-5443998', '790310-1443998']],
  kr_brn: [['220-81-62517', '124-81-00998', '831-19-60200'], ['220-81-62518', '124-81-00999', '000-00-00000']],
  kr_crn: [['130111-0006246', '110111-0672538'], ['130111-0006247', '1301110006']],
  kr_driver_license: [['11-12-345678-90', '28-05-123456-01'], ['10-12-345678-90', '29-12-345678-90']],
  us_ssn: [['536-22-1234', '219-09-9991', '401642255'], ['666-22-1234', '000-22-1234', '912-22-1234', '536-00-1234', '536-22-0000', '078-05-1120', '123-45-6789']],
  us_itin: [['912-70-1234', '999-88-7777', '955-50-1234'], ['912-69-1234', '912-89-1234', '812-70-1234', '999-99-9999']],
  us_ein: [['12-3456789', '80-7509330', '98-7654321'], ['07-3456789', '89-3456789', '00-1234567', '12-0000000']],
  us_npi: [['1234567893', '1840378453'], ['1234567894', '3234567893']],
  us_aba: [['021000021', '011000015', '121000358', '026009593'], ['021000022', '991000016', '000000000']],
  us_dea: [['AB1234563', 'B93150113'], ['AB1234564', 'IB1234563', 'AB123456']],
  us_mbi: [['1EG4-TE5-MK73', '2FG5HJ6KM84'], ['1SG4-TE5-MK73', '0EG4-TE5-MK73', '1EGA-TE5-MK73']],
  us_passport: [['488839667', 'A12345678'], ['111111111', '48883966']],
  vin: [['1M8GDM9AXKP042788', '1HGCM38338M082796'], ['1M8GDM9A1KP042788', '11111111111111111', '1M8GDM9AXKP0427O8']],
  us_hicn: [['536221234A', '401-64-2255B1'], ['666221234A', '536221234Q']],
  ca_sin: [['910 822 998', '509-200-713'], ['910 822 999', '046 454 286', '810 822 994']],
  jp_my_number: [['123456789018', '3051 0354 6228'], ['123456789019', '111111111111', '12345678901']],
  jp_corporate_number: [['7000012050002', '9010057210169'], ['8000012050002', '700001205000']],
  jp_residence_card: [['AB12345678CD'], ['AB1234567CD', '1B12345678CD']],
  jp_invoice_number: [['T7000012050002'], ['T8000012050002', '7000012050002']],
  cn_resident_id: [['11010519491231002X', '440524188001010014', '110105198310249215'], ['110105194912310021', '11010519491331002X', '99010519491231002X', '110105299912310025']],
  cn_resident_id_15: [['110105491231002', '110105931220954'], ['990105491231002', '110105491331002']],
  cn_uscc: [['91350100M000100Y43', '91110000802100433B'], ['91350100M000100Y44', '91350100M000100Y4']],
  cn_org_code: [['64743876-7', '53213583-8'], ['64743876-8', '6474387-7']],
  cn_business_license: [['110000164899285'], ['110000164899286', '990000164899285']],
  cn_tax_reg_15: [['110108732995357'], ['110108732995358', '990108732995357']],
  hk_id: [['A123456(3)', 'Z131373(9)', 'KS634088(4)'], ['A123456(4)', 'AB987654(2)']],
  mo_id: [['1234567(8)', '5123456/7'], ['2234567(8)', '123456(8)']],
  tw_national_id: [['A123456789', 'F248326029'], ['A123456788', 'A323456789']],
  tw_arc: [['L900000015', 'HA86872322', 'AC00000549'], ['L900000016', 'HA86872323', 'AE12345678']],
  tw_ubn: [['04595257', '10458575', '25765034'], ['04595258', '00000000', '0459525']],
  in_aadhaar: [['2341 2341 2346', '9874 0973 6680'], ['2341 2341 2347', '1341 2341 2346', '2222 2222 2222']],
  in_aadhaar_vid: [['2249 2352 7979 8472'], ['2249 2352 7979 8473', '0249 2352 7979 8472']],
  in_pan: [['ABCPD1234E', 'AAACR5055K'], ['ABCXD1234E', 'ABCPD0000E', 'ABCPD12345']],
  in_gstin: [['27AAPFU0939F1ZV', '27HKPFU2229F1Z8'], ['27AAPFU0939F1ZW', '40AAPFU0939F1ZV', '27AAPXU0939F1ZV']],
  in_tan: [['MUMA12345B'], ['MUMA00000B', 'MUM12345B']],
  in_vehicle: [['MH 12 AB 1234', 'DL3CAB1234', '22 BH 1234 AA'], ['XX 12 AB 1234', 'MH 12 AB 0000', 'BR 00755']],
  in_driving_licence: [['MH12 20110012345', 'DL-04-2015-0123456'], ['ZZ12 20110012345', 'MH12 18990012345']],
  de_tax_id: [['86095742719', '65929970489', '87005923040'], ['86095742718', '01234567890', '11111111111', '12345678903']],
  de_vat: [['DE136695976', '971331869'], ['DE136695977', '013669597']],
  de_id_card: [['T220001293', 'L742972118'], ['T220001294', 'A220001293']],
  de_svnr: [['65 170839 J 00 3', '12150888M001'], ['65 170839 J 00 4', '95 170839 J 00 3', '65 173939 J 00 3']],
  de_kvnr: [['A123456780', 'X631350954'], ['A123456781', 'A12345678']],
  fr_cni: [['880692310285', 'X4RTBPFW4'], ['881392310285', 'ABCDEFGHI']],
  pt_cc: [['000000000ZZ4', '00000000 0 ZZ4', '522616293ZZ4'], ['000000000ZZ5', '00000000ZZ4']],
  fr_nir: [['1 84 12 76 451 089 46', '2 44 56 2B 836 876 37', '180127534588039'], ['1 84 12 76 451 089 47', '5 84 12 76 451 089 46', '1 84 12 00 451 089 46']],
  fr_siren: [['732829320', '944873769'], ['732829321', '000000000']],
  fr_siret: [['73282932000074', '97278537235174'], ['73282932000075', '00000000000000']],
  fr_vat: [['FR40303265045', 'FR83404833048'], ['FR41303265045', 'FR4030326504']],
  es_dni: [['12345678Z', '13480568-S'], ['12345678A', '00000000T']],
  es_nie: [['X1234567L', 'Y9509427E'], ['X1234567A', 'W1234567L']],
  es_cif: [['A58818501', 'B65410011', 'Q7272982E'], ['A58818502', 'Q7272982F', 'I58818501']],
  es_nss: [['281234567840', '280799094074'], ['281234567841', '991234567840']],
  es_vat: [['ESA58818501', 'ES12345678Z', 'ESX1234567L'], ['ESA58818502', 'ES12345678A']],
  it_codice_fiscale: [['RSSMRA85T10A562S', 'MRTMTT91D08F205J', 'BNCLRA80A41H501D'], ['RSSMRA85T10A562T', 'RSSMRA85Z10A562S', 'RSSMRA85T72A562S']],
  it_vat: [['00743110157', '52064570931'], ['00743110158', '00743112157']],
  nl_bsn: [['111222333', '123456782', '4576.47.668'], ['111222334', '000000000', '12345678']],
  nl_vat: [['NL004495445B01', 'NL000099998B57'], ['NL004495446B01', 'NL004495445X01']],
  pl_pesel: [['44051401359', '02070803628', '61273173811'], ['44051401358', '44135101359']],
  pl_nip: [['5260250274', '526-025-02-74'], ['5260250275', '0000000000']],
  pl_regon: [['123456785', '284025706'], ['123456786', '12345678']],
  pl_id_card: [['ABA300000', 'USG903505'], ['ABA300001', 'AB300000']],
  be_national_number: [['85.07.30-033.28', '90301893572'], ['85.07.30-033.29', '85.13.30-033.28']],
  be_vat: [['BE0403170701', '0764171740'], ['BE0403170702', 'BE2403170701']],
  at_vat: [['ATU13585627', '46179102'], ['ATU13585628', '1358562']],
  at_svnr: [['1237 010180', '4095071255'], ['1238 010180', '1237 013380', '0237010180']],
  se_personnummer: [['811218-9876', '19811218-9876', '121212+1212'], ['811218-9877', '811318-9876']],
  se_org_number: [['556036-0793', '5551362014'], ['556036-0794', '551036-0793']],
  se_vat: [['SE556036079301'], ['SE556036079401', 'SE556036079302']],
  fi_hetu: [['131052-308T', '010594Y9021', '010594Y9032', '200589W362K'], ['131052-308U', '311352-308T', '131052G308T', '131052-001H']],
  fi_business_id: [['2077474-0', '6924053-9'], ['2077474-1', '207747-0']],
  dk_cpr: [['211062-5629', '0902299637'], ['321062-5629', '211362-5629']],
  dk_vat: [['13585628', '82163751'], ['13585629', '03585628']],
  no_fnr: [['15108695088', '08068878412', '64049690914'], ['15108695089', '15138695088']],
  no_org_number: [['988077917', '917232717'], ['988077918', '788077917']],
  ie_ppsn: [['1234567T', '1234567FA', '4883443A'], ['1234567U', '123456T']],
  ie_vat: [['IE6433435F', 'IE8Z49289F', 'IE4883443A'], ['IE6433435G', 'IE8Z49289G']],
  pt_nif: [['501964843', '208826491'], ['501964844', '401964843']],
  uk_nino: [['AB123456C', 'JG103759A', 'CE 12 34 56 D'], ['QQ123456C', 'GB123456A', 'AB123456E', 'AO123456C', 'DA123456A']],
  uk_nhs: [['943 476 5919', '4010232137'], ['943 476 5918', '1111111111']],
  uk_utr: [['1955839661', '3256308465'], ['1955839662', '195583966']],
  gb_vat: [['GB980780684', '984700692'], ['GB980780685', '000000000']],
  uk_driving_licence: [['MORGA657054SM9IJ', 'SMITH751233J99AB'], ['MORGA651354SM9IJ', '12345657054SM9IJ']],
  uk_postcode: [['SW1A 1AA', 'M1 1AE', 'EC1A 1BB', 'GIR 0AA'], ['QQ1 1AA', 'SW1A 1CA']],
  ch_ahv: [['756.9217.0769.85', '7561699189252'], ['756.9217.0769.86', '757.9217.0769.85']],
  ch_uid: [['CHE-100.155.212', 'CHE-695.544.371'], ['CHE-100.155.213', 'CHE-100.155.21']],
  cz_birth_number: [['710319/2745', '850417/2611', '565531/4786'], ['710319/2746', '711319/2745']],
  cz_ico: [['25596641', '58884068'], ['25596642', '2559664']],
  cz_vat: [['CZ25596641', 'CZ7103192745'], ['CZ25596642', 'CZ99999999']],
  ro_cnp: [['1630615123457', '2981016124196'], ['1630615123458', '1631315123457', '1630615993457']],
  ro_vat: [['18547290', '21400085'], ['18547291', '1']],
  hr_oib: [['33392005961', '39526355565'], ['33392005962', '3339200596']],
  gr_amka: [['01013099997', '28077616077'], ['01013099998', '32013099997']],
  gr_afm: [['094259216', '215119179'], ['094259217', '000000000']],
  hu_tax_id: [['8071592153', '8071861901'], ['8071592154', '7071592153']],
  hu_taj: [['111111110', '737 068 650'], ['111111111', '11111111']],
  hu_vat: [['12892312', 'HU52819050'], ['12892313', '1289231']],
  bg_egn: [['7523169263', '6006094883'], ['7523169264', '7563169263']],
  ee_personal_code: [['37605030299', '36207310669'], ['37605030298', '77605030299']],
  lt_personal_code: [['33309240064', '45501231532'], ['33309240065', '33313240064']],
  lv_personal_code: [['161175-19997', '170366-10275'], ['161175-19998', '161375-19997']],
  si_emso: [['0101006500006', '2408998639480'], ['0101006500007', '3201006500006']],
  lu_matricule: [['1893120105732', '1901042934921'], ['1893120105733', '1893130105732']],
  eu_vat: [['DE136695976', 'FR40303265045', 'IT00743110157', 'ESA58818501', 'NL004495445B01', 'PL5260250274', 'BE0403170701', 'ATU13585627', 'SE556036079301', 'FI20774740', 'IE6433435F', 'PT501964843', 'DK13585628', 'CZ25596641', 'EL094259216', 'HR33392005961', 'HU12892312', 'RO18547290', 'GB980780684'], ['DE136695977', 'FR41303265045', 'XX123456789', 'ATU13585628']],
}

describe('built-in verifiers', () => {
  it('every registered verifier has valid and invalid cases here', () => {
    const missing = Object.keys(builtinVerifiers).filter((k) => !CASES[k] || CASES[k][0].length === 0 || CASES[k][1].length === 0)
    expect(missing).toEqual([])
  })

  for (const [name, [valid, invalid]] of Object.entries(CASES)) {
    it(`${name}: accepts published valid values and rejects variants`, () => {
      const fn = builtinVerifiers[name]
      expect(fn, `verifier ${name} is registered`).toBeTypeOf('function')
      for (const v of valid) expect(ok(fn(v)), `${name}(${JSON.stringify(v)}) should be valid`).toBe(true)
      for (const v of invalid) expect(ok(fn(v)), `${name}(${JSON.stringify(v)}) should be invalid`).toBe(false)
    })
  }
})

describe('graded confidence', () => {
  it('Korean RRN: valid date + gender digit is valid; checksum raises confidence (post-2020 numbers have none)', () => {
    const good = builtinVerifiers.kr_rrn('850813-1834892') // checksum correct
    const noCheck = builtinVerifiers.kr_rrn('850813-1834893') // checksum wrong, date fine
    expect(ok(good)).toBe(true)
    expect(ok(noCheck)).toBe(true)
    expect(conf(good)!).toBeGreaterThan(conf(noCheck)!)
    expect(ok(builtinVerifiers.kr_rrn('851332-1834892'))).toBe(false)
  })
  it('Korean ARN follows the same rule', () => {
    expect(conf(builtinVerifiers.kr_arn('790310-5443998'))!).toBeGreaterThan(conf(builtinVerifiers.kr_arn('790310-5443999'))!)
  })
  it('ETH: EIP-55 checksummed beats unchecksummed all-lower/all-upper', () => {
    const mixed = builtinVerifiers.eth_address('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed')
    const lower = builtinVerifiers.eth_address('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')
    const upper = builtinVerifiers.eth_address('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED')
    expect(ok(lower) && ok(upper)).toBe(true)
    expect(conf(mixed)!).toBeGreaterThan(conf(lower)!)
  })
  it('GitHub / npm tokens: CRC32 checksum raises confidence', () => {
    const good = builtinVerifiers.crc32_token(ghToken('ghp', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO'))
    const bad = builtinVerifiers.crc32_token('ghp_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO000000')
    expect(conf(good)).toBe(1)
    expect(ok(bad)).toBe(true)
    expect(conf(bad)!).toBeLessThan(1)
  })
  it('Danish CPR: date decides validity, mod 11 only confidence', () => {
    expect(conf(builtinVerifiers.dk_cpr('211062-5629'))!).toBeGreaterThan(conf(builtinVerifiers.dk_cpr('211062-5628'))!)
  })
})

describe('phone pre-check (tail of the digits against the region pattern, before the parse)', () => {
  /** The verifier without the pre-check: libphonenumber decides everything. */
  function parseOnly(region: CountryCode, value: string): boolean {
    const text = value.trim()
    if ((text.match(/[0-9]/g) ?? []).length < 6) return false
    if (/\d\.\d/.test(text) && /\d-\d/.test(text)) return false
    const p = parsePhoneNumberFromString(text, region)
    return !!p && p.country === region && p.isValid()
  }

  it('is on for every region, and rejects without a parse', () => {
    for (const region of PHONE_REGIONS) expect(tailPattern(region), region).not.toBeNull()
    expect(tailPattern('FR')!.test('0000000000')).toBe(false)
    expect(tailPattern('FR')!.test('0123456789')).toBe(true)
  })

  it('never rejects a number the parse accepts: 30,000 phone-shaped strings in every region', () => {
    const r = rng(77)
    const codes = ['1', '82', '81', '86', '852', '853', '886', '91', '44', '49', '33', '34', '39', '31', '48', '32', '43', '46', '358', '353', '351', '45', '41', '47', '420', '30', '40', '36']
    const texts: string[] = []
    for (let i = 0; i < 30000; i++) {
      let d = ''
      for (let k = 6 + Math.floor(r() * 10); k > 0; k--) d += Math.floor(r() * 10)
      if (r() < 0.4) d = '0' + d.slice(1)
      else if (r() < 0.2) d = '1' + d.slice(1)
      const sep = [' ', '-', '.', '', '/'][Math.floor(r() * 5)]
      let t = ''
      for (let k = 0; k < d.length; ) {
        const g = 2 + Math.floor(r() * 3)
        t += (t ? sep : '') + d.slice(k, k + g)
        k += g
      }
      const x = r()
      const cc = codes[Math.floor(r() * codes.length)]
      if (x < 0.15) t = `+${cc} ${t}`
      else if (x < 0.2) t = `00${cc} ${t}`
      else if (x < 0.25) t = `(${t.slice(0, 3)}) ${t.slice(3)}`
      else if (x < 0.28) t = `011 ${cc} ${t}`
      texts.push(t)
    }
    let valid = 0
    let rejected = 0
    for (const region of PHONE_REGIONS) {
      const v = phoneVerifier(region)
      const tail = tailPattern(region)!
      for (const t of texts) {
        const want = parseOnly(region, t)
        expect(ok(v(t)), `${region} ${t}`).toBe(want)
        if (want) valid++
        else if (!tail.test(t.replace(/\D/g, ''))) rejected++
      }
    }
    // the sample holds valid numbers, and the pre-check spares many parses
    expect(valid).toBeGreaterThan(10000)
    expect(rejected).toBeGreaterThan(100000)
  })

  it('reads national-format numbers as libphonenumber-js does, without its parse: numbers near valid ones in every region', () => {
    const r = rng(79)
    const digit = () => String(Math.floor(r() * 10))
    let decided = 0
    let valid = 0
    let invalid = 0
    let left = 0
    for (const region of PHONE_REGIONS) {
      // the region's example mobile number and its test numbers above, with and without the national prefix
      const seeds = [(examples as Record<string, string>)[region], ...(CASES[`phone_${region.toLowerCase()}`]?.[0] ?? [])]
        .map((t) => t.replace(/\D/g, ''))
        .flatMap((d) => [d, `0${d}`, d.replace(/^0/, '')])
      for (let i = 0; i < 3500; i++) {
        let d = seeds[i % seeds.length]
        const x = r()
        if (x < 0.5) {
          // one to three digits changed
          const a = d.split('')
          for (let k = 1 + Math.floor(r() * 3); k > 0; k--) a[Math.floor(r() * a.length)] = digit()
          d = a.join('')
        } else if (x < 0.6) d = d.slice(0, -1)
        else if (x < 0.7) d += digit()
        else if (x < 0.8) d = digit() + d
        else if (x < 0.85) d = `0${digit()}${d.slice(2)}`
        // the parse's other roads: a prefix left too short, longer than any number, JP's 000[2569] transform rule
        else if (x < 0.9) d = `0${d.slice(0, 5)}`
        else if (x < 0.95) d = d + d
        else if (region === 'JP') d = `000${'2569'[i % 4]}${d.slice(0, 4 + (i % 3))}`
        const text = d.replace(/(\d{3})(?=\d)/g, ['$1 ', '$1-', '$1'][i % 3])
        const fast = nationalVerdict(d, region)
        if (fast === null) {
          left++
          continue
        }
        expect(fast, `${region} ${text}`).toBe(libphonenumberVerdict(text, region))
        decided++
        if (fast) valid++
        else invalid++
      }
    }
    // most are decided without a parse (not: an IDD prefix or the calling code in front)
    expect(decided).toBeGreaterThan(5 * left)
    expect(valid).toBeGreaterThan(20000)
    expect(invalid).toBeGreaterThan(20000)
  })

  it('tells valid numbers as libphonenumber-js does, with its patterns compiled once: every calling code, non-geographic ones too', () => {
    const r = rng(78)
    const codes = [...new Set(getCountries().map((c) => getCountryCallingCode(c))), '800', '808', '870', '878', '881', '882', '883', '888', '979']
    let valid = 0
    let invalid = 0
    let checked = 0
    for (let i = 0; i < 40000; i++) {
      const cc = codes[i % codes.length]
      let d = ''
      for (let k = 4 + Math.floor(r() * 10); k > 0; k--) d += Math.floor(r() * 10)
      const p = parsePhoneNumberFromString(`+${cc} ${d}`)
      if (!p) continue
      const want = p.isValid()
      expect(isValidNumber(p), `+${cc} ${d}`).toBe(want)
      checked++
      if (want) valid++
      else invalid++
    }
    // national numbers too (and numbers the parse gives another region)
    for (const region of PHONE_REGIONS) {
      for (let i = 0; i < 1500; i++) {
        let d = r() < 0.5 ? '0' : ''
        for (let k = 5 + Math.floor(r() * 9); k > 0; k--) d += Math.floor(r() * 10)
        const p = parsePhoneNumberFromString(d, region)
        if (!p) continue
        expect(isValidNumber(p), `${region} ${d}`).toBe(p.isValid())
        checked++
      }
    }
    expect(checked).toBeGreaterThan(50000)
    expect(valid).toBeGreaterThan(1000)
    expect(invalid).toBeGreaterThan(1000)
  })
})

/** Keccak-256 written plainly with 64-bit BigInt lanes (the reference for the fast implementation). */
function keccakReference(data: Uint8Array): Uint8Array {
  const RC = [
    0x1n, 0x8082n, 0x800000000000808an, 0x8000000080008000n, 0x808bn, 0x80000001n, 0x8000000080008081n, 0x8000000000008009n,
    0x8an, 0x88n, 0x80008009n, 0x8000000an, 0x8000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n,
    0x8000000000008002n, 0x8000000000000080n, 0x800an, 0x800000008000000an, 0x8000000080008081n, 0x8000000000008080n, 0x80000001n, 0x8000000080008008n,
  ]
  const ROT = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14]
  const M = (1n << 64n) - 1n
  const rotl = (x: bigint, n: number) => (n === 0 ? x : ((x << BigInt(n)) | (x >> BigInt(64 - n))) & M)
  const padded = new Uint8Array(Math.floor(data.length / 136 + 1) * 136)
  padded.set(data)
  padded[data.length] ^= 0x01
  padded[padded.length - 1] ^= 0x80
  const s = new Array<bigint>(25).fill(0n)
  for (let off = 0; off < padded.length; off += 136) {
    for (let i = 0; i < 17; i++) for (let k = 0; k < 8; k++) s[i] ^= BigInt(padded[off + 8 * i + k]) << BigInt(8 * k)
    for (let round = 0; round < 24; round++) {
      const c = [0, 1, 2, 3, 4].map((x) => s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20])
      for (let x = 0; x < 5; x++) for (let y = 0; y < 25; y += 5) s[y + x] ^= c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
      const b = new Array<bigint>(25)
      for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y], ROT[x + 5 * y])
      for (let x = 0; x < 5; x++) for (let y = 0; y < 25; y += 5) s[y + x] = b[y + x] ^ (~b[y + ((x + 1) % 5)] & M & b[y + ((x + 2) % 5)])
      s[0] ^= RC[round]
    }
  }
  return Uint8Array.from({ length: 32 }, (_, i) => Number((s[i >> 3] >> BigInt(8 * (i & 7))) & 0xffn))
}

describe('checksum primitives', () => {
  it('Keccak-256 (Ethereum padding, not SHA3-256)', () => {
    expect(toHex(keccak256(''))).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
    expect(toHex(keccak256('abc'))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45')
    expect(toHex(keccak256('a'.repeat(200)))).toHaveLength(64) // multi-block input
    // the 32-bit-lane implementation against a plain 64-bit BigInt one, over 0..300 bytes (up to 3 blocks)
    for (let n = 0; n <= 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 255)
      expect(toHex(keccak256(bytes)), `${n} bytes`).toBe(toHex(keccakReference(bytes)))
    }
    expect(toChecksumAddress('0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359')).toBe('0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359')
  })
  it('Luhn, Verhoeff, ISO 7064', () => {
    expect(luhn('79927398713')).toBe(true)
    expect(verhoeff('2363')).toBe(true)
    expect(verhoeff('2364')).toBe(false)
    expect(iso7064Mod11_2('11010519491231002')).toBe('X')
    expect(iso7064Mod11_10('86095742719')).toBe(true)
  })
  it('Base58Check and bech32/bech32m', () => {
    expect(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')?.[0]).toBe(0)
    expect(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toBeNull()
    expect(bech32Decode('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')?.encoding).toBe('bech32')
    expect(bech32Decode('bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297')?.encoding).toBe('bech32m')
  })
  it('Shannon entropy', () => {
    expect(shannonEntropy('aaaa')).toBe(0)
    expect(shannonEntropy('abcd')).toBe(2)
  })
})
