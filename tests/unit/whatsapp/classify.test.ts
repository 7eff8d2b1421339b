// Every code of the reference §3 table maps to what the engine must do, and has shop-owner words in both languages.

import { describe, expect, it } from 'vitest'
import { classifyError, ERROR_CLASSIFICATIONS } from '../../../src/main/whatsapp/classify'
import type { Classification } from '../../../src/main/whatsapp/types'
import { explainCampaignError, explainError, hasExplanation } from '../../../src/shared/errorCatalog'
import { CAMPAIGN_ERRORS } from '../../../src/shared/types'

const fatal = (campaignError: Classification['campaignError']): Classification => ({ errorClass: 'campaign_fatal', campaignError })
const recipient: Classification = { errorClass: 'recipient' }

/** Reference §3, row by row. */
const REFERENCE_TABLE: [number, Classification][] = [
  [0, fatal('invalid_credentials')],
  [190, fatal('invalid_credentials')],
  [3, fatal('invalid_credentials')],
  [10, fatal('invalid_credentials')],
  [200, fatal('invalid_credentials')],
  [250, fatal('invalid_credentials')],
  [299, fatal('invalid_credentials')],
  [4, { errorClass: 'rate_limited' }],
  [80007, { errorClass: 'rate_limited' }],
  [130429, { errorClass: 'rate_limited' }],
  [131048, fatal('spam_rate_limited')],
  [131056, { errorClass: 'pair_limited', minDelayMs: 6_000 }],
  [131049, { errorClass: 'marketing_limited' }],
  [131050, { errorClass: 'suppress' }],
  [131026, recipient],
  [131047, recipient],
  [131051, recipient],
  [131052, recipient],
  [131053, recipient],
  [132000, fatal('template_error')],
  [132001, fatal('template_error')],
  [132005, recipient],
  [132007, fatal('template_error')],
  [132012, fatal('template_error')],
  [132015, fatal('template_error')],
  [132016, fatal('template_error')],
  [132018, recipient],
  [133010, fatal('account_blocked')],
  [100, fatal('invalid_request')],
  [131008, fatal('invalid_request')],
  [131009, recipient],
  [131000, { errorClass: 'transient' }],
  [131016, { errorClass: 'transient' }],
  [1, { errorClass: 'transient' }],
  [2, { errorClass: 'transient' }],
  [133004, { errorClass: 'transient' }],
  [131057, { errorClass: 'transient', minDelayMs: 60_000 }],
  [131042, fatal('payment_required')],
  [131031, fatal('account_blocked')],
  [368, fatal('account_blocked')],
  [130497, recipient],
  [131064, fatal('account_blocked')],
  [131021, recipient],
  [130403, recipient],
  [130472, recipient],
  [131062, recipient],
  [131063, fatal('account_blocked')],
  [131037, fatal('account_blocked')],
  [470, recipient],
]

describe('classifyError', () => {
  it.each(REFERENCE_TABLE)('classifies code %i as the reference says', (code, expected) => {
    expect(classifyError(code)).toEqual(expected)
  })

  it('treats an unknown code as permanent for that recipient only', () => {
    expect(classifyError(999_999)).toEqual({ errorClass: 'recipient' })
    expect(classifyError(-5)).toEqual({ errorClass: 'recipient' })
  })

  it('gives every campaign-fatal code a campaign error, and no other class one', () => {
    for (const c of Object.values(ERROR_CLASSIFICATIONS)) {
      expect(c.campaignError !== undefined).toBe(c.errorClass === 'campaign_fatal')
    }
  })

  it('halts the batch on every code the architecture names as campaign-fatal', () => {
    for (const code of [0, 190, 132000, 132001, 132012, 132015, 132016, 133010, 131031, 131042, 368, 131048]) {
      expect(classifyError(code).errorClass).toBe('campaign_fatal')
    }
  })
})

describe('explainError', () => {
  it.each(REFERENCE_TABLE.map(([code]) => [code]))('has written words for code %i in Spanish and English', (code) => {
    expect(hasExplanation(code)).toBe(true)
    const es = explainError(code, 'es')
    const en = explainError(code, 'en')
    expect(es.title.length).toBeGreaterThan(10)
    expect(es.whatToDo.length).toBeGreaterThan(10)
    expect(en.title.length).toBeGreaterThan(10)
    expect(es.title).not.toBe(en.title)
  })

  it('tells the shop owner to get a new token for an expired one', () => {
    expect(explainError(190, 'es').whatToDo).toMatch(/token/)
    expect(explainError(190, 'en').title).toMatch(/expired/)
  })

  it('falls back to a generic explanation for unknown codes', () => {
    expect(hasExplanation(424242)).toBe(false)
    expect(explainError(424242, 'en').title).toBe('WhatsApp could not send this message')
  })

  it('explains every reason the engine may pause a campaign', () => {
    for (const error of CAMPAIGN_ERRORS) {
      expect(explainCampaignError(error, 'es').title).not.toBe('')
      expect(explainCampaignError(error, 'en').whatToDo).not.toBe('')
    }
    expect(explainCampaignError('too_many_failures', 'es').whatToDo).toMatch(/Reanudar/)
  })
})
