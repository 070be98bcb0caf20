// Competitions on the client: the shapes of editions, entries, rounds, score sheets, leaderboards
// and certificates as /api/v1/competitions answers them, and the words of their states.
import { type Names, type NamedRef } from './api'
import { hasMessage, t } from './i18n'

export interface Scale { min: number; max: number; step: number }
export interface EntryField { key: string; type: 'integer' | 'number' | 'boolean' | 'year' | 'text'; required: boolean }
export interface Group {
  key: string; names: Names; form: { fields: EntryField[] }; criteria: { key: string; weight: number }[]; scale: Scale
  prizes: { key: string; count: number }[]; entries: number
}
export interface Edition {
  id: string; organiser: NamedRef; year: number; names: Names; entries_close_on: string
  entries_close_at: string; state: string; groups: Group[]; actions: string[]
}
export interface Entry {
  id: string; edition: string; group: string; organisation: NamedRef; title: string; summary: string
  listings: { id: string; title: string }[]
  team: { university: NamedRef | null; members: { name: string; role: string }[] }
  state: string; created_at: string; actions: string[]
}
export interface RoundJudge {
  username: string; names: Names; person: string; cap: number | null; confirmed: boolean; load: number
}
export interface JudgeConflict {
  entry: string; judge: string; kind: string; detail: string | null; organisation: NamedRef | null
}
export interface Round {
  id: string; edition: string; position: number; names: Names; kind: string
  judges_per_entry: number; combine: string; normalise: boolean; state: string
  advancement: Record<string, { by: string; count: number; threshold: number }>
  judges: RoundJudge[]; entries: string[]; assignment: { entry: string; judges: string[] }[]
  conflicts: JudgeConflict[]; published_at: string; actions: string[]
}
export interface QueueItem {
  entry: string; title: string; group: string; scores: Record<string, number>; final: boolean; recused: boolean
}
export interface Standing {
  entry: string; title: string; organisation: NamedRef; rank: number; sheets: number
  mean: number; trimmed: number; trim_applied: boolean; normalised: number; score: number
  spread: number; divergent: boolean; decided_by: string
  sheet_results: { judge: string; raw: number; normalised: number }[]
  advances: boolean; prize: string | null
}
export interface Board {
  final: boolean
  groups: { key: string; standings: Standing[]; judges?: { judge: string; sheets: number; corrected: boolean }[] }[]
}
export interface Certificate {
  code: string; year: number; edition_names: Names; group_names: Names; tier: string
  title: string; organisation_names: Names; issued_at: string
}

// A word from `family` for a stable value ("state", "scoring"), or the value itself for one this
// app has no word for yet.
function word(family: string, value: string): string {
  const key = family + '_' + value
  return hasMessage(key) ? t(key) : value
}
export const editionStateWord = (state: string) => word('editionState', state)
export const roundStateWord = (state: string) => word('roundState', state)
export const roundKindWord = (kind: string) => word('roundKind', kind)
export const criterionWord = (key: string) => word('criterion', key)
export const tierWord = (tier: string) => word('prizeTier', tier)
export const conflictWord = (kind: string) => word('conflict', kind)
export const decidedByWord = (step: string) => word('decidedBy', step)
export const entryFactWord = (key: string) => word('entryFact', key)

// A fact as typed into the entry form, as the server reads it: numbers for the numeric types,
// true or false for a boolean, the text otherwise; undefined when left blank.
export function factValue(field: EntryField, typed: string): unknown {
  if (typed === '') return undefined
  if (field.type === 'boolean') return typed === 'true'
  if (field.type === 'text') return typed
  return Number(typed)
}

// A score as the sheet shows it: at most two decimals, no trailing zeros.
export function scoreText(value: number): string {
  return String(Math.round(value * 100) / 100)
}

// Why `value` is no score on `scale`, in the reader's words; '' when it is one. The server checks
// again; this only spares the judge a round trip.
export function scaleProblem(scale: Scale, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return ''
  if (value < scale.min || value > scale.max) return t('scoreOutOfScale', { min: scale.min, max: scale.max })
  const steps = (value - scale.min) / scale.step
  if (Math.abs(steps - Math.round(steps)) > 1e-9) return t('scoreOffStep', { step: scale.step })
  return ''
}
