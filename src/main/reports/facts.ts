// The campaign's facts every report format prints in the reader's words: the account, the template's
// language and category, the speed, and how the contact file was imported.

import { importReasonLabel } from '../../shared/importReasons'
import type { Account, Campaign, ImportSummary, PacingProfile, TemplateSpec } from '../../shared/types'

type TemplateCategory = NonNullable<TemplateSpec['category']>
import { assertNever } from '../../shared/assertNever'
import type { ReportLang, Words } from './words'

export const LOCALES: Record<ReportLang, string> = { es: 'es-CO', en: 'en-US' }

export function formatCount(value: number, lang: ReportLang): string {
  return value.toLocaleString(LOCALES[lang])
}

/** Demo accounts made before the label was neutral said "(simulated)" in English themselves. */
const LEGACY_SIMULATED = /\s*\(simulated\)$/i

export function accountText(account: Account | null, fallbackId: string, w: Words): string {
  if (!account) return fallbackId
  const label = account.simulated ? account.label.replace(LEGACY_SIMULATED, '') : account.label
  return account.simulated ? `${label} (${w.simulated})` : label
}

/** "español", "inglés (Estados Unidos)" for a template language code such as es or en_US. */
export function languageName(code: string, lang: ReportLang): string {
  try {
    return new Intl.DisplayNames([LOCALES[lang]], { type: 'language' }).of(code.replace('_', '-')) ?? code
  } catch {
    return code
  }
}

const CATEGORIES: Record<ReportLang, Record<TemplateCategory, string>> = {
  en: { MARKETING: 'Marketing', UTILITY: 'Utility', AUTHENTICATION: 'Authentication' },
  es: { MARKETING: 'Marketing', UTILITY: 'Utilidad', AUTHENTICATION: 'Autenticación' },
}

export function categoryLabel(category: TemplateCategory | undefined, lang: ReportLang): string {
  return category ? CATEGORIES[lang][category] : ''
}

export function pacingLabel(pacing: PacingProfile, lang: ReportLang): string {
  const es = lang === 'es'
  switch (pacing.kind) {
    case 'seed':
      return es ? 'Suave (empieza despacio y acelera)' : 'Gentle (starts slowly and speeds up)'
    case 'standard':
      return es ? 'Lo más rápido que permita el número' : 'As fast as the number allows'
    case 'custom':
      return es ? `Un mensaje cada ${formatCount(pacing.intervalMs / 1_000, lang)} s` : `One message every ${formatCount(pacing.intervalMs / 1_000, lang)} s`
    case 'off':
      return es ? 'Sin pausas' : 'No pauses'
    default:
      return assertNever(pacing, 'pacing')
  }
}

/** The campaign's template: its name (Meta's identifier), language and category, in one line. */
export function templateText(campaign: Campaign, lang: ReportLang): string {
  const { name, language, category } = campaign.template
  return [name, languageName(language, lang), categoryLabel(category, lang)].filter(Boolean).join(' · ')
}

/** The import summarised as label/value lines: what was read, accepted, and refused by reason. */
export function importLines(summary: ImportSummary | null | undefined, w: Words, lang: ReportLang): [string, string][] {
  if (!summary) return [[w.importFile, w.noImport]]
  const n = (value: number) => formatCount(value, lang)
  const refused = Object.entries(summary.rejected)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${importReasonLabel(reason, lang)}: ${n(count)}`)
  return [
    [w.importFile, summary.sheet ? `${summary.fileName} · ${w.importSheet} ${summary.sheet}` : summary.fileName],
    [w.importRows, n(summary.rows)],
    [w.importValid, n(summary.valid)],
    [w.importInvalid, n(summary.invalid)],
    [w.importDuplicates, n(summary.duplicates)],
    [w.importOptedOut, n(summary.optedOut)],
    [w.importFixedLine, n(summary.fixedLine)],
    ...(refused.length > 0 ? [[w.importRefused, refused.join(' · ')] as [string, string]] : []),
  ]
}
