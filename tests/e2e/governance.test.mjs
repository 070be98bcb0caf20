// Cross-border governance in the browser, as the demo's people use it: a researcher's sample of
// unknown risk is refused with the rule's reason and the document it cites; a genome-data request
// needs the compliance officer and the park operator, and gets both; the audit ledger's entries
// verify in the browser, and a row edited in the database makes `parkhub audit verify` fail; a
// proposed policy version shows what it would change and comes into force once two roles approve.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { logIn, screenshot, useServerAndBrowser } from './harness.mjs'

const shared = useServerAndBrowser(before, after)

async function draft(page, kind, title, choices, numbers = {}) {
  await page.goto(shared.server.url + '#/governance/new')
  await page.getByTestId('flow-form').waitFor()
  await page.locator('select[name="kind"]').selectOption(kind)
  await page.locator('input[name="title"]').fill(title)
  for (const [name, value] of Object.entries(choices)) await page.locator(`select[name="${name}"]`).selectOption(value)
  for (const [name, value] of Object.entries(numbers)) await page.locator(`input[name="${name}"]`).fill(String(value))
  await page.getByRole('button', { name: '保存草稿' }).click()
  await page.getByTestId('flow-request').waitFor()
}

test('a researcher\'s sample of unknown risk is refused with its reason', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'researcher')
  await draft(page, 'material', '未知风险样本送港', {
    direction: 'to_hong_kong', line: 'first', channel: 'cargo', 'material.class': 'pathogen',
    'material.risk_grade': 'unknown', 'material.hgr': 'false', 'material.bonded': 'false', 'material.hand_carried': 'false',
  })
  assert.equal(await page.getByTestId('outcome').textContent(), '禁止', 'the draft shows what it would get')
  await page.getByTestId('submit-flow').click()
  await page.getByTestId('flow-state').filter({ hasText: '未获准' }).waitFor()
  const reason = await page.getByTestId('reason').first().textContent()
  assert.match(reason, /风险未知的病原微生物不适用便利措施/)
  assert.match(reason, /署贸函〔2024〕236号/)
  await screenshot(page, 'zh-CN-researcher-flow-refused')
  await page.close()
})

test('a genome-data request needs two roles outside the hospital and gets them', async () => {
  const researcher = await shared.browser.newPage()
  await logIn(researcher, shared.server.url, 'researcher')
  await draft(researcher, 'data', '基因组数据送港分析', {
    direction: 'to_hong_kong', 'data.category': 'hgr_information', 'data.personal_information': 'true',
    'data.important': 'false',
  }, { 'data.genome_people': 900 })
  await researcher.getByTestId('submit-flow').click()
  await researcher.getByTestId('flow-state').filter({ hasText: '待审批' }).waitFor()
  const requestUrl = researcher.url()
  assert.equal(await researcher.getByTestId('approve-flow').count(), 0, 'the requester does not approve')
  await researcher.close()

  for (const [user, state] of [['compliance', '待审批'], ['operator', '已批准']]) {
    const page = await shared.browser.newPage()
    await logIn(page, shared.server.url, user)
    await page.goto(shared.server.url + '#/governance?view=queue')
    await page.getByRole('link', { name: '基因组数据送港分析' }).click()
    await page.getByTestId('approve-flow').click()
    await page.getByTestId('flow-state').filter({ hasText: state }).waitFor()
    await screenshot(page, `zh-CN-${user}-flow-approved`)
    await page.close()
  }
  const page = await shared.browser.newPage({ locale: 'zh-HK' })
  await logIn(page, shared.server.url, 'researcher')
  await page.goto(requestUrl)
  await page.getByTestId('flow-state').filter({ hasText: '已批准' }).waitFor()
  assert.equal(await page.getByTestId('approvals').locator('li').count(), 2)
  await page.close()
})

test('the ledger verifies in the browser and as a regulator\'s bundle, and an edited row fails audit verify', async () => {
  const page = await shared.browser.newPage({ acceptDownloads: true })
  await logIn(page, shared.server.url, 'compliance')
  await page.goto(shared.server.url + '#/governance/ledger')
  // Entries are signed within a second of being written.
  for (let tries = 0; tries < 20; tries++) {
    await page.getByTestId('ledger-entries').waitFor()
    if (await page.getByTestId('verify-entry').count()) break
    await page.waitForTimeout(500)
    await page.reload()
  }
  await page.getByTestId('verify-entry').first().click()
  assert.equal((await page.getByTestId('verdict').first().textContent()).trim(), '已在浏览器中校验')
  await screenshot(page, 'zh-CN-compliance-ledger')
  // The regulator's bundle, downloaded here and checked offline with the ledger's key.
  const { binary, dataDir } = shared.server
  const key = await page.evaluate(async () => (await (await fetch('/api/v1/ledger/checkpoint')).json()).verifier_key)
  const downloaded = page.waitForEvent('download')
  await page.getByTestId('ledger-export').click()
  const bundle = await (await downloaded).path()
  const checked = spawnSync(binary, ['audit', 'verify-bundle', bundle, '--verifier-key', key], { encoding: 'utf8' })
  assert.equal(checked.status, 0, checked.stdout + checked.stderr)
  assert.match(checked.stdout, /Bundle intact/)
  await page.close()

  const verify = () => spawnSync(binary, ['--data-dir', dataDir, 'audit', 'verify'], { encoding: 'utf8' })
  assert.equal(verify().status, 0, 'intact before the edit')
  const db = path.join(dataDir, 'parkhub.db')
  execFileSync('sqlite3', [db, "UPDATE ledger_entries SET leaf = REPLACE(leaf, 'deny', 'allow') WHERE kind = 'flow_decided' AND leaf LIKE '%deny%' AND leaf_index IS NOT NULL"])
  const tampered = verify()
  assert.equal(tampered.status, 1)
  assert.match(tampered.stdout + tampered.stderr, /edited_entry/)
})

