// `pregon installation show|set`: the operator's settings on the server (Meta's webhook, the relay), which
// no tenant can read or change over HTTP.

import type { Command } from 'commander'
import type { InstallationSettings } from '../../shared/contract'
import { openCliApp, unwrap } from '../openApp'

export function registerInstallation(program: Command): void {
  const installation = program.command('installation').description('installation-wide settings (the operator\'s): webhook and relay')
  installation
    .command('show')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o) => {
      const { app, userId } = await openCliApp({ dataDir: o.dataDir })
      try {
        print(unwrap(await app.dispatch({ userId, operator: true }, 'installation.get', {})) as InstallationSettings)
      } finally {
        await app.close()
      }
    })
  installation
    .command('set')
    .description('change what is given; an empty value clears it')
    .option('--verify-token <text>', 'webhook verify token, as typed in Meta\'s app (env PREGON_VERIFY_TOKEN wins)')
    .option('--app-secret <text>', 'Meta app secret that signs webhooks (env PREGON_APP_SECRET wins)')
    .option('--relay-url <url>', 'pull webhooks from this relay (pregon serve --relay)')
    .option('--relay-api-key <key>', 'the API key this installation has on the relay')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o) => {
      const { app, userId } = await openCliApp({ dataDir: o.dataDir })
      try {
        const change = { webhookVerifyToken: o.verifyToken, webhookAppSecret: o.appSecret, relayUrl: o.relayUrl, relayApiKey: o.relayApiKey }
        print(unwrap(await app.dispatch({ userId, operator: true }, 'installation.set', change)) as InstallationSettings)
      } finally {
        await app.close()
      }
    })
}

function print(settings: InstallationSettings): void {
  const env = (name: InstallationSettings['fromEnvironment'][number]) => (settings.fromEnvironment.includes(name) ? ' (from the environment)' : '')
  console.log(`Graph API:      ${settings.graphUrl}`)
  console.log(`Verify token:   ${settings.webhookVerifyToken || '(none)'}${env('webhookVerifyToken')}`)
  console.log(`App secret:     ${settings.webhookAppSecretSet ? 'set' : '(none)'}${env('webhookAppSecret')}`)
  console.log(`Relay:          ${settings.relayUrl || '(none)'}${settings.relayApiKeySet ? ', API key set' : ''}`)
}
