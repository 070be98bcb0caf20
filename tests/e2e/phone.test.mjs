// On a phone (390 × 844, in Traditional Chinese): the header leaves the screen to the page, no
// page is wider than the screen (wide tables scroll inside their own box), and an empty list
// says so and where to start.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { logIn, screenshot, useServerAndBrowser } from './harness.mjs'

const shared = useServerAndBrowser(before, after)
const phone = { locale: 'zh-HK', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }

test('the tasks people do on the move fit a phone', async () => {
  const page = await shared.browser.newPage(phone)
  await logIn(page, shared.server.url, 'enterprise')
  for (const path of ['', 'exchange', 'resources', 'bookings', 'notifications', 'organizations', 'memberships']) {
    await page.goto(shared.server.url + '#/' + path)
    await page.waitForLoadState('networkidle')
    const header = await page.locator('header').boundingBox()
    assert.ok(header.height <= 140, `#/${path}: the header is ${header.height} px tall`)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `#/${path}: the page is ${width} px wide`)
    await screenshot(page, `phone-zh-HK-${path || 'home'}`)
  }
  // Someone who has booked nothing (the demo's enterprise has) reads an empty list that says so.
  await page.getByRole('button', { name: /登出|退出/ }).click()
  await logIn(page, shared.server.url, 'hkust')
  await page.goto(shared.server.url + '#/bookings')
  await page.getByTestId('empty').waitFor()
  assert.match(await page.getByTestId('empty').innerText(), /還沒有預約/)
  await page.close()
})

test('a facility manager approves on a phone: the actions stay on screen beside a wide table', async () => {
  const page = await shared.browser.newPage(phone)
  await logIn(page, shared.server.url, 'facility')
  await page.goto(shared.server.url + '#/bookings')
  const approve = page.getByTestId('approvals').getByRole('button', { name: '批准' })
  await approve.waitFor()
  const box = await approve.boundingBox()
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the approve button is at ${box.x}..${box.x + box.width} px`)
  await approve.click()
  await page.getByText('預約已批准').waitFor()
  await page.close()
})
