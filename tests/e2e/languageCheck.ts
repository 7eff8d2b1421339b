// Issue 11, point 4: finds words of the other language in what a user reads. Each language's vocabulary is
// every sentence Pregón can say in it (UI locale, error catalogue, import reasons, report words) plus its
// common small words; a word is foreign when only the other language uses it. Proper names and words
// both languages share (WhatsApp, Excel, OK…) are allowed.

import { en } from '../../src/renderer/src/locales/en'
import { es } from '../../src/renderer/src/locales/es'
import { explainCampaignError, explainError } from '../../src/shared/errorCatalog'
import { IMPORT_FILE_PROBLEMS, IMPORT_ROW_REASONS, IMPORT_WARNINGS, explainImportReason, importReasonLabel } from '../../src/shared/importReasons'
import { CAMPAIGN_STATUS_LABELS, RECIPIENT_STATE_LABELS } from '../../src/shared/labels'
import { CAMPAIGN_ERRORS, RECIPIENT_STATES } from '../../src/shared/types'
import { resolutionMeaning, skipLabel, uncertainMeaning, words } from '../../src/main/reports/words'

export type Lang = 'es' | 'en'

/** Names and terms that are the same in both languages, or are nobody's language. */
const ALLOWED = new Set(
  [
    'pregón', 'pregon', 'whatsapp', 'meta', 'business', 'cloud', 'api', 'manager', 'developers', 'csv', 'xlsx', 'xls', 'excel', 'pdf',
    'ok', 'id', 'ids', 'waba', 'token', 'webhook', 'stop', 'baja', 'marketing', 'demo', 'https', 'http', 'url', 'utc', 'e',
    'español', 'english', 'monitor', 'min', 's', 'h', 'd', 'am', 'pm', 'p', 'm', 'a', 'no', 'total', 'tier', 'wamid',
  ].map((w) => w.normalize('NFC')),
)

const SMALL_WORDS: Record<Lang, string[]> = {
  en: `the and of to is are was were be been this that these those with for from your you it its not could would should will can
    cannot has have had do does did what which who when where why how there their they them here an or on at by as if then than
    but all any each every some more only also into out up about after before again still just please try check missing invalid
    required must needs found error failed sent delivered read campaign account number contacts message messages send pending
    paused completed cancelled scheduled processing report summary settings simulated background mode successful yes rows file
    standard high shop`.split(/\s+/),
  es: `el la los las del que y en un una unos unas por para con sin se su sus tu tus es son está están fue hay este esta estos estas
    ese esa lo le les al como más pero ya también muy cuando donde qué cómo porque sí todo todos nada ningún ninguna mensajes
    campaña enviados fallidos número contactos cuenta informe resumen ajustes pausada completada cancelada programada procesando
    exitosos simulado segundo plano filas archivo`.split(/\s+/),
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (value && typeof value === 'object') for (const child of Object.values(value)) strings(child, out)
  return out
}

/** What Pregón can say in a language, outside the UI locale. */
function catalogue(lang: Lang): string[] {
  const codes = [...Array.from({ length: 600 }, (_, i) => i), ...Array.from({ length: 4_000 }, (_, i) => 130_000 + i), 80007]
  return [
    ...codes.flatMap((code) => strings(explainError(code, lang))),
    ...CAMPAIGN_ERRORS.flatMap((error) => strings(explainCampaignError(error, lang))),
    ...[...IMPORT_ROW_REASONS, ...IMPORT_WARNINGS, ...IMPORT_FILE_PROBLEMS].map((reason) => explainImportReason(reason, lang)),
    ...IMPORT_ROW_REASONS.map((reason) => importReasonLabel(reason, lang)),
    ...strings(words(lang)),
    ...strings(CAMPAIGN_STATUS_LABELS[lang]),
    ...RECIPIENT_STATES.map((state) => RECIPIENT_STATE_LABELS[lang][state]),
    ...(['opted_out', 'duplicate', 'invalid_number', 'missing_variable', 'invalid_parameter', 'cancelled'] as const).map((r) => skipLabel(r, lang)),
    ...(['status', 'no_status', 'resent'] as const).map((r) => resolutionMeaning(r, lang)),
    uncertainMeaning(lang),
  ]
}

/** Placeholders and snake_case identifiers (template names such as pedido_listo) are not words. */
const NOT_WORDS = /\{\{?\w+\}?\}|\b[\p{L}\d]+(?:_[\p{L}\d]+)+\b/gu

export function tokens(text: string): string[] {
  return (text.replace(NOT_WORDS, ' ').normalize('NFC').toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => !ALLOWED.has(w))
}

function vocabulary(lang: Lang): Set<string> {
  const texts = [...strings(lang === 'es' ? es : en), ...catalogue(lang), ...SMALL_WORDS[lang]]
  return new Set(texts.flatMap(tokens))
}

const VOCABULARY: Record<Lang, Set<string>> = { es: vocabulary('es'), en: vocabulary('en') }
const OTHER: Record<Lang, Lang> = { es: 'en', en: 'es' }

/** Words only the other language uses. */
function foreignVocabulary(lang: Lang): Set<string> {
  const own = VOCABULARY[lang]
  return new Set([...VOCABULARY[OTHER[lang]]].filter((word) => !own.has(word)))
}

const FOREIGN: Record<Lang, Set<string>> = { es: foreignVocabulary('es'), en: foreignVocabulary('en') }

export interface ForeignWord {
  word: string
  /** The text it was found in, for the failure message. */
  where: string
}

/** Every word of `texts` that belongs to the other language only, with where it was. */
export function foreignWords(texts: readonly string[], lang: Lang): ForeignWord[] {
  const found: ForeignWord[] = []
  for (const text of texts) {
    for (const word of new Set(tokens(text))) if (FOREIGN[lang].has(word)) found.push({ word, where: text.slice(0, 160) })
  }
  return found
}
