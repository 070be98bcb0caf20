// The names of organisations the app knows only by id (the scopes of a user's roles), fetched once
// each and shown in the reader's language: a selector offers names, never ids.
import { ref } from 'vue'
import { api, type Names, type Organization } from './api'
import { displayName, t } from './i18n'

const known = ref<Record<string, Names>>({})

export async function loadOrganizationNames(ids: string[]) {
  for (const id of ids) {
    if (known.value[id]) continue
    const org = await api<Organization>('GET', '/organizations/' + id)
    known.value = { ...known.value, [id]: org.names }
  }
}

export function organizationName(id: string): string {
  const names = known.value[id]
  return names ? displayName(names) : t('loading')
}
