// `pregon send | resume | status | list | pause | cancel | report`: campaigns from the terminal.

import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Command } from 'commander'
import type { Campaign, PacingProfile } from '../../shared/types'
import type { CreateCampaignResult } from '../../shared/contract'
import { openCliApp, unwrap } from '../openApp'
import { describeEnd, followCampaign } from '../follow'
import { resolveAccount } from '../../main/app/credentials'

function pacingOf(value: string): PacingProfile {
  if (value === 'seed' || value === 'standard' || value === 'off') return { kind: value }
  const ms = Number(value)
  if (Number.isInteger(ms) && ms > 0) return { kind: 'custom', intervalMs: ms }
  throw new Error(`--pacing ${value}: use seed, standard, off, or a number of milliseconds between messages`)
}

async function runToEnd(o: { dataDir?: string; graphUrl?: string }, campaignId: string | ((app: Awaited<ReturnType<typeof openCliApp>>) => Promise<string>)): Promise<never> {
  const opened = await openCliApp({ dataDir: o.dataDir, graphUrl: o.graphUrl, engine: true })
  const { app, userId } = opened
  let exitCode = 1
  try {
    const id = typeof campaignId === 'string' ? campaignId : await campaignId(opened)
    const campaign = await app.store.campaigns.get(id, userId)
    if (!campaign) throw new Error(`Campaign ${id} not found`)
    if (campaign.status === 'paused') unwrap(await app.dispatch({ userId }, 'campaigns.resume', { id }))
    console.log(`Campaign ${id} "${campaign.campaignName}": ${campaign.contactsCount} contacts`)
    const end = describeEnd(await followCampaign(app, userId, id))
    console.log(end.text)
    exitCode = end.exitCode
  } finally {
    await app.close()
  }
  process.exit(exitCode)
}

export function registerCampaigns(program: Command): void {
  program
    .command('send')
    .description('send a template to every contact of a CSV or Excel file, with a progress bar (Ctrl-C pauses)')
    .requiredOption('--contacts <file>', 'CSV or Excel file; the phone column is found by its header (numero, telefono, phone …)')
    .requiredOption('--template <name>', 'approved template name')
    .requiredOption('--lang <code>', 'template language code exactly as approved (es, en_US …)')
    .option('--param <text...>', 'body parameters in order; {{Column}} takes the contact\'s value, e.g. --param "{{Nombre}}" "20%"')
    .option('--name <campaignName>', 'campaign name', `CLI ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`)
    .option('--account <id>', 'account id (default: your default or only account)')
    .option('--pacing <profile>', 'seed (the progressive table), standard (number limit only), off, or ms between messages', 'seed')
    .option('--graph-url <url>', 'Graph API base URL, e.g. the simulator')
    .option('--data-dir <dir>', 'data directory')
    .action((o) =>
      runToEnd(o, async ({ app, userId }) => {
        const account = await resolveAccount(app, userId, o.account)
        const { importContactsFile } = await import('../../main/app/contactsFile')
        const file = await importContactsFile(app.imports, userId, o.contacts, account, (phones) => app.store.suppressions.filter(account.id, phones))
        const first = file.firstRejected
        if (first) console.log(`${file.rejected} rows of ${o.contacts} were not usable (first: line ${first.line}: ${first.message})`)
        const result = await app.dispatch({ userId }, 'campaigns.create', {
          accountId: account.id,
          importId: file.importId,
          campaignName: o.name,
          pacing: pacingOf(o.pacing),
          template: {
            name: o.template,
            language: o.lang,
            bodyParams: ((o.param as string[] | undefined) ?? []).map((text) => ({ type: 'text' as const, text })),
          },
        })
        // The import was only a step: the campaign holds the contacts now (or there is none to make).
        app.imports.remove(userId, file.importId)
        const created = unwrap(result) as CreateCampaignResult
        const skipped = Object.entries(created.skipped).map(([k, v]) => `${v} ${k}`).join(', ')
        if (skipped) console.log(`Skipped before sending: ${skipped}`)
        return created.campaignId
      }),
    )

  program
    .command('resume <id>')
    .description('continue a paused or interrupted campaign and follow it to the end')
    .option('--graph-url <url>', 'Graph API base URL, e.g. the simulator')
    .option('--data-dir <dir>', 'data directory')
    .action((id: string, o) => runToEnd(o, id))

  program
    .command('status <id>')
    .description('a campaign\'s counters, as the seed\'s GET /api/campaigns/:id/status')
    .option('--data-dir <dir>', 'data directory')
    .action(async (id: string, o) => {
      const { app, userId } = await openCliApp({ dataDir: o.dataDir })
      try {
        console.log(JSON.stringify(unwrap(await app.dispatch({ userId }, 'campaigns.get', { id })), null, 2))
      } finally {
        await app.close()
      }
    })

  program
    .command('list')
    .description('campaigns, newest first')
    .option('--status <status>', 'only this status')
    .option('--limit <n>', 'how many (max 200)', '50')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o) => {
      const { app, userId } = await openCliApp({ dataDir: o.dataDir })
      try {
        const list = unwrap(await app.dispatch({ userId }, 'campaigns.list', { status: o.status, limit: Number(o.limit) })) as Campaign[]
        for (const c of list) {
          console.log(`${c.id}  ${c.status.padEnd(10)} ${String(c.processed + c.skippedCount).padStart(7)}/${c.contactsCount}  ${c.campaignName}${c.error ? `  (${c.error})` : ''}`)
        }
      } finally {
        await app.close()
      }
    })

  program
    .command('report <id>')
    .description('write a campaign report (csv, xlsx or pdf)')
    .option('--format <format>', 'csv, xlsx or pdf', 'pdf')
    .option('--lang <lang>', 'es or en', 'es')
    .option('--out <file>', 'output file (default: campaign-<id>.<format>)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (id: string, o) => {
      if (!['csv', 'xlsx', 'pdf'].includes(o.format)) throw new Error('--format must be csv, xlsx or pdf')
      const { app, userId } = await openCliApp({ dataDir: o.dataDir })
      try {
        if (!(await app.store.campaigns.get(id, userId))) throw new Error(`Campaign ${id} not found`)
        const file = o.out ?? `campaign-${id}.${o.format}`
        const { writeCampaignReport } = await import('../../main/reports')
        const out = createWriteStream(file)
        await writeCampaignReport(app.store, id, o.format, o.lang === 'en' ? 'en' : 'es', out)
        if (!out.writableFinished) await once(out, 'finish')
        console.log(`Report written to ${file}`)
      } finally {
        await app.close()
      }
    })
}
