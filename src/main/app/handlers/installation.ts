// The installation's settings (Meta's webhook app secret and verify token, the relay, the Graph API base):
// shared by every tenant, so only the operator reads or changes them (dispatch checks OPERATOR_METHODS).

import { randomBytes } from 'node:crypto'
import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { InstallationSettings } from '../../../shared/contract'
import type { InstallationInput } from '../../../shared/schemas'

const WEBHOOK_SECRET_KEY = 'webhook:appSecret'
const WEBHOOK_VERIFY_KEY = 'webhook:verifyToken'
const RELAY_KEY = 'relay:apiKey'
const RELAY_URL_KEY = 'relay:url'

type Services = Pick<AppServices, 'store' | 'config'>

/** The app secret that signs Meta's webhooks and the verify token: env first (headless deployments), then settings. */
export async function webhookSecrets(s: Services): Promise<{ appSecret: string | null; verifyToken: string | null }> {
  const sealed = await s.store.settings.get<string>(WEBHOOK_SECRET_KEY)
  return {
    appSecret: process.env.PREGON_APP_SECRET || (sealed ? s.config.secrets.open(sealed) : null),
    verifyToken: process.env.PREGON_VERIFY_TOKEN || (await s.store.settings.get<string>(WEBHOOK_VERIFY_KEY)),
  }
}

export async function relayApiKey(s: Services): Promise<string | null> {
  const sealed = await s.store.settings.get<string>(RELAY_KEY)
  return sealed ? s.config.secrets.open(sealed) : null
}

/** The relay this installation pulls Meta's webhooks from; '' for none. */
export async function relayUrl(s: Pick<AppServices, 'store'>): Promise<string> {
  return (await s.store.settings.get<string>(RELAY_URL_KEY)) ?? ''
}

/** The app secret, or a random one stored in its place so the demo simulator can sign its receipts until the owner enters Meta's. */
export async function ensureWebhookAppSecret(s: Services): Promise<string> {
  const { appSecret } = await webhookSecrets(s)
  if (appSecret) return appSecret
  const secret = randomBytes(24).toString('hex')
  await s.store.settings.set(WEBHOOK_SECRET_KEY, s.config.secrets.seal(secret))
  return secret
}

/** Settings → Relay used to be saved among the desktop user's own settings; it moves to the installation once. */
export async function adoptLegacyRelayUrl(s: Pick<AppServices, 'store'>, userId: string): Promise<void> {
  const key = `user:${userId}:settings`
  const { relayUrl: legacy, ...rest } = (await s.store.settings.get<{ relayUrl?: unknown }>(key)) ?? {}
  if (legacy === undefined) return
  if (typeof legacy === 'string' && legacy && !(await relayUrl(s))) await s.store.settings.set(RELAY_URL_KEY, legacy)
  await s.store.settings.set(key, rest)
}

export async function readInstallation(s: Pick<AppServices, 'store' | 'config' | 'graph'>): Promise<InstallationSettings> {
  const secrets = await webhookSecrets(s)
  return {
    webhookVerifyToken: secrets.verifyToken ?? '',
    webhookAppSecretSet: Boolean(secrets.appSecret),
    relayUrl: await relayUrl(s),
    relayApiKeySet: Boolean(await relayApiKey(s)),
    graphUrl: s.graph.graphUrl,
    fromEnvironment: [
      ...(process.env.PREGON_APP_SECRET ? (['webhookAppSecret'] as const) : []),
      ...(process.env.PREGON_VERIFY_TOKEN ? (['webhookVerifyToken'] as const) : []),
    ],
  }
}

export function installationHandlers(s: AppServices): Pick<Handlers, 'installation.get' | 'installation.set'> {
  const sealOrClear = (value: string) => (value ? s.config.secrets.seal(value) : null)
  return {
    'installation.get': () => readInstallation(s),
    async 'installation.set'(_ctx, input: InstallationInput) {
      if (input.webhookAppSecret !== undefined) await s.store.settings.set(WEBHOOK_SECRET_KEY, sealOrClear(input.webhookAppSecret))
      if (input.webhookVerifyToken !== undefined) await s.store.settings.set(WEBHOOK_VERIFY_KEY, input.webhookVerifyToken)
      if (input.relayUrl !== undefined) await s.store.settings.set(RELAY_URL_KEY, input.relayUrl)
      if (input.relayApiKey !== undefined) await s.store.settings.set(RELAY_KEY, sealOrClear(input.relayApiKey))
      s.log.info({ changed: Object.keys(input) }, 'installation settings changed by the operator')
      return readInstallation(s)
    },
  }
}
