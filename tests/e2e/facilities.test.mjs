// Browser tests of shared facilities: book a slot, see the conflict refused, approve a
// pending booking as the facility manager.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, test } from 'node:test'
import { logIn, useServerAndBrowser } from './harness.mjs'

const shared = useServerAndBrowser(before, after)

async function openResource(page, name) {
  await page.goto(shared.server.url + '#/resources')
  await page.getByTestId('language').selectOption('en')
  await page.getByRole('link', { name }).click()
  await page.getByTestId('calendar').waitFor()
}

test('books a slot and sees the same slot refused', async () => {
  const context = await shared.browser.newContext()
  const page = await context.newPage()
  await logIn(page, shared.server.url, 'enterprise')
  await openResource(page, 'X-ray diffractometer')
  await page.getByLabel('Start time').fill('10:00')
  await page.getByRole('button', { name: 'Quote' }).click()
  await page.getByTestId('quote').waitFor()
  assert.match(await page.getByTestId('quote').innerText(), /400\.00 CNY \(industry\)/)
  await page.getByRole('button', { name: 'Book', exact: true }).click()
  await page.getByTestId('booked').waitFor()
  assert.match(await page.getByTestId('booked').innerText(), /10:00–11:00 GMT\+8/)
  assert.match(await page.getByTestId('calendar').innerText(), /Busy 10:00–11:00/)
  await page.getByRole('button', { name: 'Book', exact: true }).click()
  await page.getByTestId('error').waitFor()
  assert.match(await page.getByTestId('error').innerText(), /already booked/)
  await context.close()
})

test('a facility manager approves a pending booking', async () => {
  const booker = await shared.browser.newContext()
  const page = await booker.newPage()
  await logIn(page, shared.server.url, 'enterprise')
  await openResource(page, 'Cryo transmission electron microscope')
  await page.getByLabel('Start time').fill('14:00')
  await page.getByRole('button', { name: 'Book', exact: true }).click()
  await page.getByTestId('booked').waitFor()
  assert.match(await page.getByTestId('booked').innerText(), /Pending/)

  const managerContext = await shared.browser.newContext()
  const manager = await managerContext.newPage()
  await logIn(manager, shared.server.url, 'facility')
  await manager.goto(shared.server.url + '#/bookings')
  await manager.getByTestId('approvals').waitFor()
  // The demo's own request (tomorrow morning) waits beside this one: approve this one.
  await manager.getByTestId('approvals').getByRole('row').filter({ hasText: '14:00' })
    .getByRole('button', { name: /^approve /i }).click()
  await manager.waitForFunction(() => ![...document.querySelectorAll('[data-testid=approvals] tr')]
    .some((tr) => tr.textContent.includes('14:00')))

  await page.goto(shared.server.url + '#/bookings')
  await page.reload()
  await page.getByTestId('mine').waitFor()
  assert.match(await page.getByTestId('mine').innerText(), /Approved/)
  // The approval, beside the demo's introduction request waiting for the enterprise.
  assert.match(await page.getByTestId('unread').innerText(), /2/)
  await page.getByTestId('unread').click()
  await page.getByTestId('notifications').getByText(/was approved/).waitFor()
  // The notification is data: the same one, worded in Chinese, at the resource's local time.
  await page.getByTestId('language').selectOption('zh-Hans')
  await page.getByTestId('notifications').getByText(/预约已获批准/).waitFor()
  assert.doesNotMatch(await page.getByTestId('notifications').innerText(), /T\d\d:\d\d:\d\dZ/)
  await page.getByTestId('language').selectOption('en')
  // Only the unread ones, then all marked read at once: the bell empties.
  await page.getByLabel('Only unread').check()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=notifications] li').length === 2)
  await page.getByRole('button', { name: 'Mark all read' }).click()
  await page.getByText('Every notification is marked read').waitFor()
  await page.getByText('Nothing unread').waitFor()
  await page.waitForFunction(() => document.querySelector('[data-testid=unread]')?.textContent?.trim() === '0')
  await page.getByLabel('Only unread').uncheck()
  await page.getByTestId('notifications').getByText(/was approved/).waitFor()

  // The manager sees the resource's utilisation computed from the records.
  await manager.goto(shared.server.url + '#/resources')
  await manager.getByTestId('language').selectOption('en')
  await manager.getByRole('link', { name: 'Cryo transmission electron microscope' }).click()
  await manager.getByTestId('utilisation').waitFor()
  assert.match(await manager.getByTestId('utilisation').innerText(), /Booked hours 1\.0/)
  await booker.close()
  await managerContext.close()
})

test('a facility manager edits a resource and reads the owner dashboard', async () => {
  const context = await shared.browser.newContext()
  const page = await context.newPage()
  await logIn(page, shared.server.url, 'facility')
  await openResource(page, 'Cryo transmission electron microscope')
  await page.getByTestId('edit').click()
  await page.getByLabel(/Specifications/).fill('Model: Titan Krios G4\nVoltage: 300 kV')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByTestId('specifications').waitFor()
  assert.match(await page.getByTestId('specifications').innerText(), /Voltage\s+300 kV/)

  // The catalogue finds the resource by its specifications.
  await page.goto(shared.server.url + '#/resources')
  await page.getByLabel('Search').fill('Krios')
  await page.getByRole('button', { name: 'Search' }).click()
  await page.getByRole('link', { name: 'Cryo transmission electron microscope' }).waitFor()

  // The dashboard lists every resource of the owner for the month of the approved booking.
  await page.goto(shared.server.url + '#/utilisation')
  await page.getByTestId('dashboard').waitFor()
  await page.getByLabel(/Month/).fill(new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 7))
  await page.getByRole('button', { name: 'Show' }).click()
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=dashboard] tbody tr')].some((tr) =>
    [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.innerText.trim()).join('|') ===
      'Cryo transmission electron microscope|1|1.0'))
  assert.match(await page.locator('[data-testid=dashboard] .el-table__footer').innerText(), /Total/)
  await context.close()
})

