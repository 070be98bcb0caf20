// Starts a real parkhub server (demo network, fresh data dir, port 0) and a headless Debian
// Chromium driven by playwright-core. Nothing is downloaded: the browser is /usr/bin/chromium.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
export const root = path.resolve(here, '../..')
const require = createRequire(path.join(root, 'web/package.json'))
const { chromium } = require('playwright-core')

export const PASSWORD = 'e2e-password-123'

// Where the browser tests leave a screenshot of each page they read (CI keeps the folder as an
// artifact; git ignores it).
export const SCREENSHOTS = path.join(root, 'artifacts/screenshots')

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, name.replace(/[^A-Za-z0-9_-]+/g, '-') + '.png') })
}

export async function startServer() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parkhub-e2e-'))
  const binary = process.env.PARKHUB_BINARY ?? path.join(root, 'build/release/src/app/parkhub')
  const child = spawn(binary, ['--data-dir', dataDir, 'serve', '--demo', '--port', '0',
                               '--demo-data', path.resolve(root, '../shared/data/orgs'),
                               '--web-root', path.join(root, 'web/dist')], {
    env: { PARKHUB_LEXICON_PATH: path.join(root, 'build/lexicon/cedict_ts.u8'), ...process.env,
           PARKHUB_DEMO_PASSWORD: PASSWORD, PARKHUB_PASSWORD_COST: 'min' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
      const match = output.match(/listening on (http:\/\/[^\s]+)/)
      if (match) resolve(match[1])
    })
    child.on('exit', (code) => reject(new Error('parkhub exited with ' + code + ': ' + output)))
  })
  return {
    url,
    dataDir,
    binary,
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export async function logIn(page, url, username) {
  await page.goto(url + '#/login')
  await page.getByLabel(/用户名|用戶名|Username/).fill(username)
  await page.getByLabel(/密码|密碼|Password/).fill(PASSWORD)
  await page.getByRole('button', { name: /登录|登入|Log in/ }).click()
  await page.getByTestId('signed-in').waitFor()
}

// Retries an assertion until it holds or `timeout` ms have passed, then throws its last failure:
// for what a page shows once a request it sent has come back and been rendered.
export async function eventually(check, timeout = 10000) {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

// Every page of a test file opens as a zh-CN browser's (the park's staff read Chinese; a test
// may ask for another locale) and reports what the Content-Security-Policy refused: the app must
// work with no inline script or style, so any refusal fails the file.
function watchForCspRefusals(browser, refusals) {
  const newPage = browser.newPage.bind(browser)
  browser.newPage = async (options = {}) => {
    const page = await newPage({ locale: 'zh-CN', ...options })
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusals.push(message.text())
    })
    return page
  }
}

// Registers before/after hooks that start one server and one browser for a test file.
export function useServerAndBrowser(before, after) {
  const shared = { cspRefusals: [] }
  before(async () => {
    shared.server = await startServer()
    shared.browser = await startBrowser()
    watchForCspRefusals(shared.browser, shared.cspRefusals)
  })
  after(async () => {
    await shared.browser?.close()
    await shared.server?.stop()
    assert.deepEqual(shared.cspRefusals, [], 'the Content-Security-Policy refused something')
  })
  return shared
}
