// Who is signed in, shared by every view.
import { computed, ref } from 'vue'
import { api, setCsrf, type User } from './api'

export const currentUser = ref<User | null>(null)

// The organisations where the signed-in user holds one of `roles` (any role when none are
// named), each once.
export function organizationsWithRole(...roles: string[]): string[] {
  const held = (currentUser.value?.roles ?? []).filter((r) => r.scope && (!roles.length || roles.includes(r.role)))
  return [...new Set(held.map((r) => r.scope as string))]
}

// The organisations the signed-in user acts for (the scopes of their roles).
export const myOrganizations = computed(() => organizationsWithRole())

// Whether the signed-in user administers the platform (the server decides; this only hides
// what it would refuse).
export const isPlatformAdmin = computed(() => (currentUser.value?.roles ?? []).some((r) => r.role === 'platform_admin'))

export async function loadSession() {
  try {
    const me = await api<{ user: User; csrf_token?: string }>('GET', '/auth/me')
    currentUser.value = me.user
    setCsrf(me.csrf_token ?? '')
  } catch {
    currentUser.value = null
  }
}

export async function login(username: string, password: string) {
  const result = await api<{ user: User; csrf_token: string }>('POST', '/auth/login', { username, password })
  setCsrf(result.csrf_token)
  currentUser.value = result.user
}

export async function logout() {
  await api('POST', '/auth/logout')
  currentUser.value = null
  setCsrf('')
}
