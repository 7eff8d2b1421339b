// Are Meta's webhooks reaching this installation? `webhooks.status` says whether any delivery status for an
// account ever arrived; `webhooks.test` posts a signed test event to the public webhook address (the
// relay, a tunnel, or this server) and waits for it to come back into this installation's inbox.

import { randomUUID } from 'node:crypto'
import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { WebhookTestResult } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { resolveAccount } from '../credentials'
import { relayUrl, webhookSecrets } from './installation'
import { signBody } from '../../whatsapp/webhook'

/** A field Meta never sends: the webhook processor skips it, so the test changes nothing. */
export const WEBHOOK_TEST_FIELD = 'pregon_webhook_test'
const POST_TIMEOUT_MS = 10_000
/** A relay hands deliveries to long-polls that wake at once; a few seconds covers a slow link. */
const COME_BACK_MS = 15_000
const POLL_MS = 200

/** Where the test goes: the operator's address, else the relay's callback, else this server's own. */
async function testTarget(s: AppServices, url: string | undefined): Promise<string | null> {
  if (url) return url
  const relay = await relayUrl(s)
  if (relay) return `${relay.replace(/\/+$/, '')}/webhook`
  return s.webhookEndpoint.url
}

async function post(target: string, body: string, appSecret: string): Promise<number | null> {
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(Buffer.from(body), appSecret) },
      body,
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    })
    await response.arrayBuffer()
    return response.status
  } catch {
    return null
  }
}

async function cameBack(s: AppServices, nonce: string, since: number): Promise<boolean> {
  const deadline = Date.now() + COME_BACK_MS
  for (;;) {
    if (await s.store.inbox.contains(nonce, since)) return true
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

export function webhookCheckHandlers(s: AppServices): Pick<Handlers, 'webhooks.status' | 'webhooks.test'> {
  return {
    async 'webhooks.status'(ctx, { accountId }) {
      const account = await resolveAccount(s, ctx.userId, accountId)
      const last = await s.store.events.lastStatusForAccount(account.id)
      return {
        lastStatusAt: last === null ? null : new Date(last).toISOString(),
        callbackUrl: s.webhookEndpoint.url,
        relayConfigured: Boolean(await relayUrl(s)),
        appSecretSet: Boolean((await webhookSecrets(s)).appSecret),
      }
    },

    async 'webhooks.test'(ctx, { url }): Promise<WebhookTestResult> {
      // A tenant choosing the address would make this server post signed requests anywhere it likes.
      if (url && !ctx.operator) throw new AppError('forbidden', 'url: only the operator of this installation tests another address; leave it out to test the installation’s own.')
      const { appSecret } = await webhookSecrets(s)
      if (!appSecret) throw new AppError('invalid_args', 'No app secret is set: enter the App secret (Meta app → Settings → Basic) in Settings → Webhook first.', { problem: 'no_app_secret' })
      const target = await testTarget(s, url)
      if (!target) throw new AppError('invalid_args', 'url: this installation has no public webhook address yet; give the tunnel’s address or set a relay.', { field: 'url', problem: 'no_target' })

      const nonce = `pregon-test-${randomUUID()}`
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'pregon', changes: [{ field: WEBHOOK_TEST_FIELD, value: { nonce } }] }] })
      const started = Date.now()
      const httpStatus = await post(target, body, appSecret)
      const outcome: WebhookTestResult['outcome'] =
        httpStatus === null ? 'unreachable' : httpStatus !== 200 ? 'refused' : (await cameBack(s, nonce, started)) ? 'arrived' : 'lost'
      s.log.info({ target, outcome, httpStatus }, 'webhook test')
      return { target, outcome, httpStatus, elapsedMs: Date.now() - started }
    },
  }
}
