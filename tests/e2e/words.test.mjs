// What a reader sees is words in their language: on the main pages, as each demo role, in
// Simplified and Traditional Chinese, no internal id (org_...), no raw timestamp (RFC 3339), no
// snake_case name of a field, tag or state (in the text or a selector's options), and no message the app asked for that its locales
// lack (i18n.ts reports those on the console). Each page is saved as a screenshot.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { logIn, screenshot, useServerAndBrowser } from './harness.mjs'

const shared = useServerAndBrowser(before, after)
const pages = ['', 'organizations', 'parks', 'memberships', 'people', 'alliances', 'exchange', 'exchange/mine',
               'exchange/new', 'exchange/introductions', 'resources', 'bookings', 'utilisation', 'statements', 'notifications',
               'governance', 'governance/ledger', 'governance/policies', 'competitions']
const leak = /\b[a-z]{3}_[a-z0-9]{12,}\b|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\S*|\b[a-z]+_[a-z_]+\b/g

for (const locale of ['zh-CN', 'zh-HK']) {
  test(`the main pages show only words in ${locale}`, async () => {
    const found = []
    for (const user of ['operator', 'enterprise', 'facility', 'hkust']) {
      const page = await shared.browser.newPage({ locale })
      page.on('console', (message) => {
        if (message.text().startsWith('[i18n] missing')) found.push(`${user}: ${message.text()}`)
      })
      await logIn(page, shared.server.url, user)
      for (const path of pages) {
        await page.goto(shared.server.url + '#/' + path)
        await page.waitForLoadState('networkidle')
        if (path === 'resources') {  // and the first instrument's page, with its booking form
          await page.locator('a[href^="#/resources/"]').first().click()
          await page.getByRole('heading', { level: 1 }).waitFor()
          await page.waitForLoadState('networkidle')
        }
        const text = await page.evaluate(() => document.body.innerText + '\n' +
          [...document.querySelectorAll('option')].map((option) => option.textContent).join('\n'))
        for (const m of text.matchAll(leak)) found.push(`${user} #/${path}: ${m[0]}`)
        await screenshot(page, `${locale}-${user}-${path || 'home'}`)
      }
      await page.close()
    }
    assert.deepEqual([...new Set(found)], [])
  })
}
