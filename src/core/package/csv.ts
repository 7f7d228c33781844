// RFC 4180 CSV for manifests and key files: quoted only when needed, CRLF line ends, and a parser for reading them back.

export type CsvCell = string | number | undefined;

function quoteCell(cell: CsvCell): string {
  const s = cell === undefined ? '' : String(cell);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header row then one row per record, every line ending in CRLF. */
export function formatCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(quoteCell).join(',')];
  for (const row of rows) lines.push(row.map(quoteCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Parses RFC 4180 text (CRLF or LF) into rows of cells, the header included. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 2;
      continue;
    }
    if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      cell += c;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      cell += c;
    }
    i++;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
