// The PDF report (pdfkit): summary, a sent → delivered → read → replied funnel, errors in plain words, sending rate chart.

import PDFDocument from 'pdfkit'
import type { Writable } from 'node:stream'
import { explainCampaignError } from '../../shared/errorCatalog'
import type { Store } from '../store/ports'
import { loadReportSummary, ZoneClock, type ReportOptions, type ReportSummary } from './data'
import { campaignStatusLabel, words, type ReportLang, type Words } from './words'
import { accountText, formatCount, importLines, pacingLabel, templateText } from './facts'

type Doc = PDFKit.PDFDocument

const MARGIN = 50
const INK = '#1f2933'
const MUTED = '#616e7c'
const GRID = '#d9e2ec'
const FUNNEL_COLOURS = ['#2f855a', '#38a169', '#48bb78', '#3182ce']
const SENT_COLOUR = '#2f855a'
const FAILED_COLOUR = '#c53030'
/** More bars than this would be thinner than a hairline on A4. */
const MAX_BARS = 240
const MAX_ERRORS_LISTED = 12

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage()
}

function heading(doc: Doc, text: string): void {
  ensureRoom(doc, 60)
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor(INK).text(text, MARGIN)
  doc.moveDown(0.4)
}

function keyValues(doc: Doc, rows: [string, string][]): void {
  const labelWidth = 150
  for (const [label, value] of rows) {
    ensureRoom(doc, 16)
    const y = doc.y
    doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(label, MARGIN, y, { width: labelWidth })
    doc.font('Helvetica').fontSize(10).fillColor(INK).text(value || '-', MARGIN + labelWidth, y, { width: doc.page.width - 2 * MARGIN - labelWidth })
    doc.moveDown(0.2)
  }
}

const percent = (part: number, whole: number): string => (whole > 0 ? `${Math.round((part / whole) * 100)} %` : '-')

/** Horizontal bars, each as long as its share of the sent messages. */
function funnelChart(doc: Doc, w: Words, report: ReportSummary, lang: ReportLang): void {
  const steps: [string, number][] = [
    [w.accepted, report.funnel.sent],
    [w.delivered, report.funnel.delivered],
    [w.read, report.funnel.read],
    [w.replied, report.funnel.replied],
  ]
  const labelWidth = 100
  const valueWidth = 170
  const barMax = doc.page.width - 2 * MARGIN - labelWidth - valueWidth
  const barHeight = 22
  ensureRoom(doc, steps.length * (barHeight + 8) + 10)
  const top = doc.y
  steps.forEach(([label, value], i) => {
    const y = top + i * (barHeight + 8)
    const length = report.funnel.sent > 0 ? Math.max(1, (value / report.funnel.sent) * barMax) : 1
    doc.font('Helvetica').fontSize(10).fillColor(INK).text(label, MARGIN, y + 6, { width: labelWidth })
    doc.rect(MARGIN + labelWidth, y, barMax, barHeight).fill('#f0f4f8')
    doc.rect(MARGIN + labelWidth, y, length, barHeight).fill(FUNNEL_COLOURS[i])
    const share = i === 0 ? '' : `  (${percent(value, report.funnel.sent)} ${w.ofSent})`
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(INK)
      .text(`${formatCount(value, lang)}${share}`, MARGIN + labelWidth + barMax + 8, y + 6, { width: valueWidth - 8, lineBreak: false })
  })
  doc.x = MARGIN
  doc.y = top + steps.length * (barHeight + 8) + 4
}

function bucketWords(bucketMs: number, w: Words): string {
  const seconds = bucketMs / 1_000
  if (seconds === 1) return w.second
  if (seconds < 60) return `${seconds} s`
  if (seconds === 60) return w.minute
  if (seconds < 3_600) return `${seconds / 60} min`
  if (seconds === 3_600) return w.hour
  return `${seconds / 3_600} h`
}

