// One page of a server list at a time: the page shown, its number, the error of the last load,
// and every row of the list for an export. `path` is the list's path with its filters; the
// signed-in check is the caller's (a list of one's own records needs a session).
import { ref, type Ref } from 'vue'
import { allPages, api, describeProblem, type Page } from './api'

export function usePagedList<T>(path: () => string, pageSize = 20) {
  const page = ref(null) as Ref<Page<T> | null>
  const currentPage = ref(1)
  const error = ref('')

  async function load() {
    error.value = ''
    const join = path().includes('?') ? '&' : '?'
    const offset = (currentPage.value - 1) * pageSize
    try { page.value = await api<Page<T>>('GET', `${path()}${join}limit=${pageSize}&offset=${offset}`) }
    catch (e) { error.value = describeProblem(e) }
  }
  // A new filter or sort starts again from the first page.
  function reload() {
    currentPage.value = 1
    return load()
  }
  const everyRow = () => allPages<T>(path())
  return { page, currentPage, pageSize, error, load, reload, everyRow }
}