test('cancelling a booking asks first and says it is done', async () => {
  const context = await shared.browser.newContext()
  const page = await context.newPage()
  await logIn(page, shared.server.url, 'enterprise')
  await openResource(page, 'X-ray diffractometer')
  await page.getByLabel('Start time').fill('14:00')
  await page.getByRole('button', { name: 'Book', exact: true }).click()
  await page.getByTestId('booked').waitFor()
  await page.goto(shared.server.url + '#/bookings')
  const row = page.getByTestId('mine').getByRole('row').filter({ hasText: 'X-ray diffractometer' })
    .filter({ hasText: '14:00' })
  await row.getByRole('button', { name: 'Cancel booking' }).click()
  const dialog = page.getByRole('dialog')
  assert.match(await dialog.innerText(), /Cancel the booking of X-ray diffractometer at .*14:00/)
  await dialog.getByRole('button', { name: 'Back' }).click()
  await dialog.waitFor({ state: 'hidden' })
  assert.doesNotMatch(await row.getByTestId('booking-state').innerText(), /Cancelled/)
  await row.getByRole('button', { name: 'Cancel booking' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click()
  await page.getByText('The booking is cancelled').waitFor()
  await row.getByText('Cancelled').waitFor()
  // Own bookings filter by state and turn their order by the start.
  await page.locator('select[name=state]').selectOption('cancelled')
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=mine] [data-testid=booking-state]')]
    .every((cell) => cell.textContent === 'Cancelled'))
  await page.locator('select[name=state]').selectOption('')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=mine] tbody tr').length > 1)
  const latestFirst = await page.getByTestId('mine').locator('tbody tr td:nth-child(2)').allInnerTexts()
  await page.getByTestId('mine').getByRole('columnheader', { name: 'When' }).click()
  await page.waitForFunction((first) => document.querySelector('[data-testid=mine] tbody tr td:nth-child(2)')?.textContent !== first,
                             latestFirst[0])
  const earliestFirst = await page.getByTestId('mine').locator('tbody tr td:nth-child(2)').allInnerTexts()
  assert.deepEqual(earliestFirst, [...latestFirst].reverse())
  await context.close()
})

test('an organisation admin reads and exports the monthly statement in Chinese', async () => {
  const page = await shared.browser.newPage({ acceptDownloads: true })
  await logIn(page, shared.server.url, 'enterprise')
  await page.goto(shared.server.url + '#/bookings')
  await page.getByTestId('statements-link').click()
  // The demo's diffractometer booking is four days from now: its month's statement charges it.
  const month = new Date(Date.now() + 4 * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 7)
  await page.getByLabel('月份').fill(month)
  await page.getByRole('button', { name: '显示' }).click()
  const statement = page.getByTestId('statement')
  await statement.getByText('X射线衍射仪').first().waitFor()
  assert.match(await statement.innerText(), /已批准/)
  assert.match(await page.getByTestId('statement-totals').innerText(), /CNY/)
  const downloaded = page.waitForEvent('download')
  await page.getByTestId('export-csv').click()
  const csv = await readFile(await (await downloaded).path(), 'utf8')
  assert.match(csv.split('\r\n')[0], /设施,预约人,时间,状态/)
  assert.match(csv, /X射线衍射仪/)
  await page.close()
})

test('a Hong Kong reader reads the instruments in Traditional Chinese', async () => {
  const page = await shared.browser.newPage({ locale: 'zh-HK' })
  await logIn(page, shared.server.url, 'facility')
  await page.goto(shared.server.url + '#/resources')
  await page.getByRole('link', { name: '冷凍透射電子顯微鏡' }).waitFor()
  await page.goto(shared.server.url + '#/bookings')
  await page.getByTestId('approvals').getByText('冷凍透射電子顯微鏡').waitFor()
  assert.doesNotMatch(await page.locator('main').innerText(), /冷冻透射电子显微镜/)
  await page.close()
})

test('the catalogue sorts by name and by owner in the reader\'s order', async () => {
  const page = await shared.browser.newPage({ locale: 'zh-CN' })
  await page.goto(shared.server.url + '#/resources')
  const names = () => page.locator('[data-testid=resources] tbody tr td:first-child a').allInnerTexts()
  await page.locator('[data-testid=resources] tbody tr').first().waitFor()
  const pinyin = new Intl.Collator('zh-Hans-u-co-pinyin', { numeric: true }).compare
  const byName = await names()
  assert.ok(byName.length >= 3)
  assert.deepEqual(byName, [...byName].sort(pinyin))
  await page.getByRole('columnheader', { name: '名称' }).click()  // descending
  await page.waitForFunction((first) => document.querySelector('[data-testid=resources] tbody tr td:first-child a')?.textContent !== first, byName[0])
  assert.deepEqual(await names(), [...byName].sort(pinyin).reverse())
  await page.close()
})
