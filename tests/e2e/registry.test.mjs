// Browser tests of the registry: log in, find by Traditional Chinese, a membership through its
// workflow, and a permission refusal.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, test } from 'node:test'
import { eventually, logIn, useServerAndBrowser } from './harness.mjs'

const shared = useServerAndBrowser(before, after)

test('logs in and shows who is signed in', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'operator')
  assert.match(await page.getByTestId('signed-in').innerText(), /operator/)
  await page.close()
})

test('runs under a strict Content-Security-Policy that keeps injected script inert', async () => {
  const page = await shared.browser.newPage()
  const response = await page.goto(shared.server.url + '#/organizations')
  const policy = response.headers()['content-security-policy']
  assert.match(policy, /script-src 'self'/)
  assert.match(policy, /style-src 'self'/)
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/)
  await page.getByTestId('total').waitFor()
  const refused = page.waitForEvent('console', (message) => /Content Security Policy/.test(message.text()))
  const ran = await page.evaluate(() => {
    const script = document.createElement('script')
    script.textContent = 'window.injected = true'
    document.body.appendChild(script)
    return window.injected === true
  })
  assert.equal(ran, false)
  await refused
  shared.cspRefusals.length = 0  // this test's refusals were provoked on purpose
  await page.close()
})

test('finds an organisation typed in Traditional Chinese', async () => {
  const page = await shared.browser.newPage()
  await page.goto(shared.server.url + '#/organizations')
  await page.getByTestId('total').waitFor()
  await page.getByRole('searchbox').or(page.locator('input[name=q]')).first().fill('香港科技大學')
  await page.getByRole('button', { name: /搜索|Search/ }).click()
  const link = page.getByRole('link', { name: '香港科技大学', exact: true })
  await link.waitFor()
  assert.match(await page.getByTestId('total').innerText(), /2/)  // the university and its institute
  await page.getByTestId('language').selectOption('en')
  await page.getByRole('link', { name: 'The Hong Kong University of Science and Technology' }).waitFor()
  await page.close()
})

test('an organisation\'s place, parent and tags read in the reader\'s language', async () => {
  const page = await shared.browser.newPage({ locale: 'zh-HK' })
  await page.goto(shared.server.url + '#/organizations')
  await page.getByTestId('total').waitFor()
  await page.locator('input[name=q]').fill('清华大学')
  await page.getByRole('button', { name: /搜索|搜尋/ }).click()
  await page.getByRole('link', { name: '清華大學', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: '清華大學' }).waitFor()
  const card = await page.locator('section.card').first().innerText()
  assert.match(card, /北京/)
  assert.match(card, /雙一流/)
  assert.doesNotMatch(card, /Beijing|double_first_class/)
  await page.getByTestId('language').selectOption('en')
  await page.getByText('Beijing').first().waitFor()
  await page.goto(shared.server.url + '#/organizations')
  await page.locator('input[name=q]').fill('HKUST')
  await page.getByRole('button', { name: 'Search' }).click()
  await page.getByRole('link', { name: 'HKUST Shenzhen Research Institute', exact: true }).click()
  await page.getByText('Part of').waitFor()
  await page.getByRole('link', { name: 'The Hong Kong University of Science and Technology' }).waitFor()
  await page.close()
})

