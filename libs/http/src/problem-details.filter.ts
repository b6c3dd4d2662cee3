import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemDetailsException,
  problemType,
  type ProblemDetails,
} from './problem-details';
import { redactUrl } from './redact-url';

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  code?: string;
  retryable?: boolean;
  message?: string;
}

/**
 * Every error leaves the HTTP edge as RFC 9457 problem details. Domain and store errors are
 * mapped here, by their codes, and nowhere else; unexpected errors are logged with their
 * stack and answered without internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    answerWithProblem(
      exception,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
    );
  }
}

const logger = new Logger('HTTP');

/**
 * Answers `exception` as problem details. Also Fastify's `frameworkErrors`: a URL it cannot
 * decode or a path parameter over its limit is refused before any route or hook runs.
 */
export function answerWithProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { problem, headers } = toProblem(exception);
  // A ProblemDetailsException is an answer chosen on purpose (insights not ready, projection
  // behind): the request log has it. Any other 5xx is a failure to look into, with its stack.
  if (problem.status >= 500 && !(exception instanceof ProblemDetailsException)) {
    logger.error(
      `${request.method} ${redactUrl(request.url)} failed: ${describe(exception)}`,
      (exception as Error)?.stack,
    );
  }
  // Too late for problem details once an answer has started: Fastify ends or cuts it.
  if (reply.sent) return;
  void reply
    .status(problem.status)
    .headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE })
    .send(JSON.stringify({ ...problem, instance: pathOf(request.url) }));
}

/** The path alone: a query string may carry secrets (`?apiKey=`) or personal data. */
function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end >= 0 ? url.slice(0, end) : url;
}

function toProblem(exception: unknown): {
  problem: ProblemDetails;
  headers: Record<string, string>;
} {
  if (exception instanceof ProblemDetailsException) {
    return {
      problem: exception.getResponse() as ProblemDetails,
      headers: { ...exception.headers },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const detail =
      typeof body === 'string'
        ? body
        : ((body as { message?: unknown }).message ?? exception.message);
    return {
      problem: problem(
        status,
        titleOf(status),
        withHint(status, Array.isArray(detail) ? detail.join('; ') : String(detail)),
        CODES[status],
      ),
      headers: {},
    };
  }
  const error = (exception ?? {}) as HttpErrorLike;
  const status = error.status ?? error.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own codes (FST_ERR_…) name its internals; ours stay stable across servers.
    const code = error.code?.startsWith('FST_') ? CODES[status] : (error.code ?? CODES[status]);
    return {
      problem: problem(
        status,
        titleOf(status),
        withHint(status, error.message ?? titleOf(status)),
        code,
      ),
      headers: {},
    };
  }
  if (
    error.code === 'EVENT_STORE_UNAVAILABLE' ||
    error.code === 'CONCURRENCY_RETRIES_EXHAUSTED' ||
    error.retryable
  ) {
    return {
      problem: problem(
        503,
        'Service unavailable',
        'the event store cannot take writes right now; nothing was recorded, retry later',
        error.code,
      ),
      headers: { 'Retry-After': '5' },
    };
  }
  return {
    problem: problem(
      500,
      'Internal server error',
      'an unexpected error occurred; it has been logged',
      'INTERNAL',
    ),
    headers: {},
  };
}

function problem(status: number, title: string, detail: string, code?: string): ProblemDetails {
  return { type: problemType(title), title, status, detail, ...(code ? { code } : {}) };
}

/** What the client should do instead, where the server's own words only say what it refused. */
function withHint(status: number, detail: string): string {
  if (status === 415)
    return `${detail}: send the body as JSON with Content-Type: application/json (or application/*+json)`;
  return detail;
}

function titleOf(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server error' : 'Client error');
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** Stable codes for the errors Nest and Fastify raise themselves. */
const CODES: Record<number, string> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

function describe(exception: unknown): string {
  if (exception instanceof Error) return `${exception.name}: ${exception.message}`;
  return String(exception);
}
