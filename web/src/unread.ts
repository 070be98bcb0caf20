// The unread notification count shown in the header.
import { ref } from 'vue'
import { api } from './api'

export const unread = ref(0)

export async function refreshUnread() {
  try {
    unread.value = (await api<{ unread: number }>('GET', '/notifications?limit=1')).unread
  } catch {
    unread.value = 0
  }
}