/** Every bucket from the first send to the last, gaps as zero, merged when there would be too many bars. */
function bars(report: ReportSummary): { at: number; sent: number; failed: number; width: number }[] {
  const { timeline } = report
  if (timeline.length === 0) return []
  const first = timeline[0].at
  const last = timeline[timeline.length - 1].at
  const slots = Math.floor((last - first) / report.bucketMs) + 1
  const factor = Math.ceil(slots / MAX_BARS)
  const width = report.bucketMs * factor
  const merged = Array.from({ length: Math.ceil(slots / factor) }, (_, i) => ({ at: first + i * width, sent: 0, failed: 0, width }))
  for (const point of timeline) {
    const bar = merged[Math.floor((point.at - first) / width)]
    bar.sent += point.sent
    bar.failed += point.failed
  }
  return merged
}

/** The axis top: the peak rounded up to 2, 5 or 10 times a power of ten, so the labels are round. */
function niceCeiling(peak: number): number {
  if (peak <= 2) return 2
  const power = 10 ** Math.floor(Math.log10(peak))
  const step = [1, 2, 5, 10].find((m) => m * power >= peak) ?? 10
  return step * power
}

function rateChart(doc: Doc, w: Words, report: ReportSummary, clock: ZoneClock, lang: ReportLang): void {
  const data = bars(report)
  if (data.length === 0) {
    doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(w.noSends, MARGIN)
    return
  }
  const height = 160
  const axisWidth = 40
  ensureRoom(doc, height + 60)
  const left = MARGIN + axisWidth
  const chartWidth = doc.page.width - 2 * MARGIN - axisWidth
  const top = doc.y + 16
  const bottom = top + height
  const peak = niceCeiling(Math.max(...data.map((bar) => bar.sent + bar.failed)))
  const unit = bucketWords(data[0].width, w)

  doc.font('Helvetica').fontSize(8).fillColor(MUTED).text(`${w.messagesPer} ${unit}`, MARGIN, doc.y)
  for (const fraction of [0, 0.5, 1]) {
    const y = bottom - fraction * height
    doc.moveTo(left, y).lineTo(left + chartWidth, y).lineWidth(0.5).strokeColor(GRID).stroke()
    const label = formatCount(Math.round(peak * fraction * 10) / 10, lang)
    doc.font('Helvetica').fontSize(8).fillColor(MUTED).text(label, MARGIN, y - 4, { width: axisWidth - 6, align: 'right' })
  }
  const slot = chartWidth / data.length
  const barWidth = Math.max(0.5, slot * 0.8)
  data.forEach((bar, i) => {
    const x = left + i * slot + (slot - barWidth) / 2
    const sentHeight = (bar.sent / peak) * height
    const failedHeight = (bar.failed / peak) * height
    if (sentHeight > 0) doc.rect(x, bottom - sentHeight, barWidth, sentHeight).fill(SENT_COLOUR)
    if (failedHeight > 0) doc.rect(x, bottom - sentHeight - failedHeight, barWidth, failedHeight).fill(FAILED_COLOUR)
  })
  doc.moveTo(left, bottom).lineTo(left + chartWidth, bottom).lineWidth(1).strokeColor(MUTED).stroke()
  const lastBar = data[data.length - 1]
  doc.font('Helvetica').fontSize(8).fillColor(MUTED)
  doc.text(clock.format(data[0].at).slice(0, 16), left, bottom + 4, { width: 120 })
  doc.text(clock.format(lastBar.at + lastBar.width).slice(0, 16), left + chartWidth - 120, bottom + 4, { width: 120, align: 'right' })
  // Legend.
  const legendY = bottom + 18
  doc.rect(left, legendY, 8, 8).fill(SENT_COLOUR)
  doc.fillColor(INK).text(w.accepted, left + 12, legendY, { width: 100 })
  doc.rect(left + 110, legendY, 8, 8).fill(FAILED_COLOUR)
  doc.fillColor(INK).text(w.failed, left + 122, legendY, { width: 100 })
  doc.x = MARGIN
  doc.y = legendY + 16
}

