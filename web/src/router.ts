// A hash router: enough for a handful of views, without another dependency.
import { ref } from 'vue'

export const route = ref(parse())

function parse() {
  const hash = location.hash.replace(/^#/, '') || '/organizations'
  const [path, query = ''] = hash.split('?')
  return { path, query: Object.fromEntries(new URLSearchParams(query)) as Record<string, string> }
}

window.addEventListener('hashchange', () => { route.value = parse() })

export function go(path: string) { location.hash = '#' + path }
