// Competitions in the browser, on the demo's park competition: an enterprise enters (an
// ineligible entry refused with the rule it breaks); a judge scores an entry of this year's
// online review (a score off the scale is refused as typed, a draft is kept, the sheet is signed
// off); a judge affiliated with an entrant is never offered its entry, and the coordinator's
// board says why; the coordinator closes and publishes the round, then sets up the next and adds
// a judge; a certificate of last year's prizes verifies on the public check and downloads as a
// PDF, and a made-up code does not verify.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eventually, logIn, screenshot, useServerAndBrowser } from './harness.mjs'

const shared = useServerAndBrowser(before, after)
const CURRENT_ROUND = '网络评审（第一批）'
const FINAL_ROUND = '决赛路演'

async function openRound(page, name) {
  await page.goto(shared.server.url + '#/competitions')
  await page.getByRole('link', { name, exact: true }).click()
  await page.getByRole('heading', { level: 1, name }).waitFor()
}

// What the server holds for `path`, read with the page's session.
async function read(page, path) {
  return page.evaluate(async (p) => (await fetch('/api/v1' + p)).json(), path)
}

test('an enterprise enters this year\'s competition; an ineligible entry is refused and names the rule', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'enterprise')
  await page.goto(shared.server.url + '#/competitions')
  await page.getByTestId('edition').first().getByRole('link').first().click()
  const form = page.getByTestId('entry-form')
  await form.locator('select[name="group"]').selectOption('enterprise')
  await form.locator('input[name="title"]').fill('微纳3D打印传感器')
  await form.locator('input[name="revenue_cny"]').fill('300000000')
  await form.locator('select[name="listed"]').selectOption('false')
  await form.locator('input[name="earlier_wins"]').fill('0')
  await form.getByRole('button', { name: '提交报名' }).click()
  await form.getByRole('alert').filter({ hasText: '上年营业收入：不得超过 200000000' }).waitFor()
  assert.equal(await page.getByTestId('entries').count(), 0, 'nothing was entered')
  await form.locator('input[name="revenue_cny"]').fill('12000000')
  const listing = form.getByTestId('entry-listings').locator('label').first()
  const listingTitle = (await listing.innerText()).trim()
  await listing.locator('input').check()
  await form.getByRole('button', { name: '提交报名' }).click()
  const entered = page.getByTestId('entries').locator('tr', { hasText: '微纳3D打印传感器' })
  await entered.waitFor()
  assert.match(await entered.innerText(), new RegExp(listingTitle.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
               'the entry stands on the listing chosen')
  assert.match(await page.getByTestId('entries').innerText(), /深港微纳智造科技有限公司/)
  await screenshot(page, 'zh-CN-enterprise-entered')
  await page.close()
})

test('a judge scores an entry: off-scale refused, a draft kept, the sheet signed off', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'judge1')
  await openRound(page, CURRENT_ROUND)
  const queue = page.getByTestId('judge-queue')
  const row = queue.locator('tr', { hasText: '未评分' }).first()
  const title = (await row.locator('td').first().innerText()).trim()
  await row.getByRole('button', { name: '评分' }).click()
  const form = page.getByTestId('score-form')
  await form.locator('input[name="technology"]').fill('11')
  await form.getByRole('alert').filter({ hasText: '分数须在 0 到 10 之间' }).waitFor()
  assert.ok(await form.getByRole('button', { name: '保存草稿' }).isDisabled(), 'an off-scale score is not sent')
  await form.locator('input[name="technology"]').fill('8.3')
  await form.getByRole('alert').filter({ hasText: '0.5 的整数倍' }).waitFor()
  await form.locator('input[name="technology"]').fill('8.5')
  await form.locator('input[name="business_model"]').fill('7')
  await form.locator('input[name="business_model"]').press('Enter')  // a draft, from the keyboard
  await eventually(async () => assert.match(await queue.locator('tr', { hasText: title }).innerText(), /草稿/))

  const round = page.url().split('/').pop()
  let sheet = (await read(page, `/competitions/rounds/${round}/queue`)).items.find((q) => q.title === title)
  assert.deepEqual(sheet.scores, { technology: 8.5, business_model: 7 })
  assert.equal(sheet.final, false)

  for (const [name, value] of Object.entries({ market: '7.5', team: '9', finance: '6' })) {
    const input = form.locator(`input[name="${name}"]`)
    if (await input.count()) await input.fill(value)
  }
  await form.getByTestId('sheet-total').filter({ hasText: '加权总分' }).waitFor()
  await screenshot(page, 'zh-CN-judge-score-form')
  await form.getByTestId('sign-off').click()
  await eventually(async () => assert.match(await queue.locator('tr', { hasText: title }).innerText(), /已签署/))
  sheet = (await read(page, `/competitions/rounds/${round}/queue`)).items.find((q) => q.title === title)
  assert.equal(sheet.final, true)
  await page.close()
})

