/** A tiny element builder: no HTML strings, so user text can never become markup. */
type Child = Node | string | number | false | null | undefined | Child[];
type Props = Record<string, string | number | boolean | ((event: Event) => void) | undefined>;

/** Creates an element with attributes, `on…` listeners and children (text is always text). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === "value" && "value" in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** `mm:ss`, or `h:mm:ss` from one hour on. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Calls `fn` once typing has paused for `ms`. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Renders Telegram's message HTML (the bot's own escaped output: b, i, a, blockquote, code) as
 * elements, copying only those tags and `href`s with http(s): nothing else survives.
 */
export function telegramHtml(html: string): DocumentFragment {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.createDocumentFragment();
  const allowed = new Set(["B", "STRONG", "I", "EM", "U", "S", "CODE", "PRE", "BLOCKQUOTE", "A"]);
  const copy = (from: Node, to: Node) => {
    for (const n of Array.from(from.childNodes)) {
      if (n.nodeType === Node.TEXT_NODE) {
        const lines = (n.textContent ?? "").split("\n");
        lines.forEach((line, i) => {
          if (i > 0) to.appendChild(document.createElement("br"));
          to.appendChild(document.createTextNode(line));
        });
      } else if (n.nodeType === Node.ELEMENT_NODE) {
        const e = n as Element;
        if (!allowed.has(e.tagName)) {
          copy(e, to);
          continue;
        }
        const el = document.createElement(e.tagName.toLowerCase());
        const href = e.getAttribute("href");
        if (e.tagName === "A" && href && /^https?:\/\//i.test(href)) {
          el.setAttribute("href", href);
          el.setAttribute("target", "_blank");
          el.setAttribute("rel", "noopener noreferrer");
        }
        copy(e, el);
        to.appendChild(el);
      }
    }
  };
  copy(doc.body, out);
  return out;
}
