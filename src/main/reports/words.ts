// Every label the campaign reports print, in Spanish and English.

import { CAMPAIGN_STATUS_LABELS, RECIPIENT_STATE_LABELS } from '../../shared/labels'
import type { CampaignStatus, RecipientState, SkipReason, UncertainResolution } from '../../shared/types'

export type ReportLang = 'es' | 'en'

const en = {
  reportTitle: 'Campaign report',
  summary: 'Summary',
  recipients: 'Recipients',
  errors: 'Errors',
  campaign: 'Campaign',
  status: 'Status',
  account: 'Account',
  senderNumber: 'Sender number',
  template: 'Template',
  language: 'Language',
  category: 'Category',
  createdAt: 'Created',
  startedAt: 'Started',
  completedAt: 'Finished',
  generatedAt: 'Report generated',
  contacts: 'Contacts',
  accepted: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  replied: 'Replied',
  failed: 'Failed',
  skipped: 'Not sent (skipped)',
  uncertain: 'Unconfirmed (no answer)',
  pending: 'Still to send',
  number: 'Number',
  name: 'Name',
  wamid: 'WhatsApp message id',
  errorCode: 'Error code',
  meaning: 'Meaning',
  whatToDo: 'What to do',
  metaMessage: "Meta's message",
  count: 'Count',
  sentAt: 'Sent at',
  deliveredAt: 'Delivered at',
  readAt: 'Read at',
  repliedAt: 'Replied at',
  failedAt: 'Failed at',
  funnel: 'From sent to replied',
  ofSent: 'of sent',
  rateOverTime: 'Sending rate over time',
  messagesPer: 'messages per',
  minute: 'minute',
  second: 'second',
  hour: 'hour',
  noErrors: 'No message failed.',
  noSends: 'Nothing was sent yet.',
  item: 'Item',
  value: 'Value',
  simulated: 'simulator (demo)',
  pausedBecause: 'Paused because',
  note: 'Note',
} as const

export type Words = Record<keyof typeof en, string>

const es: Words = {
  reportTitle: 'Informe de campaña',
  summary: 'Resumen',
  recipients: 'Destinatarios',
  errors: 'Errores',
  campaign: 'Campaña',
  status: 'Estado',
  account: 'Cuenta',
  senderNumber: 'Número remitente',
  template: 'Plantilla',
  language: 'Idioma',
  category: 'Categoría',
  createdAt: 'Creada',
  startedAt: 'Iniciada',
  completedAt: 'Terminada',
  generatedAt: 'Informe generado',
  contacts: 'Contactos',
  accepted: 'Enviados',
  delivered: 'Entregados',
  read: 'Leídos',
  replied: 'Respondidos',
  failed: 'Fallidos',
  skipped: 'No enviados (omitidos)',
  uncertain: 'Sin confirmar (sin respuesta)',
  pending: 'Por enviar',
  number: 'Número',
  name: 'Nombre',
  wamid: 'Id del mensaje de WhatsApp',
  errorCode: 'Código de error',
  meaning: 'Significado',
  whatToDo: 'Qué hacer',
  metaMessage: 'Mensaje de Meta',
  count: 'Cantidad',
  sentAt: 'Enviado',
  deliveredAt: 'Entregado',
  readAt: 'Leído',
  repliedAt: 'Respondió',
  failedAt: 'Falló',
  funnel: 'De enviados a respondidos',
  ofSent: 'de los enviados',
  rateOverTime: 'Ritmo de envío en el tiempo',
  messagesPer: 'mensajes por',
  minute: 'minuto',
  second: 'segundo',
  hour: 'hora',
  noErrors: 'Ningún mensaje falló.',
  noSends: 'Todavía no se ha enviado nada.',
  item: 'Dato',
  value: 'Valor',
  simulated: 'simulador (demo)',
  pausedBecause: 'Pausada porque',
  note: 'Nota',
}

export function words(lang: ReportLang): Words {
  return lang === 'es' ? es : en
}

export function stateLabel(state: RecipientState, lang: ReportLang): string {
  return RECIPIENT_STATE_LABELS[lang][state]
}

export function campaignStatusLabel(status: CampaignStatus, lang: ReportLang): string {
  return CAMPAIGN_STATUS_LABELS[lang][status]
}

const SKIP_LABELS: Record<ReportLang, Record<SkipReason, string>> = {
  en: {
    opted_out: 'Asked not to receive messages',
    duplicate: 'Same number twice in the list',
    invalid_number: 'Invalid phone number',
    missing_variable: 'A value the template needs is missing',
    invalid_parameter: 'A value is not accepted by the template',
    cancelled: 'The campaign was cancelled',
  },
  es: {
    opted_out: 'Pidió no recibir mensajes',
    duplicate: 'Número repetido en la lista',
    invalid_number: 'Número de teléfono no válido',
    missing_variable: 'Falta un dato que la plantilla necesita',
    invalid_parameter: 'Un dato no es aceptado por la plantilla',
    cancelled: 'La campaña fue cancelada',
  },
}

export function skipLabel(reason: SkipReason, lang: ReportLang): string {
  return SKIP_LABELS[lang][reason]
}

const UNCERTAIN: Record<ReportLang, string> = {
  en: 'The message may have left but WhatsApp never confirmed it; it is not resent automatically.',
  es: 'El mensaje pudo haber salido pero WhatsApp no lo confirmó; no se reenvía automáticamente.',
}

export function uncertainMeaning(lang: ReportLang): string {
  return UNCERTAIN[lang]
}

const RESOLUTIONS: Record<ReportLang, Record<UncertainResolution, string>> = {
  en: {
    status: 'Unconfirmed at first; WhatsApp’s status later showed it had left.',
    no_status: 'Unconfirmed at first; no status came while the others got theirs, so it had not left: sent again.',
    resent: 'Unconfirmed at first; sent again at your request.',
  },
  es: {
    status: 'Sin confirmar al principio; el estado de WhatsApp mostró después que sí salió.',
    no_status: 'Sin confirmar al principio; no llegó su estado mientras los demás sí, así que no había salido: se envió de nuevo.',
    resent: 'Sin confirmar al principio; se envió de nuevo porque lo pediste.',
  },
}

/** How a row that was uncertain was settled, in words. */
export function resolutionMeaning(resolution: UncertainResolution, lang: ReportLang): string {
  return RESOLUTIONS[lang][resolution]
}

/** Why an Excel report lists fewer recipients than the campaign has, and where to find them all. */
export function excelCutNote(maxRows: number, shown: number, total: number, lang: ReportLang): string {
  const n = (value: number): string => value.toLocaleString(lang === 'es' ? 'es-CO' : 'en-US')
  return lang === 'es'
    ? `Excel admite como máximo ${n(maxRows)} filas por hoja: esta hoja muestra los primeros ${n(shown)} de los ${n(total)} destinatarios. El informe CSV los tiene todos.`
    : `Excel holds at most ${n(maxRows)} rows in a sheet: this sheet lists the first ${n(shown)} of the ${n(total)} recipients. The CSV report has all of them.`
}
