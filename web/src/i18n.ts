// The app's words in three languages (locales/*.json, one key each; zh-Hant follows Hong Kong
// usage), through vue-i18n. The language is the user's choice, remembered in localStorage, or
// else the browser's: zh-CN, zh-SG and zh-Hans are 简体; zh-HK, zh-TW, zh-MO and zh-Hant are 繁體;
// anything else is English.
import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import en from './locales/en.json'
import zhHans from './locales/zh-Hans.json'
import zhHant from './locales/zh-Hant.json'

export type Lang = 'zh-Hans' | 'zh-Hant' | 'en'
export const languages: { value: Lang; label: string }[] = [
  { value: 'zh-Hans', label: '简体中文' },
  { value: 'zh-Hant', label: '繁體中文' },
  { value: 'en', label: 'English' },
]

export function browserLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const lower = tag.toLowerCase()
    if (/^zh-(hant|hk|tw|mo)\b/.test(lower)) return 'zh-Hant'
    if (lower === 'zh' || /^zh-(hans|cn|sg)\b/.test(lower)) return 'zh-Hans'
    if (lower.startsWith('zh-')) return 'zh-Hans'
    if (lower === 'en' || lower.startsWith('en-')) return 'en'
  }
  return 'en'
}

function startingLanguage(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('lang') : null
  if (saved === 'zh-Hans' || saved === 'zh-Hant' || saved === 'en') return saved
  return browserLanguage(typeof navigator !== 'undefined' ? navigator.languages ?? [] : [])
}

export const i18n = createI18n({
  legacy: false,
  locale: startingLanguage(),
  fallbackLocale: 'en',
  messages: { 'zh-Hans': zhHans, 'zh-Hant': zhHant, en },
  missingWarn: false,
  fallbackWarn: false,
  // A word the app asks for and no language has: reported (the browser tests fail on it), and
  // shown as its key until someone writes it.
  missing: (locale, key) => { console.warn(`[i18n] missing: ${key} (${locale})`) },
})

export const lang = computed<Lang>(() => i18n.global.locale.value as Lang)
export const isChinese = computed(() => lang.value !== 'en')

export function setLang(value: Lang) {
  i18n.global.locale.value = value
  localStorage.setItem('lang', value)
  document.documentElement.lang = value
}

// The message `key` with its named parameters; `count` picks the plural form where a message has
// them ("one | many").
export function t(key: string, params: Record<string, unknown> = {}, count?: number): string {
  return count === undefined ? i18n.global.t(key, params) : i18n.global.t(key, params, count)
}

// A name in the viewer's language, falling back to the others ("" for no names: a confidential
// owner).
export function displayName(names?: { zh_hans: string; zh_hant: string; en: string }): string {
  if (!names) return ''
  if (lang.value === 'zh-Hans') return names.zh_hans || names.zh_hant || names.en
  if (lang.value === 'zh-Hant') return names.zh_hant || names.zh_hans || names.en
  return names.en || names.zh_hans || names.zh_hant
}

// Names compared in the reader's order: pinyin under 简体, stroke count under 繁體 (as Hong Kong
// directories are ordered), alphabetical under English; numbers by value ("Lab 2" < "Lab 10").
// The server sorts paged lists the same way (src/text/name_collation.h).
const collators = {
  'zh-Hans': new Intl.Collator('zh-Hans-u-co-pinyin', { numeric: true }),
  'zh-Hant': new Intl.Collator('zh-Hant-u-co-stroke', { numeric: true }),
  en: new Intl.Collator('en', { numeric: true, sensitivity: 'base' }),
}
export function compareNames(a: string, b: string): number {
  return collators[lang.value].compare(a, b)
}

// Whether the app has words for `key` (every locale has the same keys: locales.test.mjs).
export function hasMessage(key: string): boolean {
  return i18n.global.te(key, 'en')
}

// A registry tag ("double_first_class") in words; a tag an organisation made up stays as written.
export function tagName(tag: string): string {
  return hasMessage('tag_' + tag) ? t('tag_' + tag) : tag
}
