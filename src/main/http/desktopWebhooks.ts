// Webhooks for the desktop app, which has no public address: a loopback /webhook for a tunnel (and for
// the demo simulator's receipts), and the relay consumer while Settings → Relay is filled in.

import type { App } from '../app'
import { adoptLegacyRelayUrl, ensureWebhookAppSecret, relayApiKey, relayUrl as savedRelayUrl } from '../app/handlers/installation'
import { createWebhookProcessor } from '../app/webhookProcessor'
import { startRelayConsumer, type RelayConsumer } from '../app/relayConsumer'
import { createHttpServer, type HttpServer } from './server'

export interface DesktopWebhooks {
  /** The loopback URL of `/webhook` (null when the port was taken). */
  webhookUrl: string | null
  appSecret: string
  /** Settings → Relay changed: pull from the relay now set, or stop pulling when it was cleared. */
  refreshRelay(): Promise<void>
  close(): Promise<void>
}

export async function startDesktopWebhooks(app: App, opts: { userId: string; port?: number }): Promise<DesktopWebhooks> {
  const processor = createWebhookProcessor(app)
  const appSecret = await ensureWebhookAppSecret(app)
  await adoptLegacyRelayUrl(app, opts.userId)

  let http: HttpServer | null = null
  try {
    http = await createHttpServer(app, { host: '127.0.0.1', port: opts.port ?? Number(process.env.PREGON_PORT ?? 8787), onWebhookStored: () => processor.kick() })
  } catch (error) {
    app.log.warn({ err: error }, 'the local webhook endpoint could not start (port taken?); webhooks arrive only through a relay')
  }
  if (http) app.webhookEndpoint.url = `${http.url}/webhook`
  processor.kick()

  // One relay at a time; changes are applied in order, so a quick second save cannot start two.
  let relay: { consumer: RelayConsumer; url: string; apiKey: string } | null = null
  let applying: Promise<void> = Promise.resolve()
  let closed = false
  const applyRelay = async (): Promise<void> => {
    if (closed) return
    const relayUrl = await savedRelayUrl(app)
    const apiKey = await relayApiKey(app)
    if (relay && relay.url === relayUrl && relay.apiKey === apiKey) return
    await relay?.consumer.stop()
    relay = null
    if (relayUrl && apiKey && !closed) {
      relay = { consumer: await startRelayConsumer(app, { relayUrl, apiKey, onStored: () => processor.kick() }), url: relayUrl, apiKey }
    }
  }
  const refreshRelay = (): Promise<void> => {
    applying = applying.then(applyRelay, applyRelay)
    return applying
  }
  await refreshRelay()

  return {
    webhookUrl: http ? `${http.url}/webhook` : null,
    appSecret,
    refreshRelay,
    async close() {
      // A settings save during quit must not start a consumer on a store that is closing.
      closed = true
      await applying.catch(() => undefined)
      await relay?.consumer.stop()
      await http?.close()
      await processor.close()
    },
  }
}
