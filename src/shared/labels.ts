// The names of campaign statuses and recipient states, for the UI and the reports alike: a shop owner
// reads the same word on the screen and in the PDF.

import type { CampaignStatus, RecipientState } from './types'

export type LabelLang = 'es' | 'en'

export const CAMPAIGN_STATUS_LABELS: Record<LabelLang, Record<CampaignStatus, string>> = {
  en: {
    scheduled: 'Scheduled',
    pending: 'Pending',
    processing: 'Sending',
    paused: 'Paused',
    completed: 'Completed',
    cancelled: 'Cancelled',
    failed: 'Failed',
  },
  es: {
    scheduled: 'Programada',
    pending: 'Pendiente',
    processing: 'Procesando',
    paused: 'Pausada',
    completed: 'Completada',
    cancelled: 'Cancelada',
    failed: 'Fallida',
  },
}

export const RECIPIENT_STATE_LABELS: Record<LabelLang, Record<RecipientState, string>> = {
  en: {
    queued: 'Queued',
    sending: 'Sending',
    retry_wait: 'Will retry',
    sent: 'Sent',
    delivered: 'Delivered',
    read: 'Read',
    failed: 'Failed',
    uncertain: 'Unconfirmed',
    skipped: 'Skipped',
  },
  es: {
    queued: 'En cola',
    sending: 'Enviando',
    retry_wait: 'Se reintentará',
    sent: 'Enviado',
    delivered: 'Entregado',
    read: 'Leído',
    failed: 'Fallido',
    uncertain: 'Sin confirmar',
    skipped: 'Omitido',
  },
}
