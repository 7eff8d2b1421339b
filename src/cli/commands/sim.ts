// `pregon sim`: the Cloud API simulator on loopback, for trying Pregón without a Meta account.

import type { Command } from 'commander'

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run the WhatsApp Cloud API simulator (demo mode, tests, benchmarks)')
    .option('--port <n>', 'port (0 = any free port)', '8788')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--latency <ms>', 'answer latency in ms, or a range like 20-80', '0')
    .option('--webhook-url <url>', 'where to POST signed status webhooks (e.g. http://127.0.0.1:8787/webhook)')
    .option('--app-secret <secret>', 'app secret that signs the webhooks')
    .option('--fail-rate <0..1>', 'share of sends that fail')
    .option('--fail-code <code>', 'Cloud API error code of those failures', '131026')
    .option('--fail-delivery <how>', 'sync: an error answer; webhook: 200, then a signed failed status (as Meta reports 131026, 131047, 131049, 131050, 130472)', 'sync')
    .option('--fail-delay <ms>', 'with --fail-delivery webhook: ms until the failed status, or a range like 2000-30000')
    .option('--mps <n>', 'messages per second of the demo number', '80')
    .option('--token <token>', 'accepted access token', 'sim-token')
    .option('--read-rate <0..1>', 'share of delivered messages that get read')
    .option('--webhook-batch <n>', 'statuses per webhook POST (1 = one per POST, as Meta mostly sends them)', '100')
    .option('--sparse-statuses <0..1>', 'share of statuses sent without pricing, conversation and biz_opaque_callback_data')
    .option('--sparse-errors', 'error answers with only message, type and code (no error_subcode, error_data, fbtrace_id)')
    .option('--retry-after <s>', 'Retry-After seconds on 130429 answers (HTTP 429); default: until the number has capacity again')
    .option('--regain-minutes <m>', 'estimated_time_to_regain_access minutes in the x-business-use-case-usage header of 130429 answers', '0')
    .option('--seed <n>', 'random seed (reproducible runs)')
    .option('--no-throughput', 'do not enforce the per-number throughput (130429)')
    .option('--no-pair-limit', 'do not enforce the per-recipient pair limit (131056)')
    .action(async (o) => (await import('../../sim')).runSimulatorCli(o))
}
