// Follows one campaign in the terminal with a progress bar until it ends or pauses; Ctrl-C pauses it
// cleanly (in-flight sends finish and are recorded) and says how to continue.

import cliProgress from 'cli-progress'
import type { App } from '../main/app'
import type { Campaign } from '../shared/types'
import { TERMINAL_CAMPAIGN_STATUSES } from '../shared/types'

export interface FollowResult {
  campaign: Campaign
  interrupted: boolean
}

export async function followCampaign(app: App, userId: string, campaignId: string, opts: { quiet?: boolean } = {}): Promise<FollowResult> {
  const initial = await app.store.campaigns.get(campaignId, userId)
  if (!initial) throw new Error(`Campaign ${campaignId} not found`)
  const bar = opts.quiet || !process.stdout.isTTY
    ? null
    : new cliProgress.SingleBar(
        { format: ' {bar} {percentage}% | {value}/{total} | ok {ok} · failed {failed} · {rate} msg/s · ETA {eta_h} {waiting}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
  bar?.start(initial.contactsCount, initial.processed + initial.skippedCount, { ok: initial.successCount, failed: initial.failedCount, rate: 0, eta_h: '…', waiting: '' })

  let interrupted = false
  const done = new Promise<void>((resolve) => {
    const unsubscribe = app.events.subscribe((event) => {
      if (event.name === 'campaign:progress' && event.payload.campaignId === campaignId) {
        const p = event.payload as import('../shared/types').CampaignProgressEvent
        bar?.update(p.processed + p.skippedCount, {
          ok: p.successCount,
          failed: p.failedCount,
          rate: p.ratePerSec.toFixed(1),
          eta_h: p.etaSec === null ? '…' : `${Math.ceil(p.etaSec)}s`,
          waiting: p.waitingFor ? `(waiting: ${p.waitingFor}${p.resumesAt ? `, resumes ${new Date(p.resumesAt).toLocaleTimeString()}` : ''})` : '',
        })
      }
      if (event.name === 'campaign:status' && event.payload.campaignId === campaignId) {
        const to = event.payload.to
        if (TERMINAL_CAMPAIGN_STATUSES.includes(to) || to === 'paused') {
          unsubscribe()
          resolve()
        }
      }
    })
    const onSigint = () => {
      interrupted = true
      process.off('SIGINT', onSigint)
      void app.engine.pause(campaignId).catch(() => undefined)
    }
    process.on('SIGINT', onSigint)
    // Already finished before we subscribed.
    void app.store.campaigns.get(campaignId).then((c) => {
      if (c && (TERMINAL_CAMPAIGN_STATUSES.includes(c.status) || c.status === 'paused')) resolve()
    })
  })
  await done
  const campaign = (await app.store.campaigns.get(campaignId)) as Campaign
  bar?.update(campaign.processed + campaign.skippedCount, { ok: campaign.successCount, failed: campaign.failedCount, waiting: '' })
  bar?.stop()
  return { campaign, interrupted }
}

/** One line per outcome, in the seed's words where it has them. */
export function describeEnd({ campaign, interrupted }: FollowResult): { text: string; exitCode: number } {
  const counts = `${campaign.successCount} success, ${campaign.failedCount} failed, ${campaign.skippedCount} skipped, ${campaign.uncertainCount} uncertain`
  if (campaign.status === 'completed') return { text: `Campaign ${campaign.id} completed: ${counts}`, exitCode: 0 }
  if (campaign.status === 'paused' && interrupted)
    return { text: `Campaign ${campaign.id} paused (${counts}). Continue with: npx pregon resume ${campaign.id}`, exitCode: 130 }
  if (campaign.status === 'paused')
    return { text: `Campaign ${campaign.id} was paused by Pregón: ${campaign.error ?? ''} ${campaign.errorDetail ?? ''}\n  ${counts}\n  Fix the cause, then: npx pregon resume ${campaign.id}`, exitCode: 2 }
  return { text: `Campaign ${campaign.id} ${campaign.status}: ${counts}`, exitCode: campaign.status === 'cancelled' ? 0 : 1 }
}
