// Import helpers: format detection, a preview of the first rows, automatic column mapping, and
// splitting a file into byte-bounded batches so large uploads show progress and never hit one
// giant request (Argilla users ask for byte-balanced batches: argilla#2005, #2341).
import type { Field, ImportMapping, MetadataProperty } from '../api';
import { parseCsv } from './csv';

export type ImportFormat = 'csv' | 'jsonl';

export function detectFormat(fileName: string): ImportFormat {
  return /\.(jsonl|ndjson|json)$/i.test(fileName) ? 'jsonl' : 'csv';
}

export interface Preview {
  columns: string[];
  rows: Record<string, string>[];
  /** Problems found while previewing (bad JSON lines, ragged CSV rows), by data row. */
  problems: { row: number; message: string }[];
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The first `maxRows` data rows of a file prefix. `partial`: the text is cut from a larger file. */
export function previewText(text: string, format: ImportFormat, maxRows = 20, partial = false): Preview {
  const problems: Preview['problems'] = [];
  if (format === 'csv') {
    const rows = parseCsv(text, maxRows + 1, partial);
    if (rows.length === 0) return { columns: [], rows: [], problems: [{ row: 0, message: 'the file is empty' }] };
    const columns = rows[0].cells.map((c, i) => c.trim() || `column_${i + 1}`);
    const out = rows.slice(1).map((r, i) => {
      if (r.cells.length !== columns.length)
        problems.push({ row: i + 1, message: `has ${r.cells.length} cells, the header has ${columns.length}` });
      return Object.fromEntries(columns.map((c, j) => [c, r.cells[j] ?? '']));
    });
    return { columns, rows: out, problems };
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows: Record<string, string>[] = [];
  const lines = text.split(/\r?\n/);
  if (partial) lines.pop(); // may be cut off
  let row = 0;
  for (const line of lines) {
    if (rows.length >= maxRows) break;
    if (!line.trim()) continue;
    row++;
    try {
      const obj = JSON.parse(line) as unknown;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
        problems.push({ row, message: 'is not a JSON object' });
        continue;
      }
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
        if (!seen.has(k)) {
          seen.add(k);
          columns.push(k);
        }
        flat[k] = cellText(v);
      }
      rows.push(flat);
    } catch (e) {
      problems.push({ row, message: `is not valid JSON (${(e as Error).message})` });
    }
  }
  return { columns, rows, problems };
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Maps columns to fields and metadata by name, and picks an id column if there is one. */
export function autoMapping(columns: string[], fields: Pick<Field, 'name' | 'title'>[], metadata: Pick<MetadataProperty, 'name'>[]): ImportMapping {
  const byNorm = new Map(columns.map((c) => [norm(c), c]));
  const used = new Set<string>();
  const pick = (...names: string[]) => {
    for (const n of names) {
      const c = byNorm.get(norm(n));
      if (c && !used.has(c)) {
        used.add(c);
        return c;
      }
    }
    return undefined;
  };
  const mapping: ImportMapping = { fields: {}, metadata: {} };
  const id = pick('external_id', 'id', 'record_id', 'doc_id', 'patent_id');
  if (id) mapping.external_id = id;
  const spans = pick('spans', 'entities', 'suggestions');
  if (spans) mapping.spans = spans;
  for (const f of fields) {
    const c = pick(f.name, f.title);
    if (c) mapping.fields[f.name] = c;
  }
  // A lone text field takes the one text-like column when names differ ("claim" -> "text").
  if (fields.length === 1 && !mapping.fields[fields[0].name]) {
    const c = pick('text', 'claim', 'claims', 'content', 'body', 'sentence');
    if (c) mapping.fields[fields[0].name] = c;
  }
  for (const m of metadata) {
    const c = pick(m.name);
    if (c) mapping.metadata[m.name] = c;
  }
  return mapping;
}

export function mappingProblems(mapping: ImportMapping, fields: Pick<Field, 'name' | 'required'>[]): string[] {
  const problems: string[] = [];
  for (const f of fields) if (f.required && !mapping.fields[f.name]) problems.push(`Choose a column for the required field "${f.name}".`);
  if (Object.keys(mapping.fields).length === 0) problems.push('Map at least one column to a field.');
  return problems;
}

export interface Chunk {
  text: string;
  /** 1-based number, in the whole file, of the chunk's first data row. */
  firstRow: number;
  rows: number;
  /** The server names a row by the line it starts on in the text it got (header = line 1);
   * adding this gives the line in the whole file. */
  lineOffset: number;
}

function lineStarts(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Splits a whole file into chunks of at most about `maxChars` characters, on record boundaries;
 * every CSV chunk repeats the header line.
 */
export function splitIntoChunks(text: string, format: ImportFormat, maxChars = 1 << 20): Chunk[] {
  const chunks: Chunk[] = [];
  const lineOf = lineStarts(text);
  if (format === 'csv') {
    const rows = parseCsv(text);
    if (rows.length < 2) return [];
    const headerText = text.slice(rows[0].begin, rows[0].end);
    const header = headerText.replace(/\r?\n?$/, '\n');
    const headerLines = header.split('\n').length - 1;
    let start = 1;
    while (start < rows.length) {
      let end = start;
      let size = header.length;
      while (end < rows.length && (end === start || size + rows[end].end - rows[end].begin <= maxChars)) {
        size += rows[end].end - rows[end].begin;
        end++;
      }
      let body = text.slice(rows[start].begin, rows[end - 1].end);
      if (!/\n$/.test(body)) body += '\n';
      const lineOffset = lineOf(rows[start].begin) - (headerLines + 1);
      chunks.push({ text: header + body, firstRow: start, rows: end - start, lineOffset });
      start = end;
    }
    return chunks;
  }
  // JSONL: chunks are runs of whole lines (blank ones kept, so line numbers stay true).
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  let row = 0;
  while (i < lines.length) {
    let size = 0;
    const begin = i;
    let rowsHere = 0;
    while (i < lines.length && (i === begin || size + lines[i].length + 1 <= maxChars)) {
      size += lines[i].length + 1;
      if (lines[i].trim()) rowsHere++;
      i++;
    }
    if (rowsHere === 0) continue;
    chunks.push({ text: `${lines.slice(begin, i).join('\n')}\n`, firstRow: row + 1, rows: rowsHere, lineOffset: begin });
    row += rowsHere;
  }
  return chunks;
}
