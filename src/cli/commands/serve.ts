// `pregon serve`: the engine headless, with the seed's REST API, webhooks and the UI in a browser.

import type { Command } from 'commander'
import { resolveDataDir } from '../dataDir'

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run headless: REST API, webhooks, live events and the web UI')
    .option('--host <host>', 'address to listen on', process.env.PREGON_HOST ?? '127.0.0.1')
    .option('--port <n>', 'port', process.env.PREGON_PORT ?? '8787')
    .option('--data-dir <dir>', 'data directory (env PREGON_DATA_DIR)')
    .option('--graph-url <url>', 'Graph API base URL (env PREGON_GRAPH_URL)')
    .option('--mongodb <uri>', 'keep campaigns, ledger and accounts in this MongoDB instead of SQLite (env PREGON_MONGODB_URI)')
    .option('--relay', 'also act as a webhook relay for desktops that cannot receive webhooks')
    .option('--relay-url <url>', 'pull webhooks from a relay at this URL (env PREGON_RELAY_URL)')
    .option('--demo', 'start the built-in simulator and a local user so the browser UI works at once')
    .action(async (o) => {
      const { runServe } = await import('../../main/http/serve')
      await runServe({
        host: o.host,
        port: Number(o.port),
        dataDir: resolveDataDir(o.dataDir),
        mongodbUri: o.mongodb ?? (process.env.PREGON_MONGODB_URI || undefined),
        graphUrl: o.graphUrl,
        relay: Boolean(o.relay),
        relayUrl: o.relayUrl ?? process.env.PREGON_RELAY_URL,
        demo: Boolean(o.demo),
      })
    })
}
