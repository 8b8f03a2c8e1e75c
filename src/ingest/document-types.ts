import type { SourceDocument } from "../types.js";

/** A loaded handbook or document: text blocks with section paths. */
export type TextDocument = Extract<SourceDocument, { type: "text" }>;

/** A loaded lecture transcript: timed cues. */
export type TranscriptDocument = Extract<SourceDocument, { type: "transcript" }>;
