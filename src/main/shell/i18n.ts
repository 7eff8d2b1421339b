// The shell's own words (tray, menu, dialogs, notifications) in Spanish and English, and the OS language.

export type ShellLang = 'es' | 'en'

export interface ShellText {
  locale: string
  campaigns(count: number): string
  noCampaigns: string
  open: string
  pauseAll: string
  resumeAll: string
  quit: string
  quitTitle: string
  quitMessage(sending: number): string
  quitDetail: string
  pauseAndQuit: string
  cancel: string
  completedTitle: string
  completedBody(name: string, sent: string, failed: string): string
  autoPausedTitle: string
  failedTitle: string
  dailyLimitTitle: string
  rateLimitWait(time: string): string
}

const texts: Record<ShellLang, ShellText> = {
  es: {
    locale: 'es-ES',
    campaigns: (n) => (n === 1 ? '1 campaña' : `${n} campañas`),
    noCampaigns: 'Sin envíos en curso',
    open: 'Abrir Pregón',
    pauseAll: 'Pausar todo',
    resumeAll: 'Reanudar todo',
    quit: 'Salir',
    quitTitle: 'Pregón está enviando',
    quitMessage: (n) => (n === 1 ? 'Hay 1 campaña enviando. ¿Pausarla y salir?' : `Hay ${n} campañas enviando. ¿Pausarlas y salir?`),
    quitDetail: 'Los mensajes en curso terminan y quedan registrados. Podrás reanudar cuando vuelvas a abrir Pregón.',
    pauseAndQuit: 'Pausar y salir',
    cancel: 'Cancelar',
    completedTitle: 'Campaña completada',
    completedBody: (name, sent, failed) => `${name}: ${sent} enviados · ${failed} fallidos`,
    autoPausedTitle: 'Campaña pausada',
    failedTitle: 'Campaña detenida',
    dailyLimitTitle: 'Límite diario alcanzado',
    rateLimitWait: (time) => `esperando el límite de velocidad de Meta, sigue a las ${time}`,
  },
  en: {
    locale: 'en-US',
    campaigns: (n) => (n === 1 ? '1 campaign' : `${n} campaigns`),
    noCampaigns: 'Nothing sending',
    open: 'Open Pregón',
    pauseAll: 'Pause all',
    resumeAll: 'Resume all',
    quit: 'Quit',
    quitTitle: 'Pregón is sending',
    quitMessage: (n) => (n === 1 ? '1 campaign is sending. Pause it and quit?' : `${n} campaigns are sending. Pause them and quit?`),
    quitDetail: 'Messages in flight finish and are recorded. You can resume when you open Pregón again.',
    pauseAndQuit: 'Pause and quit',
    cancel: 'Cancel',
    completedTitle: 'Campaign completed',
    completedBody: (name, sent, failed) => `${name}: ${sent} sent · ${failed} failed`,
    autoPausedTitle: 'Campaign paused',
    failedTitle: 'Campaign stopped',
    dailyLimitTitle: 'Daily limit reached',
    rateLimitWait: (time) => `waiting for Meta's rate limit, resumes ${time}`,
  },
}

export function shellText(lang: ShellLang): ShellText {
  return texts[lang]
}

export function formatCount(value: number, lang: ShellLang): string {
  return new Intl.NumberFormat(texts[lang].locale).format(value)
}

/** A time of day in the machine's time zone: "14:32" (es), "2:32 PM" (en). */
export function formatClock(iso: string, lang: ShellLang): string {
  return new Intl.DateTimeFormat(texts[lang].locale, { timeStyle: 'short' }).format(new Date(iso))
}

/** The first of the OS's preferred languages that we speak (`app.getPreferredSystemLanguages()`); English otherwise. */
export function osLanguage(preferred: readonly string[]): ShellLang {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0]
    if (primary === 'es' || primary === 'en') return primary
  }
  return 'en'
}
