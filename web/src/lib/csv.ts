// RFC 4180 CSV reading for the import preview and for splitting uploads into batches: quoted
// fields with doubled quotes, embedded newlines, CRLF or LF, a leading BOM.

export interface CsvRow {
  cells: string[];
  /** Offset of the row's first character in the text, and one past its line end. */
  begin: number;
  end: number;
}

/**
 * Reads up to `maxRows` rows. With `partial` (a prefix of a larger file), a last row that might
 * be cut off is left out.
 */
export function parseCsv(text: string, maxRows = Infinity, partial = false): CsvRow[] {
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n && rows.length < maxRows) {
    const begin = i;
    const cells: string[] = [];
    let cell = '';
    let complete = false;
    for (;;) {
      if (i >= n) {
        cells.push(cell);
        break;
      }
      const ch = text[i];
      if (ch === '"' && cell === '') {
        // Quoted field: runs to the next lone quote.
        i++;
        let closed = false;
        while (i < n) {
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          cell += text[i++];
        }
        if (!closed) {
          cells.push(cell);
          break;
        }
        continue;
      }
      if (ch === ',') {
        cells.push(cell);
        cell = '';
        i++;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        cells.push(cell);
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        complete = true;
        break;
      }
      cell += ch;
      i++;
    }
    if (!complete && partial) break;
    // A blank line is no record.
    if (!(cells.length === 1 && cells[0] === '' && i - begin <= 2)) rows.push({ cells, begin, end: i });
  }
  return rows;
}