test('organisations sort in the reader\'s order and export as they are shown', async () => {
  const page = await shared.browser.newPage({ acceptDownloads: true })
  await page.goto(shared.server.url + '#/organizations')
  await page.getByTestId('total').waitFor()
  const names = () => page.locator('[data-testid=organizations] tbody tr td:first-child a').allInnerTexts()
  const sorted = (list, locale) => [...list].sort(new Intl.Collator(locale, { numeric: true }).compare)
  const pinyin = await names()
  assert.ok(pinyin.length >= 10)
  assert.deepEqual(pinyin, sorted(pinyin, 'zh-Hans-u-co-pinyin'), 'pinyin order under 简体')
  // The export holds every organisation the filters select, worded as on screen.
  const total = Number((await page.getByTestId('total').innerText()).match(/\d+/)[0])
  const downloaded = page.waitForEvent('download')
  await page.getByTestId('export-csv').click()
  const csv = await readFile(await (await downloaded).path(), 'utf8')
  const lines = csv.trimEnd().split('\r\n')
  assert.equal(lines[0].charCodeAt(0), 0xfeff, 'a byte-order mark, so Excel reads Chinese')
  assert.match(lines[0], /名称/)
  assert.equal(lines.length, total + 1)
  assert.ok(lines[1].startsWith(pinyin[0]))
  // Under 繁體 the same list is in stroke order, sorted by the server across pages.
  await page.getByTestId('language').selectOption('zh-Hant')
  await page.getByRole('columnheader', { name: /名稱/ }).click()  // toggles to descending
  await eventually(async () => {
    const descending = await names()
    assert.deepEqual(descending, sorted(descending, 'zh-Hant-u-co-stroke').reverse(), 'stroke order under 繁體')
  })
  await page.close()
})

test('each role lands on a home that shows what waits and leads to it', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'operator')
  await page.goto(shared.server.url + '#/')
  // The park operator: memberships to move, and the park's members as charts.
  const toMove = page.getByTestId('wait-waitMemberships')
  await toMove.waitFor()
  assert.match(await toMove.innerText(), /\d+\s*项入驻申请待推进/)
  await page.getByTestId('chart-stages').first().locator('canvas').first().waitFor()
  await page.getByTestId('chart-regions').first().locator('canvas').first().waitFor()
  await page.getByTestId('chart-funnel').first().locator('canvas').first().waitFor()
  // Every figure of a chart leads to the records it counts: the Hong Kong members of the park.
  const regions = page.getByTestId('chart-regions').first()
  await regions.getByText('数据').click()
  const hongKong = regions.getByRole('link', { name: '香港' })
  const counted = Number((await hongKong.locator('xpath=..').innerText()).match(/(\d+)\s*$/)[1])
  await hongKong.click()
  await page.waitForURL(/#\/organizations\?park=.+&region=hong_kong/)
  await page.getByTestId('total').waitFor()
  assert.match(await page.getByTestId('total').innerText(), new RegExp(`\\b${counted}\\b`))
  await page.goto(shared.server.url + '#/')
  await toMove.click()
  await page.waitForURL(/#\/memberships\?state=applied/)
  await page.getByTestId('memberships').waitFor()
  assert.equal(await page.getByLabel(/状态/).inputValue(), 'applied')
  const states = await page.locator('[data-testid=memberships] tbody tr td:nth-child(3)').allInnerTexts()
  assert.ok(states.length > 0 && states.every((s) => s.trim() === '已申请'), states.join())
  // The operator's utilisation dashboard covers the instruments of the park's members.
  await page.goto(shared.server.url + '#/utilisation')
  await page.getByTestId('dashboard').waitFor()
  await page.getByLabel(/机构/).selectOption({ label: '河套深港科技创新合作区' })
  await page.getByTestId('dashboard').getByText('冷冻透射电子显微镜').waitFor()
  assert.match(await page.getByTestId('dashboard').innerText(), /冷冻透射电子显微镜/)
  await page.close()
  // The facility manager: the week's use of the instruments as a chart.
  const manager = await shared.browser.newPage()
  await logIn(manager, shared.server.url, 'facility')
  await manager.goto(shared.server.url + '#/')
  await manager.getByTestId('waiting').waitFor()
  // The demo's enterprise asked for the cryo-TEM: the manager was told and has it to approve.
  assert.match(await manager.getByTestId('wait-waitApprovals').innerText(), /1\s*项预约待审批/)
  assert.match(await manager.getByTestId('wait-waitNotifications').innerText(), /\d+\s*条未读通知/)
  // The enterprise's training on the diffractometer lapses within the month: the manager sees it.
  assert.match(await manager.getByTestId('wait-waitQualifications').innerText(), /1\s*项培训资格即将到期/)
  assert.match(await manager.getByTestId('lapsing').innerText(), /enterprise 的X射线衍射仪使用资格将于.+到期/)
  await manager.getByTestId('chart-use').first().locator('canvas').first().waitFor()
  await manager.getByTestId('chart-use').first().getByText('数据').click()
  await manager.getByTestId('chart-use').first().getByRole('link', { name: '冷冻透射电子显微镜' }).click()
  await manager.getByRole('heading', { level: 1, name: '冷冻透射电子显微镜' }).waitFor()
  await manager.close()
})

