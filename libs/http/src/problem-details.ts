import { HttpException } from '@nestjs/common';

/** One entry of a problem's `errors`: which input, which field, what is wrong. */
export interface ProblemError {
  /** Index of the item in an array body, when the body is an array. */
  readonly index?: number;
  /** Dotted path of the field (`data.amount.minor`), or the name of a query parameter. */
  readonly path: string;
  readonly message: string;
}

/** RFC 9457 problem details. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code?: string;
  readonly errors?: readonly ProblemError[];
  /** Extension (503 while waiting for a position): where the projector is. */
  readonly position?: string;
  /** Extension (readiness): the result of every check. */
  readonly checks?: Readonly<Record<string, unknown>>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://rapport.dev/problems/';

export class ProblemDetailsException extends HttpException {
  constructor(
    readonly problem: Omit<ProblemDetails, 'type'> & { readonly type?: string },
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ ...problem, type: problem.type ?? TYPE_BASE + slug(problem.title) }, problem.status);
  }
}

export function problemType(title: string): string {
  return TYPE_BASE + slug(title);
}

export function badRequest(
  detail: string,
  errors: readonly ProblemError[],
): ProblemDetailsException {
  return new ProblemDetailsException({
    title: 'Invalid request',
    status: 400,
    detail,
    errors,
    code: 'INVALID_REQUEST',
  });
}

export function notFound(detail: string): ProblemDetailsException {
  return new ProblemDetailsException({
    title: 'Not found',
    status: 404,
    detail,
    code: 'NOT_FOUND',
  });
}

/** No key, or a key we don't know: the challenge tells the client how to authenticate. */
export function unauthorized(
  detail: string,
  code: 'API_KEY_MISSING' | 'API_KEY_UNKNOWN',
): ProblemDetailsException {
  const challenge =
    code === 'API_KEY_UNKNOWN'
      ? 'Bearer realm="rapport", error="invalid_token"'
      : 'Bearer realm="rapport"';
  return new ProblemDetailsException(
    { title: 'Unauthorized', status: 401, detail, code },
    { 'WWW-Authenticate': challenge },
  );
}

export function forbidden(detail: string): ProblemDetailsException {
  return new ProblemDetailsException({
    title: 'Forbidden',
    status: 403,
    detail,
    code: 'ROLE_FORBIDDEN',
  });
}

export function tooManyRequests(
  retryAfterSeconds: number,
  budget = 'the rate limit for this key',
): ProblemDetailsException {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ProblemDetailsException(
    {
      title: 'Too many requests',
      status: 429,
      detail: `${budget} is used up; retry in ${seconds} s`,
      code: 'RATE_LIMITED',
    },
    { 'Retry-After': String(seconds) },
  );
}

export function serviceUnavailable(
  detail: string,
  code: string,
  retryAfterSeconds: number,
  extensions: Pick<ProblemDetails, 'position' | 'checks'> = {},
): ProblemDetailsException {
  return new ProblemDetailsException(
    { title: 'Service unavailable', status: 503, detail, code, ...extensions },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
