// The one error shape of the API: a status, a snake_case code, a human sentence and the offending
// paths.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Response headers that belong to the error (Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody() {
    return {
      status: 'error' as const,
      message: this.message,
      error: { code: this.code, ...(this.details.length ? { details: this.details } : {}) },
    };
  }
}

export const notFound = (resource: string, id: string) =>
  new ApiError(404, 'not_found', `No ${resource} with id "${id}" exists.`);

export const unprocessable = (code: string, message: string, details: ErrorDetail[] = []) =>
  new ApiError(422, code, message, details);

export const conflict = (code: string, message: string, details: ErrorDetail[] = []) =>
  new ApiError(409, code, message, details);

export const forbidden = (code: string, message: string, details: ErrorDetail[] = []) =>
  new ApiError(403, code, message, details);

export const badRequest = (code: string, message: string, details: ErrorDetail[] = []) =>
  new ApiError(400, code, message, details);
