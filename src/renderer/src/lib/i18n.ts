// i18next setup: Spanish and English, following the OS/browser language until the user picks one.

import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { en } from '../locales/en'
import { es } from '../locales/es'

export type UiLang = 'es' | 'en'

export function uiLang(language: string | undefined | null): UiLang {
  return language?.toLowerCase().startsWith('es') ? 'es' : 'en'
}

export function browserLang(): UiLang {
  return uiLang(typeof navigator === 'undefined' ? 'en' : navigator.language)
}

export const i18n = i18next.createInstance()

export function initI18n(lng: UiLang = browserLang()): typeof i18n {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources: { en: { translation: en }, es: { translation: es } },
      lng,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      initAsync: false,
      showSupportNotice: false,
    })
  } else if (i18n.language !== lng) {
    void i18n.changeLanguage(lng)
  }
  document.documentElement.lang = lng
  return i18n
}

export function setUiLanguage(lng: UiLang): void {
  if (i18n.language !== lng) void i18n.changeLanguage(lng)
  document.documentElement.lang = lng
}
