/**
 * Built-in verification functions, referenced by name from pattern files (`verification: <name>`).
 * Each verifier receives the matched text exactly as found and normalises it itself.
 */
import * as cn from './cn'
import * as common from './common'
import * as crypto from './crypto'
import * as eu from './eu'
import * as inda from './in'
import * as jp from './jp'
import * as kr from './kr'
import { PHONE_REGIONS, phoneVerifier, verifyPhoneIntl } from './phone'
import * as secrets from './secrets'
import type { Verifier } from './types'
import * as tw from './tw'
import * as us from './us'

export type { Verifier, VerifyResult } from './types'

const phones: Record<string, Verifier> = Object.fromEntries(
  PHONE_REGIONS.map((r) => [`phone_${r.toLowerCase()}`, phoneVerifier(r)]),
)

export const builtinVerifiers: Record<string, Verifier> = {
  // generic
  luhn: common.verifyLuhn,
  credit_card: common.verifyCreditCard,
  iban: common.verifyIban,
  swift_bic: common.verifyBic,
  imei: common.verifyImei,
  meid: common.verifyMeid,
  mrz_td3: common.verifyMrzTd3,
  mrz_td1: common.verifyMrzTd1Line2,
  ipv4: common.verifyIpv4,
  mac: common.verifyMac,
  ipv6: common.verifyIpv6,
  card_track: common.verifyCardTrack,
  date: common.verifyDate,
  // crypto wallets
  btc_address: crypto.verifyBtcAddress,
  eth_address: crypto.verifyEthAddress,
  ltc_address: crypto.verifyLtcAddress,
  doge_address: crypto.verifyDogeAddress,
  tron_address: crypto.verifyTronAddress,
  xrp_address: crypto.verifyXrpAddress,
  cardano_address: crypto.verifyCardanoAddress,
  // secrets
  entropy: secrets.verifyEntropy,
  token_entropy: secrets.verifyTokenEntropy,
  jwt: secrets.verifyJwt,
  crc32_token: secrets.verifyCrc32Token,
  url_credentials: secrets.verifyUrlCredentials,
  discord_token: secrets.verifyDiscordToken,
  // phones
  ...phones,
  phone_intl: verifyPhoneIntl,
  // Korea
  kr_rrn: kr.verifyKrRrn,
  kr_arn: kr.verifyKrArn,
  kr_brn: kr.verifyKrBrn,
  kr_crn: kr.verifyKrCrn,
  kr_driver_license: kr.verifyKrDriverLicense,
  // United States
  us_ssn: us.verifyUsSsn,
  us_itin: us.verifyUsItin,
  us_ein: us.verifyUsEin,
  us_npi: us.verifyUsNpi,
  us_aba: us.verifyUsAba,
  us_dea: us.verifyUsDea,
  us_mbi: us.verifyUsMbi,
  us_passport: us.verifyUsPassport,
  vin: us.verifyVin,
  us_hicn: us.verifyUsHicn,
  ca_sin: us.verifyCaSin,
  // Japan
  jp_my_number: jp.verifyJpMyNumber,
  jp_corporate_number: jp.verifyJpCorporateNumber,
  jp_residence_card: jp.verifyJpResidenceCard,
  jp_invoice_number: jp.verifyJpInvoiceNumber,
  // China, Hong Kong, Macau
  cn_resident_id: cn.verifyCnResidentId,
  cn_resident_id_15: cn.verifyCnResidentId15,
  cn_uscc: cn.verifyCnUscc,
  cn_org_code: cn.verifyCnOrgCode,
  cn_business_license: cn.verifyCnBusinessLicense,
  cn_tax_reg_15: cn.verifyCnTaxReg15,
  hk_id: cn.verifyHkId,
  mo_id: cn.verifyMoId,
  // Taiwan
  tw_national_id: tw.verifyTwNationalId,
  tw_arc: tw.verifyTwArc,
  tw_ubn: tw.verifyTwUbn,
  // India
  in_aadhaar: inda.verifyInAadhaar,
  in_aadhaar_vid: inda.verifyInAadhaarVid,
  in_pan: inda.verifyInPan,
  in_gstin: inda.verifyInGstin,
  in_tan: inda.verifyInTan,
  in_vehicle: inda.verifyInVehicle,
  in_driving_licence: inda.verifyInDrivingLicence,
  // Europe
  de_tax_id: eu.verifyDeTaxId,
  de_vat: eu.verifyDeVat,
  de_id_card: eu.verifyDeIdCard,
  de_svnr: eu.verifyDeSvnr,
  de_kvnr: eu.verifyDeKvnr,
  fr_cni: eu.verifyFrCni,
  pt_cc: eu.verifyPtCc,
  fr_nir: eu.verifyFrNir,
  fr_siren: eu.verifyFrSiren,
  fr_siret: eu.verifyFrSiret,
  fr_vat: eu.verifyFrVat,
  es_dni: eu.verifyEsDni,
  es_nie: eu.verifyEsNie,
  es_cif: eu.verifyEsCif,
  es_nss: eu.verifyEsNss,
  es_vat: eu.verifyEsVat,
  it_codice_fiscale: eu.verifyItCodiceFiscale,
  it_vat: eu.verifyItVat,
  nl_bsn: eu.verifyNlBsn,
  nl_vat: eu.verifyNlVat,
  pl_pesel: eu.verifyPlPesel,
  pl_nip: eu.verifyPlNip,
  pl_regon: eu.verifyPlRegon,
  pl_id_card: eu.verifyPlIdCard,
  be_national_number: eu.verifyBeNationalNumber,
  be_vat: eu.verifyBeVat,
  at_vat: eu.verifyAtVat,
  at_svnr: eu.verifyAtSvnr,
  se_personnummer: eu.verifySePersonnummer,
  se_org_number: eu.verifySeOrgNumber,
  se_vat: eu.verifySeVat,
  fi_hetu: eu.verifyFiHetu,
  fi_business_id: eu.verifyFiBusinessId,
  dk_cpr: eu.verifyDkCpr,
  dk_vat: eu.verifyDkVat,
  no_fnr: eu.verifyNoFnr,
  no_org_number: eu.verifyNoOrgNumber,
  ie_ppsn: eu.verifyIePpsn,
  ie_vat: eu.verifyIeVat,
  pt_nif: eu.verifyPtNif,
  uk_nino: eu.verifyUkNino,
  uk_nhs: eu.verifyUkNhs,
  uk_utr: eu.verifyUkUtr,
  gb_vat: eu.verifyGbVat,
  uk_driving_licence: eu.verifyUkDrivingLicence,
  uk_postcode: eu.verifyUkPostcode,
  ch_ahv: eu.verifyChAhv,
  ch_uid: eu.verifyChUid,
  cz_birth_number: eu.verifyCzBirthNumber,
  cz_ico: eu.verifyCzIco,
  cz_vat: eu.verifyCzVat,
  ro_cnp: eu.verifyRoCnp,
  ro_vat: eu.verifyRoVat,
  hr_oib: eu.verifyHrOib,
  gr_amka: eu.verifyGrAmka,
  gr_afm: eu.verifyGrAfm,
  hu_tax_id: eu.verifyHuTaxId,
  hu_taj: eu.verifyHuTaj,
  hu_vat: eu.verifyHuVat,
  bg_egn: eu.verifyBgEgn,
  ee_personal_code: eu.verifyBalticPersonalCode,
  lt_personal_code: eu.verifyBalticPersonalCode,
  lv_personal_code: eu.verifyLvPersonalCode,
  si_emso: eu.verifySiEmso,
  lu_matricule: eu.verifyLuMatricule,
  eu_vat: eu.verifyEuVat,
}
