/** An error a user caused, carrying the HTTP status that says so. */
export class UserError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 416 | 422 | 429,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
