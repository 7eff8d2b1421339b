// Numbers, durations and dates in the UI's language.

export function formatNumber(value: number, lang: string): string {
  return new Intl.NumberFormat(lang).format(value)
}

export function formatPercent(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 0
}

/** "1 h 05 min", "3 min", "40 s": short enough for a card. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds))
  const days = Math.floor(seconds / 86_400)
  const hours = Math.floor((seconds % 86_400) / 3_600)
  const minutes = Math.floor((seconds % 3_600) / 60)
  if (days > 0) return `${days} d ${hours} h`
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`
  if (minutes > 0) return `${minutes} min`
  return `${seconds} s`
}

export function formatDate(iso: string | null, lang: string): string {
  if (!iso) return '—'
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}

/** The local time of day, as a clock shows it: "14:32" (es), "2:32 PM" (en). */
export function formatTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { timeStyle: 'short' }).format(new Date(iso))
}

/** A template language code (es, en_US) as a name in the UI's language: "español", "inglés (Estados Unidos)". */
export function languageName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code.replace('_', '-')) ?? code
  } catch {
    return code
  }
}

/** Reads a picked or dropped file as base64 (without the data-URL prefix), for contacts.import. */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'))
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.readAsDataURL(file)
  })
}

/** Saves text as a file through a temporary object URL (works in Electron and browsers, no network). */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  saveBlob(new Blob([text], { type }), fileName)
}

/** Hands bytes to the browser's downloads through an <a download> on a temporary object URL. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 1_000)
}

const pad2 = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0')

/** `<input type="datetime-local">`'s value for a Date, in this computer's time zone ("2025-10-13T18:30"). */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}T${pad2(date.getHours())}:${pad2(date.getMinutes())}`
}

/** Reads a datetime-local value in this computer's time zone; null when empty or not a date. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null
  // Without an offset, the date-time form is local time by the ECMAScript spec.
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

/** ISO-8601 with the local offset ("2025-10-13T18:30:00-05:00"): the owner's wall clock, unambiguous for the server. */
export function isoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  return `${toLocalInput(date)}:${pad2(date.getSeconds())}${sign}${pad2(offset / 60)}:${pad2(offset % 60)}`
}
