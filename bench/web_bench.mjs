// The web app's weight and first load: the built bundle's files (raw and gzip) and, on the demo
// server on this machine, the first contentful paint and the time until the organisation list
// shows its rows, each from a fresh browser context (no cache), in Chinese. Needs a release build
// and web/dist (scripts/build.sh). Usage: node bench/web_bench.mjs [loads, default 7]. Prints
// Markdown.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { logIn, root, startBrowser, startServer } from '../tests/e2e/harness.mjs'

const loads = Number(process.argv[2] ?? 7)
const assets = path.join(root, 'web/dist/assets')
let raw = 0, gzip = 0
const entry = []
for (const name of fs.readdirSync(assets)) {
  const bytes = fs.readFileSync(path.join(assets, name))
  const packed = zlib.gzipSync(bytes, { level: 9 }).length
  raw += bytes.length
  gzip += packed
  if (name.startsWith('index-')) entry.push(`${name}: ${bytes.length} B, ${packed} B gzip`)
}
console.log(`| bundle | files | raw | gzip |\n|---|---|---|---|`)
console.log(`| all assets | ${fs.readdirSync(assets).length} | ${raw} B | ${gzip} B |`)
console.log(`\nFirst load (${entry.join('; ')}):`)

const server = await startServer()
const browser = await startBrowser()
const paints = [], lists = []
for (let i = 0; i < loads; i++) {
  const context = await browser.newContext({ locale: 'zh-CN' })
  const page = await context.newPage()
  const started = Date.now()
  await page.goto(server.url + '#/organizations')
  await page.getByTestId('total').waitFor()
  lists.push(Date.now() - started)
  paints.push(await page.evaluate(() =>
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN))
  await context.close()
}
// The park operator's home with its charts drawn, signed in, with the browser's cache emptied first
// (the session stays; every asset is fetched again).
const homes = []
for (let i = 0; i < loads; i++) {
  const context = await browser.newContext({ locale: 'zh-CN' })
  const page = await context.newPage()
  await logIn(page, server.url, 'operator')
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.clearBrowserCache')
  await page.goto('about:blank')
  const started = Date.now()
  await page.goto(server.url + '#/')
  await page.getByTestId('chart-stages').first().locator('canvas').first().waitFor()
  homes.push(Date.now() - started)
  await context.close()
}
await browser.close()
await server.stop()
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
console.log(`\n| measure (median of ${loads} cold loads) | ms |\n|---|---|`)
console.log(`| first contentful paint | ${Math.round(median(paints))} |`)
console.log(`| organisation list shown | ${median(lists)} |`)
console.log(`| operator's home with its charts drawn (signed in, cache emptied) | ${median(homes)} |`)
