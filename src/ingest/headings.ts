import { collapseSpaces } from "./text-utils.js";

/** A numbered heading recognised in a line of text. */
export interface NumberedHeading {
  /** 1 for `N. Title`, 2 for `N.M. Title`, 3 for `N.M.K. Title`. */
  level: 1 | 2 | 3;
  numbers: number[];
  /** The whole heading line, number included (`"1.2. Statusa iegūšana"`). */
  text: string;
  /** The title without its number (`"Statusa iegūšana"`). */
  title: string;
}

/** A table-of-contents entry: dot leaders (or similar) followed by a page number. */
export const TOC_LINE = /(?:[.…·_]\s*){4,}\s*\d{1,4}$/;

const HEADING_LINE = /^(\d{1,2})\.(?:(\d{1,2})(?:\.(\d{1,2}))?\.?)?\s+(\S.*)$/u;

/**
 * Recognises a numbered heading line: chapter `N. Title`, section `N.M. Title` (trailing dot
 * optional for sections) or subsection `N.M.K. Title`. The title must start with a capital letter,
 * be short, and not end like a sentence or a list item.
 */
export function parseHeadingLine(line: string): NumberedHeading | undefined {
  const text = collapseSpaces(line);
  const m = HEADING_LINE.exec(text);
  if (!m) return undefined;
  const title = m[4] ?? "";
  if (!/^["„“«(]?\p{Lu}/u.test(title)) return undefined;
  if (text.length > 110 || title.split(" ").length > 14) return undefined;
  if (/[.,;:]$/.test(title) || TOC_LINE.test(title)) return undefined;
  const numbers = [m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number);
  const level = numbers.length as 1 | 2 | 3;
  if (level === 1 && !/^\d{1,2}\.\s/.test(text)) return undefined;
  return { level, numbers, text, title };
}

/** Tracks the heading numbering so that numbered list items are not taken for headings. */
export class SectionTracker {
  private nums: number[] = [];
  private titles: (string | undefined)[] = [];

  /** Accepts the heading if it continues the numbering; returns the new section path. */
  accept(h: NumberedHeading): string[] | undefined {
    const [a = 0, b = 0, c = 0] = h.numbers;
    const [ca = 0, cb = 0, cc = 0] = this.nums;
    const next = (value: number, current: number) => value > current && value <= current + 2;
    let ok = false;
    if (h.level === 1) ok = next(a, ca);
    else if (h.level === 2) ok = (a === ca && next(b, cb)) || (next(a, ca) && b <= 2);
    else ok = a === ca && b === cb && next(c, cc);
    if (!ok) return undefined;

    if (h.level === 1) {
      this.nums = [a];
      this.titles = [h.text];
    } else if (h.level === 2) {
      this.titles = [a === ca ? this.titles[0] : undefined, h.text];
      this.nums = [a, b];
    } else {
      this.titles = [this.titles[0], this.titles[1], h.text];
      this.nums = [a, b, c];
    }
    return this.path();
  }

  /** Replaces the text of the heading accepted last (after re-joining a wrapped heading). */
  retitle(text: string): string[] {
    this.titles[this.titles.length - 1] = text;
    return this.path();
  }

  /** The current section path, outermost first. */
  path(): string[] {
    return this.titles.filter((t): t is string => t !== undefined);
  }
}
