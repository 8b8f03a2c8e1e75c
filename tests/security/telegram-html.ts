/**
 * A strict checker of Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style):
 * only the tags Telegram knows, with only their attributes, properly nested and closed; links only
 * to http(s) and tg: addresses; every `<`, `>` and `&` outside a tag written as an entity.
 */

/** Tags of Telegram HTML and the attributes each may carry. */
const ALLOWED: Record<string, readonly string[]> = {
  b: [],
  strong: [],
  i: [],
  em: [],
  u: [],
  ins: [],
  s: [],
  strike: [],
  del: [],
  "tg-spoiler": [],
  span: ["class"],
  a: ["href"],
  code: ["class"],
  pre: [],
  blockquote: ["expandable"],
  "tg-emoji": ["emoji-id"],
};

const ENTITY = /^&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/;
const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*"[^"<>]*")?)*)\s*(\/?)>/;
const ATTR = /([a-zA-Z-]+)(?:\s*=\s*"([^"<>]*)")?/g;

function decode(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, "&");
}

/** Everything wrong with `html` as Telegram HTML; an empty list when it is valid. */
export function telegramHtmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    const rest = html.slice(i);
    if (ch === "<") {
      const m = TAG.exec(rest);
      if (!m) {
        problems.push(`raw "<" at ${i}: ${JSON.stringify(rest.slice(0, 30))}`);
        i++;
        continue;
      }
      const [raw, slash, nameRaw, attrs = "", selfClosing] = m;
      const name = (nameRaw as string).toLowerCase();
      const allowed = ALLOWED[name];
      if (!allowed) problems.push(`tag <${name}> is not Telegram HTML`);
      if (selfClosing) problems.push(`self-closing <${name}/>`);
      if (slash) {
        if (attrs.trim()) problems.push(`closing </${name}> with attributes`);
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? "nothing"}>`);
      } else {
        if (name === "a" && stack.includes("a")) problems.push("<a> inside <a>");
        if ((name === "pre" || name === "code") && stack.some((t) => t !== "pre" && t !== "code"))
          problems.push(`<${name}> inside <${stack.join("><")}>`);
        for (const a of attrs.matchAll(ATTR)) {
          const [, attr, value] = a;
          if (!allowed?.includes(attr as string))
            problems.push(`attribute ${attr} on <${name}> is not allowed`);
          if (value !== undefined) {
            const bad = value.replace(/&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, "");
            if (bad.includes("&")) problems.push(`raw "&" in ${attr}="${value}"`);
          }
          if (name === "a" && attr === "href") {
            const href = decode(value ?? "").trim();
            if (!/^(https?:\/\/[^\s]+|tg:\/\/[^\s]+)$/i.test(href))
              problems.push(`link to a forbidden address: ${href}`);
          }
          if (name === "span" && attr === "class" && value !== "tg-spoiler")
            problems.push(`span class="${value}"`);
        }
        stack.push(name);
      }
      i += raw.length;
      continue;
    }
    if (ch === "&") {
      const m = ENTITY.exec(rest);
      if (!m) problems.push(`raw "&" at ${i}: ${JSON.stringify(rest.slice(0, 12))}`);
      i += m ? m[0].length : 1;
      continue;
    }
    if (ch === ">") problems.push(`raw ">" at ${i}`);
    i++;
  }
  for (const open of stack.reverse()) problems.push(`<${open}> is never closed`);
  return problems;
}

/** The visible text of valid Telegram HTML: tags removed, entities decoded. */
export function visibleText(html: string): string {
  return decode(html.replace(/<[^>]*>/g, ""));
}

/** The `href` of every link in the HTML, decoded. */
export function linkTargets(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href\s*=\s*"([^"]*)"/gi)].map((m) => decode(m[1] ?? ""));
}
