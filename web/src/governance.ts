// Cross-border governance on the client: the shapes of flow requests, decisions and the policy's
// schema, the words of their states, values and fields, and which policy fields a kind's form
// asks for.
import { type Names, type NamedRef } from './api'
import { displayName, t } from './i18n'

export const FLOW_KINDS = ['personnel', 'material', 'technology', 'data', 'funds'] as const

export interface PolicyField {
  name: string; type: 'text' | 'number' | 'bool' | 'list' | 'time'
  values: string[]; required_for: string[]; label: Names
}
export interface PolicySchema { name: string; hash: string; fields: PolicyField[]; details: Record<string, string[]> }

export interface DecidingRule {
  id: string; effect: string; code: string; cites: string; reason: Names
  lacks?: { field: string; label: Names; op: string; says?: Names }[]
}
export interface Decision {
  outcome: 'allow' | 'deny' | 'not_permitted' | 'needs_approval'
  policy: { name: string; hash: string }
  rules: DecidingRule[]
  approvals?: { roles: string[]; count: number }
  missing: { field: string; label: Names }[]
  closest: DecidingRule[]
}
export interface FlowApproval {
  approver: string; approver_name: string; role: string; verdict: 'approve' | 'reject'
  note: string; at: string; current: boolean
}
export interface FlowRequest {
  id: string; organisation: NamedRef; kind: string; title: string
  facts: Record<string, unknown>; details: Record<string, string>
  state: string; content_hash: string; decision: Decision
  created_at: string; submitted_at: string | null; due_at: string | null; decided_at: string | null
  valid_until: string | null; used_quantity: number | null; crossed_at: string | null
  approvals: FlowApproval[]; history: { from: string | null; to: string; actor: string; at: string; note: string }[]
  actions: string[]
  deal: LinkedDeal | null  // the exchange deal a technology request is for
}
export interface LinkedDeal {
  id: string; title: string; kind: string; stage: string; supplier: string; recipient: string
  direction: 'to_hong_kong' | 'to_mainland'
}

// Fields the request itself fills (its kind, organisation, requester, time, the deal it names)
// are not asked for.
const FILLED_BY_REQUEST = new Set(['kind', 'at', 'requester.organisation', 'requester.person',
                                   'technology.deal_linked'])
const SHARED_BY_KIND: Record<string, string[]> = {
  material: ['line', 'carrier.designated', 'requester.foreign_controlled'],
  technology: ['requester.foreign_controlled'],
}

// The policy fields a request of `kind` is asked for: the common ones (direction, channel,
// permits), its own ("material.*"), and the few others its rules read.
export function fieldsFor(schema: PolicySchema, kind: string): PolicyField[] {
  return schema.fields.filter((field) => {
    if (FILLED_BY_REQUEST.has(field.name)) return false
    if (field.required_for.includes(kind)) return true
    const prefix = field.name.split('.')[0]
    if (!field.name.includes('.')) return field.name !== 'line' || kind === 'material'
    return prefix === kind || (SHARED_BY_KIND[kind] ?? []).includes(field.name)
  })
}

// Dotted facts ("material.class") as the nested object the server reads, leaving out blanks.
export function nestFacts(flat: Record<string, unknown>): Record<string, unknown> {
  const nested: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(flat)) {
    if (value === '' || value === undefined || value === null) continue
    if (Array.isArray(value) && value.length === 0) continue
    const parts = name.split('.')
    let into = nested
    for (const part of parts.slice(0, -1)) into = (into[part] ??= {}) as Record<string, unknown>
    into[parts[parts.length - 1]] = value
  }
  return nested
}

// The nested facts a request holds, by dotted name again (the form's model).
export function flattenFacts(facts: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(facts ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(flat, flattenFacts(value as Record<string, unknown>, name))
    else flat[name] = value
  }
  return flat
}

// The word of a state, outcome, kind...; nothing for no value (a table's slot before its row).
const wordOf = (prefix: string) => (value?: string) => (value ? t(prefix + value) : '')
export const stateWord = wordOf('flowState_')
export const outcomeWord = wordOf('outcome_')
export const kindWord = wordOf('')  // the kinds' words are plain keys: problems name them too
export const roleWord = wordOf('role_')
export const valueWord = wordOf('flowValue_')
export const detailWord = wordOf('flowDetail_')
export const words = (names?: Names) => displayName(names)

// A fact as a reader reads it: yes/no, the value's word, a list of words.
export function factText(field: PolicyField | undefined, value: unknown): string {
  if (typeof value === 'boolean') return t(value ? 'yes' : 'no')
  if (Array.isArray(value)) return value.map((v) => valueWord(String(v))).join(t('listSeparator'))
  if (field?.values.length) return valueWord(String(value))
  return String(value)
}

// A policy version and, when read alone, its review (governance/policy_versions.h,
// policy_analysis.h): what changed against the version in force, what the analysis finds and
// the recent requests it would decide otherwise.
// A condition of a rule as the server shows it (governance::ConditionJson).
export interface PolicyCondition { field: string; label: Names; op: string; value: unknown; says?: Names }
// A rule of a version; a changed rule also says what it dropped and gained against the one in force.
export interface PolicyRule extends DecidingRule {
  kinds?: string[]
  conditions_removed?: PolicyCondition[]; conditions_added?: PolicyCondition[]; effect_before?: string
}

// A condition in words: "Genome data on how many people above 1000".
export function conditionText(condition: PolicyCondition): string {
  const { op, value } = condition
  const shown = op === 'whitelisted' || op === 'not_whitelisted' ? t('whitelist_' + String(value))
    : typeof value === 'boolean' ? t(value ? 'yes' : 'no')
    : Array.isArray(value) ? value.map((v) => valueWord(String(v))).join(t('listSeparator'))
    : typeof value === 'string' ? valueWord(value)
    : String(value)
  return t('condition_' + op, { field: words(condition.label), value: shown })
}
export interface PolicyVersion {
  id: string; hash: string; name: string; source: 'installed' | 'file' | 'api'
  state: 'proposed' | 'active' | 'superseded' | 'rejected'
  proposer_name: string; proposed_at: string; decided_at: string | null; reject_reason: string | null
  approvals: { approver_name: string; role: string; note: string; at: string }[]
  roles_needed: string[]; actions: string[]; rules: PolicyRule[]
}
type Changes<T> = { added: T[]; removed: T[]; changed: T[] }
export interface PolicyReview extends PolicyVersion {
  fields: PolicyField[]
  active_hash: string
  diff: { rules: Changes<PolicyRule>; fields: Changes<{ field: string; label: Names }> }
  analysis: {
    unreachable: { rule: PolicyRule; code: 'never_matches' | 'always_overridden'; by: PolicyRule[] }[]
    conflicts: { rule: PolicyRule; denying: PolicyRule; kind: string
                 example: { facts: Record<string, unknown>; whitelisted: { field: string; list: string; covered: boolean }[] } }[]
  }
  shadow: { days: number; requests: number
            changed: { id: string; title: string; kind: string; submitted_at: string
                       before: Decision; after: Decision | { outcome: 'unreadable' } }[] }
}
export const policyStateWord = wordOf('policyState_')
export const effectWord = wordOf('effect_')
