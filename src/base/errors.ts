/** An error a user caused, carrying the HTTP status that says so. */
export class UserError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 408 | 409 | 410 | 413 | 415 | 416 | 422 | 429,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A service Shoebox relies on (a model endpoint) is down or overloaded: worth trying again later (HTTP 503). */
export class ServiceUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}
