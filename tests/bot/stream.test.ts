/**
 * The streamed answer's throttle with its production interval (1 s), on fake timers: the bot
 * test streams with a 50 ms interval so as not to wait, this one pins the default.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BotContext } from "../../src/bot/context.js";
import { createAnswerStream } from "../../src/bot/send.js";
import { silentLogger } from "../../src/log.js";

function fakeContext() {
  const sent: string[] = [];
  const edits: { text: string; at: number }[] = [];
  const ctx = {
    chat: { id: 100, type: "private" },
    log: silentLogger,
    reply: async (text: string) => {
      sent.push(text);
      return { message_id: 1, text };
    },
    api: {
      editMessageText: async (_chat: number, _id: number, text: string) => {
        edits.push({ text, at: Date.now() });
        return true;
      },
    },
  } as unknown as BotContext;
  return { ctx, sent, edits };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a streamed answer", () => {
  it("shows the first piece at once, then edits it at most once a second", async () => {
    const { ctx, sent, edits } = fakeContext();
    const stream = createAnswerStream(ctx);
    // Ten pieces over 3 s, one every 300 ms.
    for (let i = 1; i <= 10; i++) {
      stream.push(`Sociālais uzņēmums ${"vārds ".repeat(i)}`);
      await vi.advanceTimersByTimeAsync(300);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/ …$/);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < edits.length; i++) {
      expect((edits[i]?.at ?? 0) - (edits[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    }
    await stream.finish(["<b>Atbilde</b>"]);
    expect(edits.at(-1)?.text).toBe("<b>Atbilde</b>");
  });

  it("follows the interval it is given", async () => {
    const { ctx, edits } = fakeContext();
    const stream = createAnswerStream(ctx, { intervalMs: 100 });
    for (let i = 1; i <= 10; i++) {
      stream.push(`Teksts ${"x".repeat(i)}`);
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(100);
    expect(edits.length).toBeGreaterThanOrEqual(4);
    expect(edits.length).toBeLessThanOrEqual(6);
  });
});
