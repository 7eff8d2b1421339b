// A rejected row's reason in the UI's language, from the shared catalogue; the server's sentence otherwise.
import { explainImportReason, isImportReason } from '../../../../shared/importReasons'
import { uiLang } from '../../lib/i18n'

export function reasonText(reason: string, serverMessage: string, lang: string): string {
  if (!isImportReason(reason)) return serverMessage || reason
  const text = explainImportReason(reason, uiLang(lang))
  // A sentence that needs details only the server knows (e.g. the first row of a duplicate).
  return /\{\w+\}/.test(text) ? serverMessage || text : text
}
