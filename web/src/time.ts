// Wall-clock time in an IANA zone <-> instants, with the browser's Intl data (no library).
import { lang } from './i18n'

function offsetMinutes(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - instant.getTime()) / 60000)
}

// "2026-12-02" + "09:30" in zone -> RFC 3339 with the zone's offset on that date.
export function zonedToRfc3339(date: string, time: string, zone: string): string {
  const [y, m, d] = date.split('-').map(Number)
  const [hh, mm] = time.split(':').map(Number)
  const naive = Date.UTC(y, m - 1, d, hh, mm)
  let offset = offsetMinutes(new Date(naive), zone)
  offset = offsetMinutes(new Date(naive - offset * 60000), zone)
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date}T${pad(hh)}:${pad(mm)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

export function formatIn(instant: string, zone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(new Date(instant))
}

export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

export function addDays(date: string, days: number): string {
  const d = new Date(date + 'T00:00:00Z')
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

// The Intl locale of the app's language (Hong Kong conventions for Traditional Chinese).
function intlLocale(): string {
  return { 'zh-Hans': 'zh-Hans-CN', 'zh-Hant': 'zh-Hant-HK', en: 'en-GB' }[lang.value]
}

// An instant as people read it, in `zone` (the viewer's by default) with the zone named:
// "2026年11月29日 22:01 GMT+8", "29 Nov 2026, 22:01 GMT+8".
export function formatInstant(instant: string, zone: string = viewerZone()): string {
  return new Intl.DateTimeFormat(intlLocale(), {
    timeZone: zone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit',
    minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).format(new Date(instant))
}

// A span of time in `zone`: the end without its date when it is the same day.
export function formatSpan(start: string, end: string, zone: string): string {
  const format = new Intl.DateTimeFormat(intlLocale(), {
    timeZone: zone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit',
    minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  })
  return format.formatRange(new Date(start), new Date(end))
}

// How long ago, where people expect it ("3 小时前", "yesterday"); the full instant after a week.
export function formatAgo(instant: string, now: Date = new Date()): string {
  const seconds = (new Date(instant).getTime() - now.getTime()) / 1000
  const relative = new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' })
  const magnitude = Math.abs(seconds)
  if (magnitude < 60) return relative.format(0, 'second')
  if (magnitude < 3600) return relative.format(Math.round(seconds / 60), 'minute')
  if (magnitude < 86400) return relative.format(Math.round(seconds / 3600), 'hour')
  if (magnitude < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day')
  return formatInstant(instant)
}
