import type { CaptionResult, TagScore } from '../types.js';

export interface DescribeInput {
  /** Path of a JPEG preview of the photo (upright). */
  image: string;
  /** Classifier tags, passed to the model as hints. */
  tags: TagScore[];
  /** Original file name; sometimes meaningful ("birthday-2019.jpg"). */
  filename?: string;
  signal?: AbortSignal;
}

/** Something that turns a photo into a caption and structured metadata. */
export interface CaptionProvider {
  /** Stable identity for logs and for recording how a caption was made, e.g. `openai:llava:13b@http://host/v1`. */
  readonly id: string;
  describe(input: DescribeInput): Promise<CaptionResult>;
}

export type CaptionErrorCode =
  /** 401/403: the key is missing or wrong; retrying cannot help. */
  | 'auth'
  /** No answer within timeoutMs. */
  | 'timeout'
  /** 429/5xx/network failures that persisted through the retries. */
  | 'unavailable'
  /** Another HTTP status (400, 404, 413…): the request itself is wrong. */
  | 'http'
  /** The server answered 200 with something that is not a chat completion. */
  | 'bad-response'
  /** The model's replies never passed validation within maxAttempts. */
  | 'invalid-output'
  /** The preview could not be read or encoded. */
  | 'image';

/** Every failure of a provider except a caller's abort (which rethrows the caller's reason). */
export class CaptionError extends Error {
  override readonly name = 'CaptionError';
  constructor(
    readonly code: CaptionErrorCode,
    message: string,
    /** Whether the step may try this photo again later (the provider has already retried what it could). */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
