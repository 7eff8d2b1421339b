// @vitest-environment jsdom
// Issue 11, point 4: what the core says reaches the screen in the user's language — a network failure is
// not a refusal, Meta's refusal carries its code and meaning, a refused field is named by its form label,
// and a Spanish screen never falls back to the server's English sentence.

import { beforeAll, describe, expect, it } from 'vitest'
import { explainError } from '../../../src/shared/errorCatalog'
import { explainImportReason } from '../../../src/shared/importReasons'
import { ApiCallError, errorText } from '../../../src/renderer/src/lib/api'
import { i18n, initI18n, setUiLanguage } from '../../../src/renderer/src/lib/i18n'
import { en } from '../../../src/renderer/src/locales/en'
import { es } from '../../../src/renderer/src/locales/es'

const UNREACHABLE = new ApiCallError('graph_error', 'Could not reach the WhatsApp Cloud API. Check the internet connection and try again.', { problem: 'meta_unreachable' })
const REFUSED = new ApiCallError('graph_error', 'Meta did not accept these credentials: Error validating access token', { metaCode: 190, metaMessage: 'Error validating access token' })
const BAD_FIELD = new ApiCallError('invalid_args', 'phoneNumberId: phoneNumberId is the numeric "Phone number ID" from Meta\'s API Setup page', { field: 'phoneNumberId' })
const BAD_FILE = new ApiCallError('invalid_args', 'fotos.zip: This file is not a spreadsheet or a CSV text file.', { field: 'dataBase64', reason: 'not_a_table' })
const GONE = new ApiCallError('not_found', 'Campaign 42 not found')

beforeAll(() => {
  initI18n('es')
})

describe('errors in the user’s language', () => {
  it('in Spanish: each kind in its own words, never the server’s English', () => {
    setUiLanguage('es')
    expect(i18n.language).toBe('es')
    expect(errorText(UNREACHABLE)).toBe(es.userLanguage.metaUnreachable)
    expect(errorText(UNREACHABLE)).not.toMatch(/Meta (no aceptó|lo rechazó)/)
    expect(errorText(REFUSED)).toBe(`Meta lo rechazó (error 190): ${explainError(190, 'es').title}.`)
    expect(errorText(BAD_FIELD)).toBe(`Revisa «${es.accounts.field.phoneNumberId}»: no es válido. ${es.accounts.hint.phoneNumberId}`)
    expect(errorText(BAD_FILE)).toBe(explainImportReason('not_a_table', 'es'))
    expect(errorText(GONE)).toBe(es.userLanguage.code.not_found)
  })

  it('in English: the same words, and the server’s own sentence only for what has none', () => {
    setUiLanguage('en')
    expect(errorText(UNREACHABLE)).toBe(en.userLanguage.metaUnreachable)
    expect(errorText(REFUSED)).toBe(`Meta refused it (error 190): ${explainError(190, 'en').title}.`)
    expect(errorText(BAD_FIELD)).toBe(`Check “${en.accounts.field.phoneNumberId}”: it is not valid. ${en.accounts.hint.phoneNumberId}`)
    expect(errorText(GONE)).toBe('Campaign 42 not found')
  })
})