test('takes a membership through the settle-in workflow', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'operator')
  await page.goto(shared.server.url + '#/memberships')
  await page.getByLabel(/状态|State/).selectOption('applied')
  // The list holds applied memberships only once the filtered page has arrived.
  await page.waitForFunction(() => {
    const tags = [...document.querySelectorAll('[data-testid=memberships] .tag')]
    return tags.length > 0 && tags.every((tag) => tag.classList.contains('state-applied'))
  })
  await page.getByRole('button', { name: /^查看/ }).first().click()
  const state = page.getByTestId('state')
  for (const [next, label] of [['under_review', '审核中'], ['agreement_signed', '已签协议'], ['settled', '已入驻']]) {
    await page.getByLabel(/备注|Note/).fill('step ' + next)
    await page.getByTestId('move-' + next).click()
    await page.waitForFunction(
      ([selector, text]) => document.querySelector(selector)?.textContent === text,
      ['[data-testid=state]', label])
  }
  assert.equal(await state.innerText(), '已入驻')
  const history = await page.getByTestId('membership').locator('ol li').allInnerTexts()
  assert.equal(history.length, 4)
  assert.match(history[3], /operator/)
  // Suspending asks first; stepping back changes nothing.
  await page.getByTestId('move-suspended').click()
  const dialog = page.getByRole('dialog')
  assert.match(await dialog.innerText(), /确定将.+的入驻改为「已暂停」吗/)
  await dialog.getByRole('button', { name: '返回' }).click()
  await dialog.waitFor({ state: 'hidden' })
  assert.equal(await state.innerText(), '已入驻')
  await page.close()
})

test('an organisation admin is refused when editing another organisation', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'hkust')
  await page.goto(shared.server.url + '#/organizations')
  await page.locator('input[name=q]').fill('清华大学')
  await page.getByRole('button', { name: /搜索|Search/ }).click()
  await page.getByRole('link', { name: '清华大学', exact: true }).click()
  await page.getByRole('button', { name: /编辑|Edit/ }).click()
  await page.locator('input[name=website]').fill('https://hijacked.example')
  await page.getByRole('button', { name: /保存|Save/ }).click()
  const error = page.getByTestId('error')
  await error.waitFor()
  assert.match(await error.innerText(), /你没有权限/)  // the server's refusal, in the reader's language
  await page.close()
})

test('starts in the browser language until the user picks one', async () => {
  for (const [locale, organisations] of [['zh-CN', '机构'], ['zh-HK', '機構'], ['zh-TW', '機構'], ['en-US', 'Organisations']]) {
    const page = await shared.browser.newPage({ locale })
    await page.goto(shared.server.url + '#/organizations')
    await page.getByRole('navigation').getByRole('link', { name: organisations, exact: true }).waitFor()
    await page.close()
  }
  const page = await shared.browser.newPage({ locale: 'en-US' })
  await page.goto(shared.server.url + '#/organizations')
  await page.getByTestId('language').selectOption('zh-Hant')
  await page.reload()
  await page.getByRole('navigation').getByRole('link', { name: '機構', exact: true }).waitFor()
  await page.close()
})

test('an unknown page, or a record that does not exist, says so in the reader\'s language', async () => {
  const page = await shared.browser.newPage({ locale: 'zh-HK' })
  for (const path of ['no/such/page', 'organizations/org_nosuchrecord00', 'resources/res_nosuchrecord00',
                      'exchange/listings/lst_nosuchrecord00']) {
    await page.goto(shared.server.url + '#/' + path)
    await page.getByTestId('not-found').waitFor()
    assert.equal(await page.getByTestId('not-found').getByRole('heading').innerText(), '頁面不存在', path)
  }
  await page.close()
})
