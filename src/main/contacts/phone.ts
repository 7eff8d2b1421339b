// Phone clean-up: anything a shop owner typed (or Excel mangled) → E.164 with '+', its type, or a reason it cannot be.

import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max'
import { assertNever } from '../../shared/assertNever'
import { explainImportReason, type ImportRowReason, type ImportWarning } from '../../shared/importReasons'

export type PhoneType =
  | 'MOBILE'
  | 'FIXED_LINE'
  | 'FIXED_LINE_OR_MOBILE'
  | 'TOLL_FREE'
  | 'PREMIUM_RATE'
  | 'SHARED_COST'
  | 'VOIP'
  | 'PERSONAL_NUMBER'
  | 'PAGER'
  | 'UAN'
  | 'VOICEMAIL'
  | 'UNKNOWN'

export type PhoneWarning = Extract<ImportWarning, 'fixed_line' | 'not_mobile' | 'prefix_fixed'>
export type PhoneRejectReason = Extract<
  ImportRowReason,
  'empty_phone' | 'letters' | 'scientific_notation' | 'not_a_number' | 'too_short' | 'too_long' | 'invalid_country' | 'invalid_number'
>

export type PhoneResult =
  | { ok: true; e164: string; type: PhoneType; warning?: PhoneWarning; warningMessage?: string }
  | { ok: false; reason: PhoneRejectReason; message: string }

