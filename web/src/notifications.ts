// A notification arrives as data (a kind and its parameters, see src/notifications/README.md);
// this words it in the reader's language and says where it leads. Instants are shown in the
// zone the server names (a booking in its resource's zone), never raw.
import { lang, t } from './i18n'
import { formatIn, viewerZone } from './time'

export interface Notice {
  id: string
  kind: string
  params: Record<string, string>
  message?: string // only on notifications written before they were data
  created_at: string
  read: boolean
}

type Params = Record<string, string>
type Words = (p: Params, when: string) => string

const note = (p: Params, colon: string) => (p.note ? colon + p.note : '')

// [Chinese, English] for each kind.
const wording: Record<string, [Words, Words]> = {
  booking_approved: [
    (p, w) => `你 ${w} 的${p.resource_name}预约已获批准${note(p, '：')}`,
    (p, w) => `Your booking of ${p.resource_name} at ${w} was approved${note(p, ': ')}`,
  ],
  booking_rejected: [
    (p, w) => `你 ${w} 的${p.resource_name}预约未获批准${note(p, '：')}`,
    (p, w) => `Your booking of ${p.resource_name} at ${w} was declined${note(p, ': ')}`,
  ],
  slot_freed: [
    (p, w) => `你候补的${p.resource_name} ${w} 时段已空出`,
    (p, w) => `A slot you waited for on ${p.resource_name} at ${w} is free`,
  ],
  booking_reminder: [
    (p, w) => `提醒：${w} 使用${p.resource_name}`,
    (p, w) => `Reminder: ${p.resource_name} at ${w}`,
  ],
  listing_match: [
    (p) => `你保存的搜索“${p.search_name}”有新的${t(p.listing_kind)}：${p.listing_title}`,
    (p) => `New ${t(p.listing_kind).toLowerCase()} for your saved search “${p.search_name}”: ${p.listing_title}`,
  ],
  introduction_requested: [
    (p) => `${p.organization_name} 请求就“${p.listing_title}”对接`,
    (p) => `${p.organization_name} asks for an introduction about “${p.listing_title}”`,
  ],
  introduction_accepted: [
    (p) => `${p.organization_name} 接受了你关于“${p.listing_title}”的对接请求`,
    (p) => `${p.organization_name} accepted your introduction about “${p.listing_title}”`,
  ],
  introduction_declined: [
    (p) => `${p.organization_name} 婉拒了你关于“${p.listing_title}”的对接请求`,
    (p) => `${p.organization_name} declined your introduction about “${p.listing_title}”`,
  ],
  deal_signed: [
    (p) => `关于“${p.listing_title}”的交易已签约`,
    (p) => `The deal about “${p.listing_title}” is signed`,
  ],
  deal_delivered: [
    (p) => `关于“${p.listing_title}”的交易已交付`,
    (p) => `The deal about “${p.listing_title}” is delivered`,
  ],
  deal_abandoned: [
    (p) => `关于“${p.listing_title}”的交易已终止`,
    (p) => `The deal about “${p.listing_title}” was abandoned`,
  ],
}

export function noticeText(n: Notice): string {
  const words = wording[n.kind]
  if (!words) return n.message ?? t('notification')
  const p = n.params
  const when = p.starts_at ? formatIn(p.starts_at, p.time_zone || viewerZone()) : ''
  return words[lang.value === 'zh' ? 0 : 1](p, when)
}

export function noticeLink(n: Notice): string {
  const p = n.params
  if (p.introduction_id) return `#/exchange/introductions/${p.introduction_id}`
  if (p.listing_id) return `#/exchange/listings/${p.listing_id}`
  if (n.kind === 'slot_freed' && p.resource_id) return `#/resources/${p.resource_id}`
  if (p.booking_id) return '#/bookings'
  return '#/notifications'
}

export function noticeTime(n: Notice): string {
  return formatIn(n.created_at, viewerZone())
}
