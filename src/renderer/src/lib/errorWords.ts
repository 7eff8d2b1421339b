// What the core said, in the user's language. The API speaks English; the UI words what it knows from the
// error's code and details (the field, Meta's code, the problem), so a Spanish screen never shows the
// server's English. Only an English screen may fall back to the server's own (more detailed) sentence.

import type { TFunction } from 'i18next'
import { explainAccountProblem, explainError } from '../../../shared/errorCatalog'
import { explainImportReason, isImportReason } from '../../../shared/importReasons'
import { uiLang } from './i18n'

export interface ErrorFacts {
  code: string
  message: string
  details?: Record<string, unknown>
}

/** Fields the UI has its own label for (the form's words), by the name the API uses. */
const FIELD_LABELS: Record<string, string> = {
  label: 'accounts.field.label',
  phoneNumberId: 'accounts.field.phoneNumberId',
  wabaId: 'accounts.field.wabaId',
  accessToken: 'accounts.field.accessToken',
  defaultCountry: 'accounts.field.defaultCountry',
  campaignName: 'review.campaignName',
  scheduledAt: 'review.sendAt',
  to: 'review.testNumber',
  phone: 'optouts.number',
}

/** The advice the form already gives for a field, when it has one. */
const FIELD_HINTS: Record<string, string> = {
  phoneNumberId: 'accounts.hint.phoneNumberId',
  wabaId: 'accounts.hint.wabaId',
  accessToken: 'accounts.hint.accessToken',
  defaultCountry: 'accounts.hint.defaultCountry',
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)

export function errorWords(error: ErrorFacts, t: TFunction, language: string): string {
  const lang = uiLang(language)
  const details = error.details ?? {}
  const problem = text(details.problem)
  if (problem === 'meta_unreachable') return t('userLanguage.metaUnreachable')
  if (problem === 'server_unreachable') return t('userLanguage.serverUnreachable')
  if (problem === 'key_refused') return t('userLanguage.keyRefused')
  const account = explainAccountProblem(problem, lang)
  if (account) return `${account.title}. ${account.whatToDo}`
  const reason = text(details.reason)
  if (reason && isImportReason(reason)) return explainImportReason(reason, lang)
  const metaCode = details.metaCode
  if (error.code === 'graph_error' && typeof metaCode === 'number') {
    return t('userLanguage.metaRefused', { code: metaCode, title: explainError(metaCode, lang).title })
  }
  const field = text(details.field)
  if (error.code === 'invalid_args' && field && FIELD_LABELS[field]) {
    const hint = FIELD_HINTS[field]
    return [t('userLanguage.invalidField', { field: t(FIELD_LABELS[field]) }), hint ? t(hint) : ''].filter(Boolean).join(' ')
  }
  if (lang === 'en' && error.message) return error.message
  return t(`userLanguage.code.${error.code}`, { defaultValue: t('userLanguage.code.internal') })
}
