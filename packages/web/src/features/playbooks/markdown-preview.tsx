import type { ReactNode } from "react";

/**
 * A small, safe Markdown preview for step instructions: paragraphs, "- " lists, **bold**, *italic* and
 * `code`, built as React elements (no HTML is ever injected, so instructions cannot carry script).
 */
export function MarkdownPreview({ text }: { text: string }) {
  const blocks = text.split(/\n{2,}/).filter((b) => b.trim() !== "");
  return (
    <div className="pb-preview" data-testid="markdown-preview">
      {blocks.map((block, i) => {
        const lines = block.split("\n");
        if (lines.every((l) => /^\s*[-*] /.test(l)))
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity besides their order.
            <ul key={i}>
              {lines.map((l, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity besides their order.
                <li key={j}>{inline(l.replace(/^\s*[-*] /, ""))}</li>
              ))}
            </ul>
          );
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity besides their order.
        return <p key={i}>{inline(lines.join(" "))}</p>;
      })}
    </div>
  );
}

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*]+\*)/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const token = m[0];
    if (token.startsWith("**")) out.push(<strong key={at}>{token.slice(2, -2)}</strong>);
    else if (token.startsWith("`")) out.push(<code key={at}>{token.slice(1, -1)}</code>);
    else out.push(<em key={at}>{token.slice(1, -1)}</em>);
    last = at + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
