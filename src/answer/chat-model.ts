/** One message of a chat with a language model. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Options of one completion. */
export interface CompleteOptions {
  signal?: AbortSignal;
  /** Receives each streamed piece of text; absent: no streaming. */
  onToken?: (piece: string) => void;
  maxTokens?: number;
}

/** The chat-model port: a grounded answer or a condensed question comes back as text. */
export interface ChatModel {
  readonly id: string;
  complete(messages: ChatMessage[], options?: CompleteOptions): Promise<string>;
}
