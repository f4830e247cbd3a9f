/**
 * Errors the product reports to its callers, as typed objects: each carries the HTTP status it
 * maps to, a stable machine-readable `code` and details a client can act on. Everything else that
 * reaches the API boundary is a bug and is reported as 500 without internals.
 */
export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  toJSON() {
    return {
      error: this.code,
      message: this.message,
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
    };
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  readonly statusCode = 400;
  readonly code = 'invalid_request';
}

export class UnauthorizedError extends AppError {
  override readonly name = 'UnauthorizedError';
  readonly statusCode = 401;
  readonly code = 'unauthorized';
}

export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  readonly statusCode = 403;
  readonly code = 'forbidden';
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
  readonly code = 'not_found';
}

/** The request collides with what exists: a duplicate key, a state that forbids the change. */
export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  readonly statusCode = 409;
  readonly code: string;
  constructor(message: string, details: Record<string, unknown> = {}, code = 'conflict') {
    super(message, details);
    this.code = code;
  }
}

/** Well-formed, but refers to something that does not exist or breaks a rule of the model. */
export class UnprocessableError extends AppError {
  override readonly name = 'UnprocessableError';
  readonly statusCode = 422;
  readonly code = 'unprocessable';
}