test('a compliance officer imports a whitelist file whole, after a bad one wrote nothing', async () => {
  const page = await shared.browser.newPage()
  await logIn(page, shared.server.url, 'compliance')
  await page.goto(shared.server.url + '#/governance/whitelist')
  await page.getByTestId('whitelist').waitFor()
  const rowsBefore = await page.getByTestId('whitelist').locator('tbody tr').count()
  const header = 'list,subject,kinds,directions,lines,channels,valid_from,valid_until,authority,document\n'
  const good = 'material_class,reagent,material,to_mainland,first,cargo,2026-01-01,2027-12-31,深圳海关,深关〔2026〕示例9号\n'
  const upload = (text) => page.locator('input[name="csv"]').setInputFiles({ name: 'whitelist.csv', mimeType: 'text/csv', buffer: Buffer.from(text) })
  await upload(header + good + 'organisation,,gold,,,,2026-01-01,2025-01-01,深圳海关,x\n')
  await page.getByRole('button', { name: '导入', exact: true }).click()
  const issues = await page.getByTestId('import-issues').textContent()
  assert.match(issues, /第 3 行：对象：必填|第 3 行/)
  assert.doesNotMatch(issues, /required|valid_until/, 'the problems are told in Chinese')
  await screenshot(page, 'zh-CN-compliance-whitelist-import-refused')
  await upload(header + good)
  await page.getByRole('button', { name: '导入', exact: true }).click()
  await page.getByTestId('whitelist').locator('tbody tr').nth(rowsBefore).waitFor()
  assert.equal(await page.getByTestId('whitelist').locator('tbody tr').count(), rowsBefore + 1)
  await page.close()
})

test('the compliance officer is reminded of a whitelist entry lapsing within 30 days', async () => {
  const page = await shared.browser.newPage({ locale: 'zh-HK' })
  await logIn(page, shared.server.url, 'compliance')
  await page.goto(shared.server.url + '#/notifications')
  const notice = page.getByTestId('notifications').getByText(/香港科技大學深圳研究院的白名單（資金通道/)
  await notice.waitFor()
  assert.match(await notice.innerText(), /將於 .+ 到期，請及時續期/)
  assert.doesNotMatch(await notice.innerText(), /T\d\d:\d\d|fund_channel/)
  await page.close()
})

test('a proposed policy version shows what it would change, and comes into force once two roles approve', async () => {
  const compliance = await shared.browser.newPage()
  await logIn(compliance, shared.server.url, 'compliance')
  await compliance.goto(shared.server.url + '#/governance/policies')
  const versions = compliance.getByTestId('policy-versions')
  await versions.waitFor()
  assert.match(await versions.innerText(), /生效中/)
  // The demo's proposal raises the genome-data review threshold from 500 people to 1,000.
  await versions.locator('tr', { hasText: '待批准' }).getByRole('link').click()
  await compliance.getByTestId('policy-version').waitFor()
  const diff = await compliance.getByTestId('policy-diff').innerText()
  assert.match(diff, /修改的规则/)
  assert.match(diff, /超过1000人的外显子组或基因组数据/)
  // The changed condition itself, in words, not only the rule's new reason.
  const change = await compliance.getByTestId('rule-change').innerText()
  assert.match(change, /不再要求：外显子组或基因组数据涉及人数超过500/)
  assert.match(change, /改为：外显子组或基因组数据涉及人数超过1000/)
  const shadow = compliance.getByTestId('policy-shadow')
  assert.match(await shadow.innerText(), /试运行：近 90 天提交的 \d+ 项申请/)
  await shadow.getByRole('link', { name: '肝癌队列全基因组数据共享' }).waitFor()
  assert.match(await shadow.innerText(), /需审批/, 'what the requests got then, beside what they would get')
  assert.match(await compliance.getByTestId('policy-analysis').innerText(), /每条规则都可能起作用/)
  await screenshot(compliance, 'zh-CN-compliance-policy-review')
  await compliance.getByTestId('approve-policy').click()
  await compliance.getByTestId('policy-approvals').locator('li').first().waitFor()
  assert.equal(await compliance.getByTestId('policy-state').textContent(), '待批准', 'one role is not enough')
  const versionUrl = compliance.url()
  await compliance.close()

  const operator = await shared.browser.newPage({ locale: 'zh-HK' })
  await logIn(operator, shared.server.url, 'operator')
  await operator.goto(versionUrl)
  await operator.getByTestId('approve-policy').click()
  await operator.getByTestId('policy-state').filter({ hasText: '生效中' }).waitFor()
  // The hospital's request pending under the old version is decided again by the new one.
  const researcher = await shared.browser.newPage()
  await logIn(researcher, shared.server.url, 'researcher')
  await researcher.goto(shared.server.url + '#/notifications')
  await researcher.getByTestId('notifications').getByText(/新的跨境政策已生效：「肝癌队列全基因组数据共享」已重新判定/).click()
  await researcher.getByTestId('flow-request').waitFor()
  assert.doesNotMatch(await researcher.getByTestId('flow-state').innerText(), /待审批/)
  await researcher.close()
  await operator.goto(shared.server.url + '#/governance/policies')
  assert.match(await operator.getByTestId('policy-versions').innerText(), /已被取代/)
  await operator.close()
})
