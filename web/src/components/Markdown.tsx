// Renders guidelines markdown as elements and text nodes (see lib/markdown.ts for why it is safe).
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { parseMarkdown, type Block, type Inline } from '../lib/markdown';

function renderInline(nodes: Inline[]): (JSX.Element | string)[] {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return n.v;
      case 'code':
        return <code key={i}>{n.v}</code>;
      case 'strong':
        return <strong key={i}>{renderInline(n.c)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(n.c)}</em>;
      case 'link':
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow">
            {renderInline(n.c)}
          </a>
        );
      case 'br':
        return <br key={i} />;
    }
  });
}

function renderBlock(b: Block, i: number): JSX.Element {
  switch (b.t) {
    case 'h': {
      const Tag = `h${Math.min(b.level + 2, 6)}` as 'h3'; // page headings own h1/h2
      return <Tag key={i}>{renderInline(b.c)}</Tag>;
    }
    case 'p':
      return <p key={i}>{renderInline(b.c)}</p>;
    case 'ul':
      return <ul key={i}>{b.items.map((it, j) => <li key={j}>{renderInline(it)}</li>)}</ul>;
    case 'ol':
      return <ol key={i}>{b.items.map((it, j) => <li key={j}>{renderInline(it)}</li>)}</ol>;
    case 'pre':
      return (
        <pre key={i}>
          <code>{b.v}</code>
        </pre>
      );
    case 'quote':
      return <blockquote key={i}>{b.c.map(renderBlock)}</blockquote>;
    case 'hr':
      return <hr key={i} />;
  }
}

export function Markdown({ source, class: cls }: { source: string | null | undefined; class?: string }) {
  const blocks = useMemo(() => parseMarkdown(source ?? ''), [source]);
  return <div class={`markdown ${cls ?? ''}`}>{blocks.map(renderBlock)}</div>;
}
