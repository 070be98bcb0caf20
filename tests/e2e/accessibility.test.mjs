// Accessible to keyboard and screen-reader users: axe-core finds no serious or critical
// violation (names and labels, contrast, roles, landmarks) on the main pages and an
// instrument's, as the park operator, the enterprise and the facility manager read them in
// Chinese. axe is injected into the page, so these pages open with the Content-Security-Policy
// bypassed (registry.test.mjs checks the policy).
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { logIn, root, useServerAndBrowser } from './harness.mjs'

const shared = useServerAndBrowser(before, after)
const axe = path.join(root, 'web/node_modules/axe-core/axe.min.js')
const pages = ['', 'organizations', 'parks', 'memberships', 'people', 'alliances', 'exchange', 'exchange/mine',
               'exchange/introductions', 'resources', 'bookings', 'utilisation', 'statements', 'notifications',
               'competitions']

async function violations(page) {
  await page.addScriptTag({ path: axe })
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] })
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
  })
}

for (const user of ['operator', 'enterprise', 'facility']) {
  test(`the main pages have no serious accessibility violation, as ${user}`, async () => {
    const page = await shared.browser.newPage({ bypassCSP: true })
    await logIn(page, shared.server.url, user)
    const found = []
    for (const where of pages) {
      await page.goto(shared.server.url + '#/' + where)
      await page.waitForLoadState('networkidle')
      for (const v of await violations(page)) found.push(`#/${where}: ${v}`)
    }
    // An instrument's page, with its week and booking form.
    await page.goto(shared.server.url + '#/resources')
    await page.locator('a[href^="#/resources/"]').first().click()
    await page.getByRole('heading', { level: 1 }).waitFor()
    await page.waitForLoadState('networkidle')
    for (const v of await violations(page)) found.push(`resource page: ${v}`)
    assert.deepEqual(found, [])
    await page.close()
  })
}
