// The names of organisations the app knows only by id (the scopes of a user's roles), fetched once
// each and shown in the reader's language: a selector offers names, never ids.
import { ref } from 'vue'
import { api, type Names, type Organization } from './api'
import { displayName, t } from './i18n'

const known = ref<Record<string, Names>>({})
const asked = new Set<string>()  // fetched or being fetched: each id is asked for once

export async function loadOrganizationNames(ids: string[]) {
  const missing = ids.filter((id) => !asked.has(id))
  missing.forEach((id) => asked.add(id))
  const answers = await Promise.allSettled(missing.map((id) => api<Organization>('GET', '/organizations/' + id)))
  answers.forEach((answer, i) => {
    if (answer.status === 'fulfilled') known.value = { ...known.value, [missing[i]]: answer.value.names }
    else asked.delete(missing[i])  // asked again next time
  })
}

export function organizationName(id: string): string {
  const names = known.value[id]
  return names ? displayName(names) : t('loading')
}
