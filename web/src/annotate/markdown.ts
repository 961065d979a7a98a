// A small, safe markdown reader for dataset guidelines. It yields a tree of plain nodes that the view
// renders as elements with text children, so no string from the guidelines is ever parsed as HTML.
// Covered: headings, paragraphs, bullet and numbered lists, block quotes, fenced code, rules,
// **bold**, *italic*, `code` and [links](https://...) (http, https and mailto only).

export type MdInline = string | { tag: "strong" | "em" | "code"; children: MdInline[] } | { tag: "a"; href: string; children: MdInline[] };
export type MdBlock =
  | { tag: "h1" | "h2" | "h3" | "h4" | "p" | "blockquote"; children: MdInline[] }
  | { tag: "ul" | "ol"; items: MdInline[][] }
  | { tag: "pre"; text: string }
  | { tag: "hr" };

export function parseMarkdown(src: string): MdBlock[] {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const out: MdBlock[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push({ tag: "p", children: parseInline(para.join(" ")) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t.startsWith("```")) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith("```"); i++) code.push(lines[i]);
      out.push({ tag: "pre", text: code.join("\n") });
      continue;
    }
    if (t === "") {
      flush();
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(t);
    if (h) {
      flush();
      out.push({ tag: `h${h[1].length}` as "h1", children: parseInline(h[2].replace(/\s+#+$/, "")) });
      continue;
    }
    if (/^([-*_])(\s*\1){2,}$/.test(t)) {
      flush();
      out.push({ tag: "hr" });
      continue;
    }
    const bullet = /^[-*+]\s+(.*)$/.exec(t);
    const num = /^\d+[.)]\s+(.*)$/.exec(t);
    if (bullet || num) {
      flush();
      const tag = bullet ? "ul" : "ol";
      const items: MdInline[][] = [parseInline((bullet ?? num)![1])];
      const re = bullet ? /^[-*+]\s+(.*)$/ : /^\d+[.)]\s+(.*)$/;
      while (i + 1 < lines.length && re.test(lines[i + 1].trim())) items.push(parseInline(re.exec(lines[++i].trim())![1]));
      out.push({ tag, items });
      continue;
    }
    if (t.startsWith(">")) {
      flush();
      const q: string[] = [t.replace(/^>\s?/, "")];
      while (i + 1 < lines.length && lines[i + 1].trim().startsWith(">")) q.push(lines[++i].trim().replace(/^>\s?/, ""));
      out.push({ tag: "blockquote", children: parseInline(q.join(" ")) });
      continue;
    }
    para.push(t);
  }
  flush();
  return out;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

export function parseInline(s: string): MdInline[] {
  const out: MdInline[] = [];
  let text = "";
  const push = (n: MdInline) => {
    if (text) out.push(text);
    text = "";
    out.push(n);
  };
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^`([^`]+)`/.exec(rest))) {
      push({ tag: "code", children: [m[1]] });
    } else if ((m = /^\*\*(.+?)\*\*/.exec(rest)) || (m = /^__(.+?)__/.exec(rest))) {
      push({ tag: "strong", children: parseInline(m[1]) });
    } else if ((m = /^\*([^*\s][^*]*?)\*/.exec(rest)) || (m = /^_([^_\s][^_]*?)_(?![\p{L}\p{N}])/u.exec(rest))) {
      push({ tag: "em", children: parseInline(m[1]) });
    } else if ((m = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest))) {
      // Unsafe schemes (javascript:, data:) keep only their text.
      if (SAFE_URL.test(m[2])) push({ tag: "a", href: m[2], children: parseInline(m[1]) });
      else text += m[1];
    } else if (s[i] === "\\" && i + 1 < s.length) {
      text += s[i + 1];
      i += 2;
      continue;
    } else {
      text += s[i];
      i++;
      continue;
    }
    i += m[0].length;
  }
  if (text) out.push(text);
  return out;
}
