// The `pregon` command: serve (headless + browser UI), sim (the Cloud API simulator), send, resume,
// status, report, accounts, users, installation, store. Every command goes through the same composition root as the app.

import { Command } from 'commander'
import { registerAccounts } from './commands/accounts'
import { registerCampaigns } from './commands/campaigns'
import { registerInstallation } from './commands/installation'
import { registerServe } from './commands/serve'
import { registerSim } from './commands/sim'
import { registerStore } from './commands/store'
import { registerUsers } from './commands/users'

const program = new Command()
program
  .name('pregon')
  .description('Pregón: WhatsApp template campaigns through the official Cloud API')
  .version(process.env.npm_package_version ?? '0.1.0')
  .showHelpAfterError()

registerServe(program)
registerSim(program)
registerAccounts(program)
registerUsers(program)
registerInstallation(program)
registerCampaigns(program)
registerStore(program)

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`pregon: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
