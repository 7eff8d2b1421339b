// The review's truth: every contact checked by the server against the final mapping (campaigns.preview, the
// same code campaigns.create runs), counted so that rows in the file = will receive + skipped + rejected,
// the message one real recipient gets, and what Meta will charge.

import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { marketName } from './marketName'
import type { CampaignPreview, ImportResult } from '../../../../shared/contract'
import type { TemplateSpec } from '../../../../shared/types'
import { call, errorText, useApi } from '../../lib/api'
import { formatNumber, formatUsd } from '../../lib/format'

/** Asks the server what creating this campaign would do; null while it answers. */
export function useCampaignPreview(importId: string | undefined, spec: TemplateSpec | null, accountId: string | undefined) {
  const api = useApi()
  const [preview, setPreview] = useState<CampaignPreview | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!importId || !spec || !accountId) return
    let current = true
    setPreview(null)
    setError(null)
    call(api, 'campaigns.preview', { importId, template: spec, accountId })
      .then((value) => current && setPreview(value))
      .catch((e: unknown) => current && setError(errorText(e)))
    return () => {
      current = false
    }
  }, [api, importId, spec, accountId])
  return { preview, error }
}

/** Skipped by reason: the import's duplicates first, then what the campaign itself would skip. */
function skippedReasons(preview: CampaignPreview, summary: ImportResult['summary']): [string, number][] {
  const reasons: [string, number][] = summary.duplicates > 0 ? [['duplicates', summary.duplicates]] : []
  return [...reasons, ...Object.entries(preview.skipped).filter(([, count]) => count > 0)]
}

const KNOWN_REASONS = ['duplicates', 'opted_out', 'missing_variable', 'invalid_parameter', 'marketing_us', 'invalid_number', 'duplicate', 'cancelled']


export function AudienceCheck({
  preview,
  summary,
  messageLanguage,
}: {
  preview: CampaignPreview
  summary: ImportResult['summary']
  /** The template's language: the bubble is the shop's own text, marked so for screen readers (and the language check). */
  messageLanguage: string | null
}) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const reasons = skippedReasons(preview, summary)
  const skipped = reasons.reduce((sum, [, count]) => sum + count, 0)
  const n = (value: number) => formatNumber(value, lang)
  const column = typeof preview.refusal?.details?.column === 'string' ? preview.refusal.details.column : null
  return (
    <>
      <div className="stats">
        <Stat testId="review-rows" value={n(summary.rows)} label={t('preflight.review.rowsInFile')} />
        <Stat testId="review-recipients" tone="ok" value={n(preview.willSend)} label={t('preflight.review.willReceive')} />
        <Stat testId="review-skipped" tone="warn" value={n(skipped)} label={t('preflight.review.skipped')} />
        <Stat testId="review-rejected" tone="bad" value={n(summary.invalid)} label={t('preflight.review.rejected')} />
      </div>
      <p className="muted" data-testid="review-sum">
        {t('preflight.review.sum', { rows: n(summary.rows), send: n(preview.willSend), skipped: n(skipped), rejected: n(summary.invalid) })}
      </p>
      {(reasons.length > 0 || summary.invalid > 0) && (
        <ul className="plain-list" data-testid="review-skipped-reasons">
          {reasons.map(([reason, count]) => (
            <li key={reason} data-reason={reason}>
              {KNOWN_REASONS.includes(reason)
                ? t(`preflight.review.reason.${reason}`, { n: n(count), count })
                : t('preflight.review.reason.other', { n: n(count), reason })}
            </li>
          ))}
          {summary.invalid > 0 && <li data-reason="rejected">{t('preflight.review.rejectedLine', { n: n(summary.invalid), count: summary.invalid })}</li>}
        </ul>
      )}
      {preview.refusal && (
        <p className="alert alert--error" role="alert" data-testid="review-refusal">
          {column ? t('preflight.review.noColumn', { column }) : t('preflight.review.nobody')}
        </p>
      )}
      {preview.sample && (
        <>
          <h2>{t('preflight.review.sampleTitle', { name: preview.sample.name ?? t('preflight.review.sampleNobody') })}</h2>
          <div className="chat" data-testid="review-bubble" lang={messageLanguage?.replace('_', '-')}>
            <div className="bubble">
              <p className="bubble__body" data-testid="review-bubble-body">
                {preview.sample.body}
              </p>
              <small className="bubble__footer">{preview.sample.phone}</small>
            </div>
          </div>
        </>
      )}
      <h2>{t('preflight.review.costTitle')}</h2>
      <CostLine preview={preview} />
    </>
  )
}

function CostLine({ preview }: { preview: CampaignPreview }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const { cost } = preview
  if (!cost) return <p data-testid="review-cost">{t('preflight.review.costUnknown')}</p>
  return (
    <div data-testid="review-cost">
      <p>
        <strong data-testid="review-cost-amount">
          {t('preflight.review.cost', {
            amount: formatUsd(cost.total, lang),
            n: formatNumber(preview.willSend, lang),
            category: t(`template.category.${cost.category}`),
          })}
        </strong>
      </p>
      <ul className="plain-list muted small">
        {cost.markets.map((m) => (
          <li key={m.market}>{t('preflight.review.market', { n: formatNumber(m.count, lang), rate: formatUsd(m.rate, lang, 4), market: marketName(m.market, lang, t) })}</li>
        ))}
      </ul>
      <p className="muted small" data-testid="review-cost-date">
        {t('preflight.review.costCard', { date: new Date(`${cost.effective}T12:00:00Z`).toLocaleDateString(lang, { dateStyle: 'long' }) })}
      </p>
    </div>
  )
}

function Stat({ testId, value, label, tone }: { testId: string; value: string; label: string; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div className={`stat${tone ? ` stat--${tone}` : ''}`} data-testid={testId}>
      <span className="stat__value">{value}</span>
      <span className="stat__label">{label}</span>
    </div>
  )
}
