import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, problemType } from '../problem-details';
import { ProblemDetailsDto, ProblemErrorDto } from './problem-details.schema';

export type ProblemStatus = 400 | 401 | 403 | 404 | 406 | 409 | 410 | 413 | 415 | 429 | 500 | 503;

interface ProblemDoc {
  readonly description: string;
  readonly title: string;
  readonly code: string;
  readonly detail: string;
  readonly headers?: Record<string, { description: string; schema: { type: string } }>;
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

const PROBLEMS: Record<ProblemStatus, ProblemDoc> = {
  400: {
    description: 'The request is invalid; `errors` names every parameter or field at fault',
    title: 'Invalid request',
    code: 'INVALID_REQUEST',
    detail: 'query parameters are invalid',
  },
  401: {
    description: 'No API key, or one that is not known',
    title: 'Unauthorized',
    code: 'API_KEY_MISSING',
    detail: 'send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"',
    headers: {
      'WWW-Authenticate': {
        description: 'The authentication challenge (Bearer)',
        schema: { type: 'string' },
      },
    },
  },
  403: {
    description: "The key's role may not call this route",
    title: 'Forbidden',
    code: 'ROLE_FORBIDDEN',
    detail: 'this route needs the role analyst; the key has ingest',
  },
  404: {
    description: 'Nothing is known under this id',
    title: 'Not found',
    code: 'NOT_FOUND',
    detail: 'no touchpoints have been recorded for customer C-1001',
  },
  406: {
    description: 'None of the accepted media types can be produced',
    title: 'Not acceptable',
    code: 'NOT_ACCEPTABLE',
    detail: 'this route answers application/json or text/csv',
  },
  409: {
    description: 'The request conflicts with the current state',
    title: 'Conflict',
    code: 'CONFLICT',
    detail: 'a rebuild is already running',
  },
  410: {
    description:
      'The cursor pages an insights snapshot that is no longer kept (LIST_CURSOR_TTL_SECONDS after a refresh replaced it): list again from the first page',
    title: 'Gone',
    code: 'CURSOR_EXPIRED',
    detail:
      'the cursor pages insights snapshot 1767225600000, replaced by 1767226200000 and no longer kept',
  },
  413: {
    description: 'The body (or the number of items in it) is too large',
    title: 'Payload too large',
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'Request body is too large',
  },
  415: {
    description: 'The body is not JSON',
    title: 'Unsupported media type',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'send application/json',
  },
  429: {
    description: 'The rate limit of this key is used up',
    title: 'Too many requests',
    code: 'RATE_LIMITED',
    detail: 'the rate limit for this key is used up; retry in 42 s',
    headers: RETRY_AFTER,
  },
  500: {
    description: 'An unexpected error (logged with its stack)',
    title: 'Internal server error',
    code: 'INTERNAL',
    detail: 'an unexpected error occurred; it has been logged',
  },
  503: {
    description:
      'A store is unavailable, or the projector did not reach the requested position in time',
    title: 'Service unavailable',
    code: 'PROJECTION_BEHIND',
    detail: 'the projector has not reached position 57 within 5000 ms',
    headers: RETRY_AFTER,
  },
};

/**
 * Documents RFC 9457 answers for the given statuses, e.g. `@ApiProblemResponses(400, 404)`.
 * `@Roles` adds 401, 403 and 429 already; read routes get 503 from the document setup.
 */
export function ApiProblemResponses(
  ...statuses: ProblemStatus[]
): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto, ProblemErrorDto),
    ...statuses.map((status) => ApiResponse(problemResponse(status))),
  );
}

export function problemResponse(status: ProblemStatus) {
  const doc = PROBLEMS[status];
  return {
    status,
    description: doc.description,
    ...(doc.headers ? { headers: doc.headers } : {}),
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: getSchemaPath(ProblemDetailsDto) },
        example: {
          type: problemType(doc.title),
          title: doc.title,
          status,
          detail: doc.detail,
          code: doc.code,
          instance: '/v1/…',
          ...(status === 400
            ? { errors: [{ path: 'limit', message: 'limit must not be greater than 1000' }] }
            : {}),
        },
      },
    },
  };
}
