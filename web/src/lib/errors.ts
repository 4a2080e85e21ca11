// What a failed request says to the user, and whether it failed only because the page stopped waiting for it.

/** The error's own message (an API error carries the server's reason), else the thrown value as text. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Whether the request was aborted (the page moved on): nothing to tell the user. */
export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
