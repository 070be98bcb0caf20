// Every word the web app shows exists in all three languages: the same keys in
// web/src/locales/{zh-Hans,zh-Hant,en}.json, none empty, the same named parameters in each
// language's version of a message, and every key the code asks for by a literal name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')
const locales = Object.fromEntries(['zh-Hans', 'zh-Hant', 'en'].map((name) =>
  [name, JSON.parse(fs.readFileSync(path.join(root, 'web/src/locales', name + '.json'), 'utf8'))]))
const parameters = (message) => [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort().join(',')

test('the three languages have the same keys, none empty, with the same parameters', () => {
  const keys = Object.keys(locales.en).sort()
  for (const [name, messages] of Object.entries(locales)) {
    assert.deepEqual(Object.keys(messages).sort(), keys, `${name} has other keys than en`)
    for (const key of keys) {
      assert.ok(messages[key].trim() !== '' || key === 'listSeparator', `${name}.${key} is empty`)
      assert.equal(parameters(messages[key]), parameters(locales.en[key]), `${name}.${key}: parameters differ`)
    }
  }
})

test('every key the code names is in the locales', () => {
  const files = []
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.(vue|ts)$/.test(entry.name)) files.push(full)
    }
  }
  walk(path.join(root, 'web/src'))
  const missing = new Set()
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([A-Za-z0-9_]+)'\s*[,)]/g)) {
      if (!(m[1] in locales.en)) missing.add(`${m[1]} (${path.basename(file)})`)
    }
  }
  assert.deepEqual([...missing], [])
})