test('a judge affiliated with an entrant is never offered its entry, and the board says why', async () => {
  const operator = await shared.browser.newPage()
  await logIn(operator, shared.server.url, 'operator')
  await openRound(operator, CURRENT_ROUND)
  const id = operator.url().split('/').pop()
  const round = await read(operator, `/competitions/rounds/${id}`)
  const kept = round.conflicts.filter((c) => c.judge === 'judge1')
  assert.ok(kept.length > 0, 'the demo has a judge from an entrant university')
  const entries = (await read(operator, `/competitions/editions/${round.edition}/entries`)).items
  const conflicted = entries.find((e) => e.id === kept[0].entry)
  const row = operator.getByTestId('assignment').locator('tr', { hasText: conflicted.title })
  const judgeName = round.judges.find((j) => j.username === 'judge1').names.zh_hans
  assert.match(await row.locator('td').nth(2).innerText(), new RegExp(`${judgeName}: 现在或三年内任职于参赛单位`))
  assert.doesNotMatch(await row.locator('td').nth(1).innerText(), new RegExp(judgeName))
  await screenshot(operator, 'zh-CN-operator-assignment-board')
  await operator.close()

  const judge = await shared.browser.newPage()
  await logIn(judge, shared.server.url, 'judge1')
  await openRound(judge, CURRENT_ROUND)
  const queue = await judge.getByTestId('judge-queue').innerText()
  assert.ok(queue.length > 0)
  assert.doesNotMatch(queue, new RegExp(conflicted.title))
  const served = (await read(judge, `/competitions/rounds/${id}/queue`)).items.map((q) => q.entry)
  assert.ok(!served.includes(conflicted.id), 'nor does the API hand it over')
  await judge.close()
})

test('the coordinator closes and publishes a round', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'operator')
  await openRound(page, CURRENT_ROUND)
  await page.getByTestId('leaderboard').getByRole('heading', { name: '实时计分板' }).waitFor()
  await page.getByTestId('close-round').click()
  await page.getByTestId('round-state').filter({ hasText: '评分已结束' }).waitFor()
  await page.getByTestId('publish-round').click()
  await page.getByTestId('round-state').filter({ hasText: '已公布' }).waitFor()
  const board = page.getByTestId('leaderboard')
  await board.getByRole('heading', { name: '排行榜' }).waitFor()
  assert.match(await board.innerText(), /晋级/)
  await screenshot(page, 'zh-CN-operator-published-round')
  await page.close()
})

test('the coordinator sets up the next round and adds a judge found by name', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'operator')
  await page.goto(shared.server.url + '#/competitions')
  await page.getByTestId('edition').first().getByRole('link').first().click()
  const form = page.getByTestId('round-form')
  await form.locator('input[name="zh_hans"]').fill('复赛路演')
  await form.locator('input[name="zh_hant"]').fill('複賽路演')
  await form.locator('input[name="en"]').fill('Semi-final pitch (8+12)')
  await form.locator('select[name="kind"]').selectOption('pitch')
  await form.locator('input[name="judges_per_entry"]').fill('5')
  await form.getByRole('button', { name: '创建' }).click()
  await page.getByRole('heading', { level: 1, name: '复赛路演' }).waitFor()
  await page.getByTestId('round-state').filter({ hasText: '准备中' }).waitFor()
  const add = page.getByTestId('add-judge')
  await add.locator('input[name="judge_query"]').fill('陈明')
  await add.locator('input[name="judge_query"]').press('Enter')
  await eventually(async () => assert.match(await add.locator('select[name="person"]').innerText(), /陈明/))
  await add.locator('input[name="username"]').fill('judge1')
  await add.getByRole('button', { name: '添加评委' }).click()
  const judges = page.getByTestId('assignment-board').locator('tr', { hasText: '陈明' })
  await eventually(async () => assert.match(await judges.innerText(), /尚未/), 10000)
  await page.close()
})

test('a prize certificate verifies on the public check; a made-up code does not', async () => {
  const operator = await shared.browser.newPage()
  await logIn(operator, shared.server.url, 'operator')
  await openRound(operator, FINAL_ROUND)
  const certificates = operator.getByTestId('certificates')
  await certificates.locator('li').first().waitFor()
  assert.equal(await certificates.locator('li').count(), 20, '1/3/6 in each of two groups')
  const code = (await certificates.locator('a').first().innerText()).trim()
  await operator.close()

  const visitor = await shared.browser.newPage()  // not signed in
  await visitor.goto(shared.server.url + '#/certificates/' + code.toLowerCase().replaceAll('-', ' '))
  const certificate = visitor.getByTestId('certificate')
  await certificate.waitFor()
  assert.match(await certificate.innerText(), /此证书真实有效/)
  assert.match(await certificate.innerText(), /一等奖/)
  assert.match(await certificate.innerText(), new RegExp(code))
  await screenshot(visitor, 'zh-CN-visitor-certificate')
  const pdf = await visitor.evaluate(async (href) => {
    const response = await fetch(href)
    const bytes = new Uint8Array(await response.arrayBuffer())
    return { type: response.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) }
  }, await visitor.getByTestId('certificate-pdf').getAttribute('href'))
  assert.deepEqual(pdf, { type: 'application/pdf', head: '%PDF-' }, 'the certificate downloads as a PDF')
  await visitor.goto(shared.server.url + '#/certificates/AAAA-BBBB-CCCC-DDDD')
  await visitor.getByTestId('certificate-unknown').waitFor()
  await visitor.close()
})
