/** A searchable piece of a knowledge file, with where it came from. */
export interface Passage {
  id: number;
  /** Headings above the passage, outermost first, joined with " › " ("Returns › Refunds"). */
  title: string;
  text: string;
  /** Path of the file relative to the agent's directory. */
  file: string;
  /** 1-based line where the passage starts. */
  line: number;
}

/** An ATX heading's opening: its level and the start of its text. */
const HEADING_OPEN = /^(#{1,6})\s+/;

/**
 * `## Title ##` → level 2, "Title". Parsed in two linear steps: the one-regex form (`^(#{1,6})\s+(.+?)\s*#*\s*$`)
 * backtracks cubically and took minutes on a 10 KB line.
 */
export function parseHeading(line: string): { level: number; title: string } | undefined {
  const open = HEADING_OPEN.exec(line);
  if (!open) return undefined;
  let end = line.length;
  while (end > open[0].length && /\s/.test(line[end - 1] as string)) end--;
  while (end > open[0].length && line[end - 1] === "#") end--;
  const title = line.slice(open[0].length, end).trim();
  return title ? { level: (open[1] as string).length, title } : undefined;
}
const QUESTION = /^(?:\*\*)?(?:Q|Question)\s*[:.]\s*/i;

/**
 * Splits a Markdown (or plain-text FAQ) file into passages: one per section under a heading, and one per
 * question in "Q: … / A: …" FAQs. Long sections are cut at paragraph breaks near `maxChars`.
 */
export function splitPassages(
  content: string,
  file: string,
  maxChars = 800,
): Omit<Passage, "id">[] {
  const lines = content.replace(/\r\n?/g, "\n").split("\n");
  const out: Omit<Passage, "id">[] = [];
  const headings: string[] = [];
  let buffer: { text: string; line: number }[] = [];
  let inFence = false;

  const flush = () => {
    const paragraphs = paragraphsOf(buffer);
    buffer = [];
    let chunk: { text: string; line: number } | undefined;
    const push = () => {
      if (chunk?.text.trim()) {
        out.push({
          title: headings.filter(Boolean).join(" › "),
          text: chunk.text.trim(),
          file,
          line: chunk.line,
        });
      }
      chunk = undefined;
    };
    for (const p of paragraphs) {
      // A new question starts a new passage; otherwise paragraphs group until the chunk is long enough.
      if (QUESTION.test(p.text) || (chunk && chunk.text.length + p.text.length > maxChars)) push();
      chunk = chunk ? { text: `${chunk.text}\n\n${p.text}`, line: chunk.line } : { ...p };
    }
    push();
  };

  lines.forEach((text, index) => {
    if (/^\s*(```|~~~)/.test(text)) inFence = !inFence;
    const heading = inFence ? undefined : parseHeading(text);
    if (heading) {
      flush();
      const { level } = heading;
      headings.length = level - 1;
      headings[level - 1] = heading.title;
      return;
    }
    buffer.push({ text, line: index + 1 });
  });
  flush();
  return out;
}

function paragraphsOf(lines: { text: string; line: number }[]): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current: { text: string[]; line: number } | undefined;
  for (const { text, line } of lines) {
    if (text.trim() === "") {
      if (current) out.push({ text: current.text.join("\n"), line: current.line });
      current = undefined;
    } else if (current) {
      current.text.push(text);
    } else {
      current = { text: [text], line };
    }
  }
  if (current) out.push({ text: current.text.join("\n"), line: current.line });
  return out;
}
