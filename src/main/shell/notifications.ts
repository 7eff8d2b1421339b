// Which campaign status changes deserve a native notification, and its words; a click opens the campaign.

import { explainCampaignError } from '../../shared/errorCatalog'
import type { CampaignStatusEvent } from '../../shared/types/events'
import { formatCount, shellText, type ShellLang } from './i18n'
import type { CampaignSnapshot } from './progress'

export interface ShellNotification {
  kind: 'completed' | 'auto_paused' | 'daily_limit' | 'failed'
  title: string
  body: string
  /** What a click opens. */
  campaignId: string
}

/** Owner-driven changes (pause, resume, cancel) get none: the owner already knows. */
export function notificationFor(
  event: CampaignStatusEvent,
  campaign: Pick<CampaignSnapshot, 'name' | 'successCount' | 'failedCount'> | undefined,
  lang: ShellLang,
): ShellNotification | null {
  const t = shellText(lang)
  const name = campaign?.name || event.campaignId
  const base = { campaignId: event.campaignId }
  if (event.to === 'completed') {
    const body = t.completedBody(name, formatCount(campaign?.successCount ?? 0, lang), formatCount(campaign?.failedCount ?? 0, lang))
    return { ...base, kind: 'completed', title: t.completedTitle, body }
  }
  if (event.error === null) return null
  const reason = explainCampaignError(event.error, lang)
  if (event.to === 'paused' && event.error === 'daily_limit_reached') {
    return { ...base, kind: 'daily_limit', title: t.dailyLimitTitle, body: `${name}: ${reason.whatToDo}` }
  }
  if (event.to === 'paused') return { ...base, kind: 'auto_paused', title: t.autoPausedTitle, body: `${name}: ${reason.title}. ${reason.whatToDo}` }
  if (event.to === 'failed') return { ...base, kind: 'failed', title: t.failedTitle, body: `${name}: ${reason.title}. ${reason.whatToDo}` }
  return null
}

/** Sent on 'api:event' when a notification is clicked: the renderer opens that campaign. */
export const NAVIGATE_EVENT = 'app:navigate'
export function navigatePayload(n: Pick<ShellNotification, 'campaignId'>): { route: 'campaign'; campaignId: string } {
  return { route: 'campaign', campaignId: n.campaignId }
}
