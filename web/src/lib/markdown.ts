// A small markdown parser for guidelines and descriptions. It produces a tree that components
// render as elements and text nodes, so no HTML in the source can ever reach the DOM: raw HTML
// is shown as text, and links keep only http(s), mailto and relative targets.

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' };

export type Block =
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'p'; c: Inline[] }
  | { t: 'ul' | 'ol'; items: Inline[][] }
  | { t: 'pre'; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'hr' };

/** Returns the href if it is safe to follow, otherwise null. */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  // Strip control characters and whitespace browsers ignore inside schemes ("java\tscript:").
  const probe = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(probe);
  if (!scheme) return href.startsWith('//') ? null : href; // relative link
  return ['http', 'https', 'mailto'].includes(scheme[1]) ? href : null;
}

const kWordChar = /[\p{L}\p{N}]/u;

/** Whether the code point that ends just before `i` (or starts at `i`) is a letter or digit. */
function wordBefore(src: string, i: number): boolean {
  if (i <= 0) return false;
  const low = src.charCodeAt(i - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && i >= 2 ? i - 2 : i - 1;
  return kWordChar.test(String.fromCodePoint(src.codePointAt(start)!));
}
function wordAt(src: string, i: number): boolean {
  return i < src.length && kWordChar.test(String.fromCodePoint(src.codePointAt(i)!));
}

function underscoreRun(src: string, i: number): number {
  let n = 0;
  while (src[i + n] === '_') n++;
  return n;
}

/**
 * Where the `_` / `__` emphasis opened before `from` closes: a run of exactly `run` underscores
 * after a non-space and not followed by a letter or digit (as in CommonMark, underscores inside
 * words such as claim_type or window.__x never delimit emphasis). -1 when there is none.
 */
function underscoreCloser(src: string, from: number, run: number): number {
  for (let j = from; j < src.length; ) {
    if (src[j] !== '_') {
      j++;
      continue;
    }
    const n = underscoreRun(src, j);
    if (n === run && j > from && !/\s/.test(src[j - 1]) && !wordAt(src, j + n)) return j;
    j += n;
  }
  return -1;
}

export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\\' && i + 1 < src.length && /[\\`*_[\]()#+\-.!<>]/.test(src[i + 1])) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i) {
        flush();
        out.push({ t: 'code', v: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '_') {
      // Only a run of one (em) or two (strong) that does not start inside a word opens.
      const run = underscoreRun(src, i);
      if (run <= 2 && !wordBefore(src, i) && i + run < src.length && !/\s/.test(src[i + run])) {
        const end = underscoreCloser(src, i + run, run);
        if (end > i + run) {
          flush();
          const c = parseInline(src.slice(i + run, end));
          out.push(run === 2 ? { t: 'strong', c } : { t: 'em', c });
          i = end + run;
          continue;
        }
      }
      text += '_'.repeat(run);
      i += run;
      continue;
    }
    if (ch === '*' && src[i + 1] === ch) {
      const end = src.indexOf(ch + ch, i + 2);
      if (end > i + 2) {
        flush();
        out.push({ t: 'strong', c: parseInline(src.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if (ch === '*') {
      const end = src.indexOf(ch, i + 1);
      if (end > i + 1 && src[i + 1] !== ' ') {
        flush();
        out.push({ t: 'em', c: parseInline(src.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '[') {
      const m = /^\[([^\]]*)\]\(([^)\s]*)\)/.exec(src.slice(i));
      if (m) {
        flush();
        const href = safeHref(m[2]);
        const label = parseInline(m[1]);
        if (href !== null) out.push({ t: 'link', href, c: label });
        else out.push(...label);
        i += m[0].length;
        continue;
      }
    }
    if (ch === '\n') {
      // Two trailing spaces or a backslash make a hard break; otherwise a newline is a space.
      if (text.endsWith('  ')) {
        text = text.replace(/ +$/, '');
        flush();
        out.push({ t: 'br' });
      } else text += ' ';
      i++;
      continue;
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      blocks.push({ t: 'pre', v: body.join('\n') });
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      blocks.push({ t: 'h', level: h[1].length, c: parseInline(h[2]) });
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ t: 'hr' });
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) body.push(lines[i++].replace(/^\s*>\s?/, ''));
      blocks.push({ t: 'quote', c: parseMarkdown(body.join('\n')) });
      continue;
    }
    const listRe = /^\s*([-*+]|\d+[.)])\s+(.*)$/;
    const li = listRe.exec(line);
    if (li) {
      const ordered = /\d/.test(li[1]);
      const items: Inline[][] = [];
      let current: string[] = [];
      while (i < lines.length && lines[i].trim()) {
        const m = listRe.exec(lines[i]);
        if (m && /\d/.test(m[1]) === ordered) {
          if (current.length) items.push(parseInline(current.join('\n')));
          current = [m[2]];
        } else current.push(lines[i].trim());
        i++;
      }
      if (current.length) items.push(parseInline(current.join('\n')));
      blocks.push({ t: ordered ? 'ol' : 'ul', items });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i].trim() &&
      !/^(#{1,6})\s/.test(lines[i]) &&
      !/^\s*(```|~~~|>)/.test(lines[i]) &&
      !listRe.test(lines[i])
    )
      para.push(lines[i++]);
    blocks.push({ t: 'p', c: parseInline(para.join('\n')) });
  }
  return blocks;
}
