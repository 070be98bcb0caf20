// A notification arrives as data (a kind and its parameters, see src/notifications/README.md);
// this words it in the reader's language and says where it leads. Instants are shown in the
// zone the server names (a booking in its resource's zone), never raw.
import { displayName, hasMessage, t } from './i18n'
import { formatAgo, formatInstant, viewerZone } from './time'

export interface Notice {
  id: string
  kind: string
  params: Record<string, string>
  message?: string // only on notifications written before they were data
  created_at: string
  read: boolean
}

// A name parameter in the reader's language: the server sends `key` (one name, for readers with no
// language) beside `key`_zh_hans, `key`_zh_hant and `key`_en (older notifications lack them).
function localName(p: Record<string, string>, key: string): string {
  if (p[key + '_en'] === undefined) return p[key] ?? ''
  return displayName({ zh_hans: p[key + '_zh_hans'], zh_hant: p[key + '_zh_hant'], en: p[key + '_en'] }) || p[key]
}

export function noticeText(n: Notice): string {
  const key = 'notice_' + n.kind
  if (!hasMessage(key)) return n.message ?? t('notification')
  const p = n.params
  return t(key, {
    ...p,
    organization_name: localName(p, 'organization_name'),
    resource_name: localName(p, 'resource_name'),
    when: p.starts_at ? formatInstant(p.starts_at, p.time_zone || viewerZone()) : '',
    note: p.note ? t('noticeNote', { note: p.note }) : '',
    kind: p.listing_kind ? t(p.listing_kind) : '',
    due: p.due_at ? formatInstant(p.due_at, p.time_zone || viewerZone()) : '',
    ends: p.ends_at ? formatInstant(p.ends_at, p.time_zone || viewerZone()) : '',
    list: p.list ? t('whitelist_' + p.list) : '',
    subject: localName(p, 'organization_name') || p.subject || '',
    flow_state: p.state && n.kind.startsWith('flow_') ? t('flowState_' + p.state) : '',
  })
}

export function noticeLink(n: Notice): string {
  const p = n.params
  if (p.introduction_id) return `#/exchange/introductions/${p.introduction_id}`
  if (p.listing_id) return `#/exchange/listings/${p.listing_id}`
  if (n.kind === 'slot_freed' && p.resource_id) return `#/resources/${p.resource_id}`
  if (p.booking_id) return '#/bookings'
  if (p.request_id) return `#/governance/requests/${p.request_id}`
  if (n.kind === 'whitelist_expiring') return '#/governance/whitelist'
  return '#/notifications'
}

export function noticeTime(n: Notice): string {
  return formatAgo(n.created_at)
}