function errorList(doc: Doc, w: Words, report: ReportSummary, lang: ReportLang): void {
  if (report.errors.length === 0) {
    doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(w.noErrors, MARGIN)
    return
  }
  const width = doc.page.width - 2 * MARGIN
  for (const line of report.errors.slice(0, MAX_ERRORS_LISTED)) {
    ensureRoom(doc, 50)
    const code = line.errorCode === null ? '-' : String(line.errorCode)
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(`${line.count.toLocaleString('en-US')} × ${w.errorCode} ${code}: ${line.title}`, MARGIN, doc.y, { width })
    doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(`${w.whatToDo}: ${line.whatToDo}`, MARGIN + 12, doc.y, { width: width - 12 })
    if (line.metaMessage) doc.text(`${w.metaMessage}: ${line.metaMessage}`, MARGIN + 12, doc.y, { width: width - 12 })
    doc.moveDown(0.5)
  }
  const rest = report.errors.slice(MAX_ERRORS_LISTED).reduce((sum, line) => sum + line.count, 0)
  if (rest > 0) doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(`+ ${formatCount(rest, lang)} …`, MARGIN)
}

export async function writePdfReport(store: Store, campaignId: string, lang: ReportLang, out: Writable, opts: ReportOptions = {}): Promise<void> {
  const w = words(lang)
  const clock = new ZoneClock(opts.timeZone)
  const report = await loadReportSummary(store, campaignId, lang, opts)
  const { campaign, account, counts } = report
  const iso = (value: string | null): string => (value ? clock.format(Date.parse(value)) : '')

  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `${w.reportTitle}: ${campaign.campaignName}`, Creator: 'Pregón', CreationDate: new Date(report.generatedAt) },
  })
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve)
    out.on('error', reject)
    doc.on('error', reject)
  })
  doc.pipe(out)

  doc.font('Helvetica-Bold').fontSize(20).fillColor(INK).text(w.reportTitle, MARGIN, MARGIN)
  doc.font('Helvetica').fontSize(14).fillColor(INK).text(campaign.campaignName)
  doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(`${w.generatedAt}: ${clock.format(report.generatedAt)} · ${w.timeZone} ${clock.timeZone}`)
  doc.moveDown(0.8)

  keyValues(doc, [
    [w.status, campaignStatusLabel(campaign.status, lang)],
    ...(campaign.error ? [[w.pausedBecause, explainCampaignError(campaign.error, lang).title] as [string, string]] : []),
    [w.account, accountText(account, campaign.accountId, w)],
    [w.senderNumber, [account?.displayPhoneNumber, account?.verifiedName].filter(Boolean).join(' · ') || (account?.phoneNumberId ?? '')],
    [w.template, templateText(campaign, lang)],
    [w.pacing, pacingLabel(campaign.pacing, lang)],
    [w.createdAt, iso(campaign.createdAt)],
    [w.startedAt, iso(campaign.startedAt)],
    [w.completedAt, iso(campaign.completedAt)],
  ])

  heading(doc, w.summary)
  const n = (value: number): string => formatCount(value, lang)
  keyValues(doc, [
    [w.contacts, n(report.total)],
    [w.accepted, n(report.funnel.sent)],
    [w.delivered, n(report.funnel.delivered)],
    [w.read, n(report.funnel.read)],
    [w.replied, n(report.funnel.replied)],
    [w.failed, n(counts.failed)],
    [w.skipped, n(counts.skipped)],
    [w.uncertain, n(counts.uncertain)],
    [w.pending, n(counts.queued + counts.sending + counts.retry_wait)],
  ])

  heading(doc, w.importTitle)
  keyValues(doc, importLines(campaign.importSummary, w, lang))

  heading(doc, w.funnel)
  funnelChart(doc, w, report, lang)

  heading(doc, w.rateOverTime)
  rateChart(doc, w, report, clock, lang)

  heading(doc, w.errors)
  errorList(doc, w, report, lang)

  doc.end()
  await done
}
