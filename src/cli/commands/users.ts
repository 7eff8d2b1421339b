// `pregon users add|list`: tenants of `pregon serve`, each with its own API key.

import type { Command } from 'commander'
import { openCliApp } from '../openApp'

export function registerUsers(program: Command): void {
  const users = program.command('users').description('users (tenants) and API keys of `pregon serve`')
  users
    .command('add <name>')
    .description('create a user and print its API key (shown once: only a hash is stored)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (name: string, o) => {
      const { app } = await openCliApp({ dataDir: o.dataDir })
      try {
        const { user, apiKey } = await app.store.users.create(name)
        console.log(`User ${user.name} (${user.id}) created. API key (keep it, it is not shown again):`)
        console.log(apiKey)
      } finally {
        await app.close()
      }
    })
  users
    .command('list')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o) => {
      const { app } = await openCliApp({ dataDir: o.dataDir })
      try {
        for (const u of await app.store.users.list()) console.log(`${u.id}  ${u.name}  ${u.createdAt}`)
      } finally {
        await app.close()
      }
    })
}
