/**
 * Link to a moment of a lecture video: YouTube gets `t=` (or `start=` for embeds), Vimeo `#t=`;
 * other hosts get the address unchanged, since there is no common way to say a time.
 * Returns `undefined` for an empty or invalid address.
 */
export function videoLinkAt(
  url: string | undefined,
  seconds: number | undefined,
): string | undefined {
  if (!url?.trim()) return undefined;
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return undefined;
  const t = Math.max(0, Math.floor(seconds ?? 0));
  if (t === 0) return u.toString();
  const host = u.hostname.replace(/^www\.|^m\./, "");
  if (host === "youtu.be" || host === "youtube.com" || host === "youtube-nocookie.com") {
    if (u.pathname.startsWith("/embed/")) {
      u.searchParams.set("start", String(t));
    } else {
      u.searchParams.delete("start");
      u.searchParams.set("t", `${t}s`);
    }
    return u.toString();
  }
  if (host === "vimeo.com" || host === "player.vimeo.com") {
    u.hash = `t=${t}s`;
    return u.toString();
  }
  return u.toString();
}

export { formatClock } from "../place.js";
