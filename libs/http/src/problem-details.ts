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

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
