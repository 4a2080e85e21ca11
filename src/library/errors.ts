/** An error a user caused, carrying the HTTP status that says so. */
export class UserError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409 | 413 | 415 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
