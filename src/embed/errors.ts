import { type ModelErrorCode, PadomsError } from "../errors.js";

export type { ModelErrorCode } from "../errors.js";

/** A failure of an embedding or chat model endpoint, wrapped at the adapter edge. */
export class ModelError extends PadomsError<ModelErrorCode> {
  override readonly name = "ModelError";
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
