/**
 * Calls of the Padoms API. Every call carries Telegram's signed launch data in the
 * `Authorization: tma …` header; no cookies are used.
 */
import type { ApiError } from "../api-types.js";

/** An API call that failed, with its HTTP status. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A client of the API under `base` (the page's own folder). */
export function createApi(initData: string, base = new URL("./api/", location.href).toString()) {
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(new URL(path, base), {
      method,
      headers: {
        Authorization: `tma ${initData}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
    if (!res.ok) {
      const err = (await res.json().catch(() => ({}))) as Partial<ApiError>;
      throw new ApiCallError(res.status, err.error ?? "failed", err.message ?? res.statusText);
    }
    return res;
  }
  return {
    get: async <T>(path: string): Promise<T> => (await call("GET", path)).json() as Promise<T>,
    send: async <T>(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> =>
      (await call(method, path, body)).json() as Promise<T>,
    text: async (path: string): Promise<string> => (await call("GET", path)).text(),
  };
}

/** The API client type. */
export type Api = ReturnType<typeof createApi>;
