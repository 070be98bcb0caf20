// A problem the server reports (problem+json: a stable `code`, and per field a `code` with its
// `params`), said in the reader's language. The server's English `detail` and `reason` are the
// last resort, for a code this app has no words for yet.
import { hasMessage, t } from './i18n'

export interface FieldProblem { field: string; code?: string; params?: Record<string, unknown>; reason: string }

// The message key of a field problem: some codes have variants by what their parameters measure.
function fieldKey(code: string, params: Record<string, unknown>): string {
  if (code === 'too_long' && 'max_minutes' in params) return 'field_too_long_minutes'
  if (code === 'too_long' && 'max_bytes' in params) return 'field_too_long_bytes'
  if (code === 'too_short' && 'min_minutes' in params) return 'field_too_short_minutes'
  if (code === 'out_of_range' && 'max_days' in params) return 'field_within_days'
  if (code === 'out_of_range' && !('max' in params)) return 'field_at_least'
  if (code === 'not_eligible' && hasMessage('field_not_eligible_' + String(params.op))) {
    return 'field_not_eligible_' + String(params.op)
  }
  if (code === 'bad_format' && hasMessage('field_bad_format_' + String(params.format))) {
    return 'field_bad_format_' + String(params.format)
  }
  return 'field_' + code
}

// Parameter values as words: a field named in another field's message, a kind, a list.
function wordsFor(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params }
  if (typeof params.other === 'string' && hasMessage(params.other)) out.other = t(params.other)
  if (typeof params.kind === 'string' && hasMessage(params.kind)) out.kind = t(params.kind)
  if (Array.isArray(params.allowed)) {
    out.allowed = params.allowed.map((v) => (hasMessage(String(v)) ? t(String(v)) : String(v))).join(t('listSeparator'))
  }
  return out
}

export function fieldText(problem: FieldProblem): string {
  if (!problem.code) return problem.reason
  const params = problem.params ?? {}
  const key = fieldKey(problem.code, params)
  return hasMessage(key) ? t(key, wordsFor(params)) : problem.reason
}

export function problemText(code: string, detail: string): string {
  const key = 'error_' + code
  if (hasMessage(key)) return t(key)
  return detail || t('error_unknown')
}

// A field's label for the reader ("details.deadline" is the deadline), or '' when the app has
// none: a raw field name is never shown.
export function fieldLabel(field: string): string {
  const row = /^rows\[(\d+)\]\.(\w+)$/.exec(field)  // a CSV file's line and column
  if (row) return t('label_row', { line: row[1], column: fieldLabel(row[2]) || row[2] })
  const key = 'label_' + field.replace(/^(details|facts)\./, '').replace(/\[\d+\]$/, '')
  return hasMessage(key) ? t(key) : ''
}