/** Types that almost never have WhatsApp: kept, with a warning. */
const SPECIAL_TYPES: ReadonlySet<PhoneType> = new Set(['TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'PAGER', 'UAN', 'VOICEMAIL'])

/** A word people put before the number in the same cell ("Cel: 300…"); anything else with letters is refused. */
const LABEL = /^\s*(?:cel(?:ular)?|cell(?:phone)?|m[oó]vil|mobile|tel(?:[eé]fono)?|phone|whats?app|wa|casa|home|work|trabajo|oficina|fijo)\b\s*[:.-]?\s*/iu
const EXTENSION = /\s*(?:ext\.?|extensi[oó]n|extension|x|#)\s*\d{1,6}\s*$/iu
const SCIENTIFIC = /^[+]?\d+(?:[.,]\d+)?\s*e\s*[+]?\d+$/iu

/** Throws for a country code the phone metadata does not know: an account setting to fix, not a row problem. */
export function assertCountry(defaultCountry: string): CountryCode {
  const upper = defaultCountry.trim().toUpperCase()
  if (!isSupportedCountry(upper)) {
    throw new Error(`Unknown default country "${defaultCountry}": use a two-letter ISO code such as CO, MX, BR or ES.`)
  }
  return upper
}

function reject(reason: PhoneRejectReason): PhoneResult {
  return { ok: false, reason, message: explainImportReason(reason, 'en') }
}

function accept(parsed: PhoneNumber, warning?: PhoneWarning): PhoneResult {
  const type: PhoneType = parsed.getType() ?? 'UNKNOWN'
  const typeWarning: PhoneWarning | undefined =
    type === 'FIXED_LINE' ? 'fixed_line' : SPECIAL_TYPES.has(type) ? 'not_mobile' : undefined
  const chosen = typeWarning ?? warning
  return chosen
    ? { ok: true, e164: parsed.number, type, warning: chosen, warningMessage: explainImportReason(chosen, 'en') }
    : { ok: true, e164: parsed.number, type }
}

/** Digits of a number Excel stored as a number; null when digits were lost or it is not a whole number. */
function digitsOfNumericCell(value: number): string | null {
  if (!Number.isFinite(value) || !Number.isInteger(value) || value < 0) return null
  if (value > Number.MAX_SAFE_INTEGER) return null
  return value.toFixed(0)
}

/**
 * Normalises one phone number to E.164 (`+573001234567`) using `defaultCountry` for numbers written
 * without a country code. Never throws for bad input; throws only for an unknown `defaultCountry`.
 */
export function normalizePhone(input: string | number, defaultCountry: string): PhoneResult {
  const country = assertCountry(defaultCountry)
  if (typeof input === 'number') {
    const digits = digitsOfNumericCell(input)
    if (digits === null) return reject(Number.isInteger(input) ? 'scientific_notation' : 'not_a_number')
    return normalizeText(digits, country)
  }
  return normalizeText(input, country)
}

function normalizeText(raw: string, country: CountryCode): PhoneResult {
  const text = raw.trim().replace(LABEL, '')
  if (text === '') return reject('empty_phone')
  if (SCIENTIFIC.test(text)) return reject('scientific_notation')
  if (/\p{L}/u.test(text.replace(EXTENSION, ''))) return reject('letters')

  const digits = text.replace(/\D/g, '')
  if (digits === '') return reject('not_a_number')
  const hasPlus = /^\s*\+/.test(text)

  // "00" + country code is how most of Latin America and Europe write international numbers, but some
  // countries' own exit codes also start with 00 (Colombia's 005/007/009): try both, keep the valid one.
  const candidates: string[] = []
  if (!hasPlus && digits.startsWith('00')) candidates.push(`+${digits.slice(2)}`)
  candidates.push(text)

  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, country)
    if (parsed?.isValid()) return accept(parsed)
  }

  const fixed = withoutPrefixAfterCountryCode(hasPlus ? digits : digits.startsWith('00') ? digits.slice(2) : null)
  if (fixed) return accept(fixed, 'prefix_fixed')

  return reject(lengthReason(candidates[candidates.length - 1], country))
}

/**
 * A national prefix written after the country code: "+44 (0)20…" (reading the rest as a national number
 * strips the trunk 0, as libphonenumber does), and Mexico's mobile "1" ("+52 1 55…"), abolished in 2019
 * and no longer in libphonenumber's metadata but still in many old lists.
 */
function withoutPrefixAfterCountryCode(internationalDigits: string | null): PhoneNumber | undefined {
  if (!internationalDigits) return undefined
  const international = parsePhoneNumberFromString(`+${internationalDigits}`)
  const region = international?.country ?? international?.getPossibleCountries()[0]
  if (!international || !region) return undefined
  const rest = internationalDigits.slice(international.countryCallingCode.length)
  const national = parsePhoneNumberFromString(rest, region)
  if (national?.isValid()) return national
  if (international.countryCallingCode === '52' && rest.length === 11 && rest.startsWith('1')) {
    const mexican = parsePhoneNumberFromString(rest.slice(1), 'MX')
    if (mexican?.isValid()) return mexican
  }
  return undefined
}

function lengthReason(text: string, country: CountryCode): PhoneRejectReason {
  const problem = validatePhoneNumberLength(text, country)
  switch (problem) {
    case 'TOO_SHORT':
      return 'too_short'
    case 'TOO_LONG':
      return 'too_long'
    case 'INVALID_COUNTRY':
      return 'invalid_country'
    case 'NOT_A_NUMBER':
      return 'not_a_number'
    case 'INVALID_LENGTH':
    case undefined:
      return 'invalid_number'
    default:
      return assertNever(problem, 'length problem')
  }
}

/**
 * Splits a cell that holds several numbers ("300 123 4567 / 310 765 4321", Google's " ::: ", new lines,
 * "y"/"o"/"or"/"and") into the separate numbers as written. Dashes and spaces stay: they are inside numbers.
 */
export function splitPhones(cell: string | number | null | undefined): string[] {
  if (cell === null || cell === undefined) return []
  if (typeof cell === 'number') return [String(cell)]
  return cell
    .split(/\s*(?::::|[;,|/\n\r]|\s(?:y|o|or|and|&)\s)\s*/iu)
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

/** The country (ISO alpha-2) a normalised E.164 number belongs to; null when the metadata cannot tell. */
export function countryOfE164(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null
}
