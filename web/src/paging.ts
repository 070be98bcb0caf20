// One page of a server list at a time: the page shown, its number, the error of the last load,
// and every row of the list for an export. `path` is the list's path with its filters; the
// signed-in check is the caller's (a list of one's own records needs a session). A list the page
// holds whole is sorted and paged in the page (useSortedPages).
import { computed, ref, type Ref } from 'vue'
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

// A whole list held in the page, sorted by the column the reader picked (`comparators` by
// column prop; `initial` before any pick) and shown a page at a time. Feed `sortChange` to an
// ElTable's sort-change; an export takes `sorted`, every row in the order shown.
export function useSortedPages<T>(items: Ref<T[]>, comparators: Record<string, (a: T, b: T) => number>,
                                  initial?: string, pageSize = 20) {
  const order = ref<{ prop: string | null; order: string | null }>({ prop: initial ?? null, order: initial ? 'ascending' : null })
  const currentPage = ref(1)
  const sorted = computed(() => {
    const compare = order.value.prop && order.value.order ? comparators[order.value.prop] : undefined
    if (!compare) return items.value
    const sign = order.value.order === 'descending' ? -1 : 1
    return [...items.value].sort((a, b) => sign * compare(a, b))
  })
  const shown = computed(() => sorted.value.slice((currentPage.value - 1) * pageSize, currentPage.value * pageSize))
  function sortChange(change: { prop: string | null; order: string | null }) {
    order.value = change
    currentPage.value = 1
  }
  return { order, currentPage, pageSize, sorted, shown, sortChange }
}
