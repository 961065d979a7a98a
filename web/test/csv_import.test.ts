import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/lib/csv';
import { autoMapping, detectFormat, mappingProblems, previewText, splitIntoChunks } from '../src/lib/importFile';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, embedded newlines, CRLF and a BOM', () => {
    const rows = parseCsv('\ufeffid,text\r\n1,"a, ""b""\nc"\r\n2,plain\n');
    expect(rows.map((r) => r.cells)).toEqual([
      ['id', 'text'],
      ['1', 'a, "b"\nc'],
      ['2', 'plain'],
    ]);
  });

  it('drops a possibly cut last row of a prefix and skips blank lines', () => {
    expect(parseCsv('a\n1\n\n2\n3', Infinity, true).map((r) => r.cells[0])).toEqual(['a', '1', '2']);
    expect(parseCsv('a\n1\n\n2\n3').map((r) => r.cells[0])).toEqual(['a', '1', '2', '3']);
  });
});

describe('import preview and mapping', () => {
  it('detects the format from the file name', () => {
    expect(detectFormat('claims.CSV')).toBe('csv');
    expect(detectFormat('claims.jsonl')).toBe('jsonl');
    expect(detectFormat('claims.ndjson')).toBe('jsonl');
  });

  it('previews CSV and reports ragged rows', () => {
    const p = previewText('patent_id,claim,year\n1,A device,2001\n2,short\n', 'csv');
    expect(p.columns).toEqual(['patent_id', 'claim', 'year']);
    expect(p.rows[0]).toEqual({ patent_id: '1', claim: 'A device', year: '2001' });
    expect(p.problems).toEqual([{ row: 2, message: 'has 2 cells, the header has 3' }]);
  });

  it('previews JSONL with bad lines reported', () => {
    const p = previewText('{"text":"κ 😀","meta":{"a":1}}\nnot json\n[1]\n{"text":"b","id":"x"}\n', 'jsonl');
    expect(p.columns).toEqual(['text', 'meta', 'id']);
    expect(p.rows).toHaveLength(2);
    expect(p.rows[0].meta).toBe('{"a":1}');
    expect(p.problems.map((x) => x.row)).toEqual([2, 3]);
  });

  it('maps columns by name, a lone text field to a claim column, and an id column', () => {
    const m = autoMapping(['patent_id', 'claim', 'Year'], [{ name: 'text', title: 'Text' }], [{ name: 'year' }]);
    expect(m).toEqual({ fields: { text: 'claim' }, metadata: { year: 'Year' }, external_id: 'patent_id' });
    expect(autoMapping(['text', 'spans'], [{ name: 'text', title: 'T' }], [])).toEqual({ fields: { text: 'text' }, metadata: {}, spans: 'spans' });
    expect(mappingProblems(m, [{ name: 'text', required: true }])).toEqual([]);
    expect(mappingProblems({ fields: {}, metadata: {} }, [{ name: 'text', required: true }])).toHaveLength(2);
  });

  it('splits CSV on record boundaries, repeating the header, with row numbers', () => {
    const text = 'id,text\n1,"multi\nline"\n2,bb\n3,cc\n';
    const chunks = splitIntoChunks(text, 'csv', 12);
    expect(chunks.map((c) => [c.firstRow, c.rows, c.lineOffset])).toEqual([
      [1, 1, 0],
      [2, 1, 2],
      [3, 1, 3],
    ]);
    // The server names rows by their line in the chunk (header = 1): line 2 of chunk 2 is line 4.
    expect(2 + chunks[1].lineOffset).toBe(4);
    expect(chunks[0].text).toBe('id,text\n1,"multi\nline"\n');
    const one = splitIntoChunks(text, 'csv');
    expect(one).toHaveLength(1);
    expect(one[0].text).toBe(text);
    expect(one[0].rows).toBe(3);
  });

  it('splits JSONL by lines, keeping file line numbers', () => {
    const chunks = splitIntoChunks('{"a":1}\n\n{"a":2}\r\n{"a":3}', 'jsonl', 10);
    expect(chunks.map((c) => [c.firstRow, c.rows, c.lineOffset])).toEqual([
      [1, 1, 0],
      [2, 1, 2],
      [3, 1, 3],
    ]);
    expect(chunks[1].text).toBe('{"a":2}\r\n');
  });
});
