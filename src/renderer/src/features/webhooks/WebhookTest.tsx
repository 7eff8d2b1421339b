// "Test webhook": Pregón posts a signed test event to its public webhook address (the relay, a tunnel, or
// its own) and says whether it came back, and if not, where it got lost.

import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { WebhookTestResult } from '../../../../shared/contract'
import { ApiCallError, call, errorText, useApi } from '../../lib/api'

/** An address only this computer can reach: the test passing there says nothing about Meta reaching it. */
const isLoopback = (url: string): boolean => /^https?:\/\/(127\.|localhost[:/]|\[::1\])/i.test(url)

export function WebhookTest({ operator }: { operator: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const [url, setUrl] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<WebhookTestResult | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function run(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setResult(null)
    setError(null)
    try {
      setResult(await call(api, 'webhooks.test', url.trim() ? { url: url.trim() } : {}))
    } catch (e) {
      const problem = e instanceof ApiCallError ? e.details?.problem : undefined
      setError(problem === 'no_app_secret' ? t('webhookCheck.noSecret') : problem === 'no_target' ? t('webhookCheck.noTarget') : errorText(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="webhook-test" onSubmit={(e) => void run(e)} data-testid="webhook-test">
      {operator && (
        <label>
          {t('webhookCheck.publicUrl')}
          <input type="url" data-testid="webhook-test-url" value={url} placeholder="https://….trycloudflare.com/webhook" onChange={(e) => setUrl(e.target.value)} />
        </label>
      )}
      <button type="submit" className="button" data-testid="webhook-test-run" disabled={busy}>
        {busy ? t('webhookCheck.testing') : t('webhookCheck.test')}
      </button>
      <div aria-live="polite">
        {result && (
          <p className={`alert ${result.outcome === 'arrived' ? 'alert--ok' : 'alert--error'}`} data-testid="webhook-test-result" data-outcome={result.outcome}>
            {t(`webhookCheck.outcome.${result.outcome}`, { target: result.target, status: result.httpStatus ?? '', seconds: (result.elapsedMs / 1000).toFixed(1) })}
            {result.outcome === 'arrived' && isLoopback(result.target) && <> {t('webhookCheck.loopback')}</>}
          </p>
        )}
        {error && (
          <p className="alert alert--error" role="alert" data-testid="webhook-test-error">
            {error}
          </p>
        )}
      </div>
    </form>
  )
}
