import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../src/components/Markdown';
import { parseInline, parseMarkdown, safeHref } from '../src/lib/markdown';

const kProbe = '<img src=x onerror="window.__xss=1">';

describe('markdown', () => {
  it('parses headings, lists, code, quotes and emphasis', () => {
    const blocks = parseMarkdown('# Title\n\nSome **bold** and *em* and `code`.\n\n- a\n- b\n\n1. one\n2. two\n\n> quoted\n\n```\nx < y\n```\n---');
    expect(blocks.map((b) => b.t)).toEqual(['h', 'p', 'ul', 'ol', 'quote', 'pre', 'hr']);
    expect(parseInline('**b** *e*')).toEqual([
      { t: 'strong', c: [{ t: 'text', v: 'b' }] },
      { t: 'text', v: ' ' },
      { t: 'em', c: [{ t: 'text', v: 'e' }] },
    ]);
  });

  it('keeps only safe link targets', () => {
    expect(safeHref('https://example.com/a')).toBe('https://example.com/a');
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeHref('#/datasets')).toBe('#/datasets');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('JaVa\tScRiPt:alert(1)')).toBeNull();
    expect(safeHref(' data:text/html,<b>')).toBeNull();
    expect(safeHref('//evil.example')).toBeNull();
    expect(parseInline('[x](javascript:alert)')).toEqual([{ t: 'text', v: 'x' }]);
  });

  it('renders raw HTML as text, never as elements', () => {
    const host = document.createElement('div');
    render(<Markdown source={`${kProbe}\n\n**${kProbe}**\n\n- ${kProbe}\n\n[${kProbe}](https://x.y)`} />, host);
    expect(host.querySelector('img')).toBeNull();
    expect(host.textContent).toContain('<img src=x onerror=');
    expect(host.querySelectorAll('a')[0].getAttribute('href')).toBe('https://x.y');
    expect(host.querySelector('a')?.getAttribute('rel')).toContain('noopener');
  });

  it('never takes underscores inside words for emphasis', () => {
    expect(parseInline('use claim_type or tech_area')).toEqual([{ t: 'text', v: 'use claim_type or tech_area' }]);
    expect(parseInline('window.__xss=1; window.__xss=2')).toEqual([{ t: 'text', v: 'window.__xss=1; window.__xss=2' }]);
    expect(parseInline('_em_ and __strong__ and snake_case_name')).toEqual([
      { t: 'em', c: [{ t: 'text', v: 'em' }] },
      { t: 'text', v: ' and ' },
      { t: 'strong', c: [{ t: 'text', v: 'strong' }] },
      { t: 'text', v: ' and snake_case_name' },
    ]);
    expect(parseInline('κ_x_ 𝑥_y_ (_z_)')).toEqual([
      { t: 'text', v: 'κ_x_ 𝑥_y_ (' },
      { t: 'em', c: [{ t: 'text', v: 'z' }] },
      { t: 'text', v: ')' },
    ]);
    expect(parseInline('___ and _ x_')).toEqual([{ t: 'text', v: '___ and _ x_' }]);
    // The whole XSS probe reads back as itself.
    const probe = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>';
    expect(parseInline(probe)).toEqual([{ t: 'text', v: probe }]);
  });

  it('treats CRLF like LF and keeps astral characters', () => {
    const blocks = parseMarkdown('line one\r\nline two 𝑥 😀\r\n\r\npara');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toEqual({ t: 'p', c: [{ t: 'text', v: 'line one line two 𝑥 😀' }] });
  });
});
