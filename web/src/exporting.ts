// A table exported as the reader sees it: the same columns, headers and words, in their language.
// CSV is UTF-8 with a byte-order mark (so Excel opens Chinese as Chinese) and a cell that a
// spreadsheet would run as a formula (= + - @) is prefixed with an apostrophe; XLSX is written by
// write-excel-file, loaded only when someone asks for it.
export interface ExportColumn<T> { header: string; value: (row: T) => string | number }
export type ExportFormat = 'csv' | 'xlsx'

function csvCell(value: string | number): string {
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = "'" + text
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text
}

export function toCsv<T>(columns: ExportColumn<T>[], rows: T[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')]
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','))
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

export async function exportRows<T>(format: ExportFormat, name: string, columns: ExportColumn<T>[], rows: T[]) {
  if (format === 'csv') {
    download(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }), name + '.csv')
    return
  }
  const { default: writeXlsxFile } = await import('write-excel-file/browser')
  const header = columns.map((c) => ({ value: c.header, fontWeight: 'bold' as const }))
  const body = rows.map((row) => columns.map((c) => ({ value: c.value(row) })))
  const blob = await writeXlsxFile([header, ...body], {
    columns: columns.map(() => ({ width: 24 })), stickyRowsCount: 1,
  }).toBlob()
  download(blob, name + '.xlsx')
}
