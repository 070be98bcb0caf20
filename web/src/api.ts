// The client side of /api/v1: JSON in and out, the CSRF header on writes, and problem+json
// errors turned into ApiError with per-field messages, in the reader's language (problems.ts).
import { t } from './i18n'
import { type FieldProblem, fieldLabel, fieldText, problemText } from './problems'

export interface FieldError { field: string; reason: string }

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string,
              public fields: FieldError[] = [], public body: Record<string, unknown> = {}) {
    super(message)
  }
}

// What went wrong, for one line on screen: the problem, then each field's, labelled where the app
// has a label for the field.
export function describeProblem(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e)
  const fields = e.fields.map((f) => {
    const label = fieldLabel(f.field)
    return label ? t('labelled', { label, text: f.reason }) : f.reason
  })
  return [e.message, ...fields].join(t('clauseSeparator'))
}

let csrfToken = ''
export function setCsrf(token: string) { csrfToken = token }

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json')
}

// A file's text as an import takes it: CSV (the default) or a policy's TOML.
export async function uploadText<T>(path: string, text: string, type = 'text/csv'): Promise<T> {
  return send<T>('POST', path, text, type)
}

async function send<T>(method: string, path: string, body: string | undefined, type: string): Promise<T> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['Content-Type'] = type
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  const response = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin', body })
  if (response.status === 204) return undefined as T
  const data = await response.json().catch(() => ({}))
  if (!response.ok) {
    const fields = ((data.errors ?? []) as FieldProblem[]).map((f) => ({ field: f.field, reason: fieldText(f) }))
    throw new ApiError(response.status, data.code ?? 'error',
                       problemText(data.code ?? '', data.detail ?? response.statusText), fields, data)
  }
  return data as T
}

export interface Names { zh_hans: string; zh_hant: string; en: string }
// A named thing another record mentions: shown by displayName(names) in the reader's language.
export interface NamedRef { id: string; names: Names }
export interface Organization {
  id: string; type: string; names: Names; region: string; province: string; city: string
  country: string; website: string; parent_id: string | null; tags: string[]; version: number
}
export interface GlossaryTerm { id: string; chinese: string; english: string; created_at: string }
export interface GlossaryUpload { rows: number; added: number; known: number; dry_run: boolean }
export interface Page<T> { items: T[]; total: number; limit: number; offset: number }
export interface Role { role: string; scope: string | null }
export interface User { id: string; username: string; display_name: string; roles: Role[] }
export interface MembershipEvent { from: string | null; to: string; actor: string; at: string; note: string }
export interface Membership {
  id: string; park: NamedRef; organization: NamedRef
  state: string; allowed_next_states: string[]; updated_at: string; history: MembershipEvent[]
}
export interface Person {
  id: string; name_zh: string; name_en: string; kind: string; email?: string; topics: string
  affiliations: { id: string; organization: NamedRef; role: string;
                  start_date: string; end_date: string }[]
}
export interface Agreement { id: string; title: string; signed_on: string; signatory_ids: string[]; scope_items: string[] }
export interface Alliance extends Organization {
  members: (NamedRef & { joined_on: string })[]; member_count: number; agreements: Agreement[]
}
export interface Park extends Organization {
  professional_parks: Organization[]; members_by_state: Record<string, number>
  settled_by_tag: Record<string, number>; settled_by_region: Record<string, number>; settled_members: number
}

export interface Resource {
  id: string; owner: NamedRef; kind: string; names: Names; name_zh: string; name_zh_hant: string; name_en: string
  description: string; location: string; time_zone: string; currency: string
  hourly_prices: Record<string, number>
  specifications: Record<string, string>
  rules: { capacity: number; approval_mode: string; training_required: boolean; min_minutes: number
           max_minutes: number; granularity_minutes: number; setup_minutes: number; cleanup_minutes: number
           horizon_days: number; lead_minutes: number; allowed_regions: string[]; allowed_categories: string[] }
}
export interface Utilisation {
  id: string; names?: Names; bookings: number; booked_hours: number; used_hours: number
  external_hours: number; hk_macao_hours: number; external_share: number; hk_macao_share: number
  resources?: Utilisation[]
}
export interface Quote { category: string; hourly_minor: number; total_minor: number; currency: string; minutes: number }
export interface Booking {
  id: string; resource: NamedRef; user: string; organization_id: string; state: string
  starts_at: string; ends_at: string; time_zone: string; starts_at_local: string; ends_at_local: string
  price: Quote; purpose: string
}
export function money(minor: number, currency: string) { return (minor / 100).toFixed(2) + ' ' + currency }

export interface StateChange { from: string | null; to: string; actor: string; at: string; note: string }
export interface Listing {
  id: string; kind: string; owner: NamedRef & { region: string }; state: string
  visibility: string; title: string; summary: string; keywords: string[]; people?: string[]; discipline: string
  tags: string[]; trl: number; published_at: string | null; expires_at: string | null
  author?: string; audience?: string[]; details?: Record<string, unknown>; version?: number
  history?: StateChange[]; editable?: boolean; person?: NamedRef
}
export interface Signal { name: string; factor: number; params: Record<string, string | number> }
export interface SearchHit {
  listing: Listing; score: number; title_html: string; snippet_html: string
  why: {
    text_score: number
    matched: Record<string, string[]>
    translations: { query_word: string; listing_words: string[] }[]
    signals: Signal[]
  }
}
export interface FacetValue { value: string; names?: Names; count: number }
export interface SearchPage {
  items: SearchHit[]; total: number; total_exact: boolean; offset: number; limit: number
  facets: Record<string, FacetValue[]>
}
// cross_border_direction: the deal moves technology across the Shenzhen–Hong Kong border, so it
// is signed only with an approved technology flow request.
export interface Deal {
  id: string; kind: string; stage: string; value_minor: number; currency: string
  cross_border_direction?: 'to_hong_kong' | 'to_mainland'
}
export interface Introduction {
  id: string; listing: { id: string; title: string; kind: string }
  requester: { organization: NamedRef; user: string }
  owner: NamedRef; state: string; message: string; reason: string
  deal: Deal | null; history: StateChange[]; created_at: string; updated_at: string
}

// Every item of a paged list (for an export), `path` carrying the list's filters: pages of 100
// until the total is reached, at most `cap` items.
export async function allPages<T>(path: string, cap = 10000): Promise<T[]> {
  const items: T[] = []
  const join = path.includes('?') ? '&' : '?'
  for (;;) {
    const page = await api<Page<T>>('GET', `${path}${join}limit=100&offset=${items.length}`)
    items.push(...page.items)
    if (page.items.length === 0 || items.length >= page.total || items.length >= cap) return items
  }
}
