// `pregon accounts add|list`: an account is stored only after Meta (or the simulator) accepts it.

import type { Command } from 'commander'
import type { AccountView } from '../../shared/contract'
import { openCliApp, unwrap } from '../openApp'

export function registerAccounts(program: Command): void {
  const accounts = program.command('accounts').description('WhatsApp sender accounts')
  accounts
    .command('add')
    .description('validate credentials against the Cloud API, then store them (token encrypted)')
    .requiredOption('--phone-number-id <id>', 'Phone number ID (Meta → WhatsApp → API Setup)')
    .requiredOption('--waba-id <id>', 'WhatsApp Business Account ID')
    .option('--token <token>', 'access token (or env PREGON_ACCESS_TOKEN)')
    .option('--country <CC>', 'default country for numbers without a country code', 'CO')
    .option('--label <text>', 'a name for this account')
    .option('--mps <n>', 'messages per second for this number (80; 20 for coexistence numbers)')
    .option('--graph-url <url>', 'Graph API base URL for this command (env PREGON_GRAPH_URL), e.g. the simulator')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o) => {
      const accessToken = o.token ?? process.env.PREGON_ACCESS_TOKEN
      if (!accessToken) {
        console.error('pregon: give the access token with --token or PREGON_ACCESS_TOKEN')
        process.exit(1)
      }
      const { app, userId } = await openCliApp({ dataDir: o.dataDir, graphUrl: o.graphUrl })
      try {
        const account = unwrap(
          await app.dispatch({ userId }, 'accounts.add', {
            phoneNumberId: o.phoneNumberId,
            wabaId: o.wabaId,
            accessToken,
            defaultCountry: o.country,
            label: o.label,
            maxMessagesPerSecond: o.mps ? Number(o.mps) : undefined,
          }),
        ) as AccountView
        console.log(`Account ${account.id} added: ${account.verifiedName ?? '?'} ${account.displayPhoneNumber ?? ''}`)
        console.log(`  quality ${account.qualityRating ?? '?'}, messaging tier ${account.messagingTier.tier}`)
        if (account.messagingTier.notice) console.log(`  ${account.messagingTier.notice}`)
      } finally {
        await app.close()
      }
    })
  accounts
    .command('list')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o) => {
      const { app, userId } = await openCliApp({ dataDir: o.dataDir })
      try {
        const list = unwrap(await app.dispatch({ userId }, 'accounts.list', {})) as AccountView[]
        if (list.length === 0) console.log('No accounts yet: `pregon accounts add --help`')
        for (const a of list) {
          const tier = `${a.messagingTier.tier}${a.messagingTier.source === 'meta' ? '' : ` (${a.messagingTier.source})`}`
          console.log(`${a.id}  ${a.label}  ${a.phoneNumberId}  ${tier}${a.simulated ? '  (simulated)' : ''}`)
        }
      } finally {
        await app.close()
      }
    })
}
