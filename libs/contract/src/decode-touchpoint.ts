import { isUtf8 } from 'node:buffer';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import type { IncomingTouchpoint, Touchpoint, TouchpointType } from '@rapport/domain';
import { flattenValidationErrors, joinPath, type FieldProblem } from './field-problem';
import { decodeIdentity } from './identifiers/decode-identifiers';
import type { IdentifierNormalisation } from './identifiers/normalise-identifier';
import { acceptsOnFastPath } from './touchpoint.fast-path';
import {
  CallDataDto,
  CancellationDataDto,
  ComplaintDataDto,
  ComplaintResolvedDataDto,
  EmailDataDto,
  PurchaseDataDto,
  WebVisitDataDto,
} from './touchpoint-data.dto';
import { TouchpointRequestDto } from './touchpoint.request.dto';

/** Why a message was refused, for dead letters and reports: decided where the problem is found. */
export const DECODE_FAILURE_CODES = {
  invalidJson: 'INVALID_JSON',
  unknownType: 'UNKNOWN_TOUCHPOINT_TYPE',
  contract: 'CONTRACT_VIOLATION',
} as const;

export type DecodeFailureCode = (typeof DECODE_FAILURE_CODES)[keyof typeof DECODE_FAILURE_CODES];

export type DecodeResult =
  | { readonly ok: true; readonly touchpoint: IncomingTouchpoint }
  | {
      readonly ok: false;
      readonly code: DecodeFailureCode;
      readonly problems: readonly FieldProblem[];
    };

export interface DecodeOptions {
  /** The edge's wall clock, to refuse touchpoints from the future. */
  readonly now: Date;
  /** Tolerated producer clock skew; default one day. */
  readonly maxFutureSkewMs?: number;
  /** Off: every message goes through the DTO validation (the fast path's reference). */
  readonly fastPath?: boolean;
  /** Default phone region and configured identifier types (none: built-in types, E.164 only). */
  readonly identifiers?: IdentifierNormalisation;
}

const DATA_SHAPES: Record<TouchpointType, ClassConstructor<object>> = {
  web_visit: WebVisitDataDto,
  call: CallDataDto,
  email: EmailDataDto,
  purchase: PurchaseDataDto,
  cancellation: CancellationDataDto,
  complaint: ComplaintDataDto,
  complaint_resolved: ComplaintResolvedDataDto,
};

/** Unknown fields are rejected, not ignored: a typo must not silently lose data. */
const STRICT: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/** Keys that could reach an object's prototype if anything downstream merged the input. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * Names of Object.prototype's members (toString, hasOwnProperty, valueOf, …) are no field of
 * the contract, but class-validator's unknown-field check looks them up in a plain object of
 * known fields and finds the inherited member: without this they were stored.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
const MAX_DEPTH = 8;
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const ONE_DAY_MS = 24 * 3600 * 1000;

/**
 * Checks a raw touchpoint message against the public contract and returns either the typed
 * touchpoint (event time normalised to UTC) or every problem found, each with its path.
 */
export function decodeTouchpoint(raw: unknown, options: DecodeOptions): DecodeResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('', 'a touchpoint must be a JSON object');
  }
  if (options.fastPath !== false) {
    const touchpoint = Object.hasOwn(raw, 'identifiers')
      ? identifiedOnFastPath(raw, options)
      : onFastPath(raw, options);
    if (touchpoint) return { ok: true, touchpoint };
  }
  const structural = findStructuralProblems(raw, '', 0);
  if (structural.length) return refused(structural);

  const envelope = plainToInstance(TouchpointRequestDto, raw);
  const problems = flattenValidationErrors(validateSync(envelope, STRICT), '', raw);
  const shape = DATA_SHAPES[envelope.type as TouchpointType];
  const data = (raw as { data?: unknown }).data;
  if (shape && typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const instance = plainToInstance(shape, data);
    problems.push(...flattenValidationErrors(validateSync(instance, STRICT), 'data', data));
  }
  if (!problems.some((p) => p.path === 'occurredAt') && typeof envelope.occurredAt === 'string') {
    const problem = checkEventTime(envelope.occurredAt, options);
    if (problem) problems.push(problem);
  }
  const identity = decodeIdentity(
    (raw as { customerId?: unknown }).customerId,
    (raw as { identifiers?: unknown }).identifiers,
    options.identifiers,
  );
  for (const problem of identity.problems)
    if (!problems.some((p) => p.path === problem.path)) problems.push(problem);
  if (problems.length) return refused(problems);

  return { ok: true, touchpoint: identified(inUtc(raw as Touchpoint), identity) };
}

function onFastPath(raw: object, options: DecodeOptions): Touchpoint | undefined {
  if (!acceptsOnFastPath(raw) || checkEventTime(raw.occurredAt, options) !== undefined)
    return undefined;
  return inUtc(raw);
}

/** Checks the envelope only: the touchpoint keeps what its identifiers name. */
const STAND_IN_CUSTOMER_ID = 'fast-path-stand-in';

/**
 * A touchpoint with identifiers on the fast path (Kafka decodes every message, and the DTOs
 * cost ~18 µs one): the envelope and data as the fast path checks them, without the identifiers
 * and, when the touchpoint names no customerId, with a stand-in one that passes where the DTO
 * lets an absent one pass; the identifiers by decodeIdentity, as the full decode checks them.
 * Anything either refuses goes the full way, which finds and names every problem.
 */
function identifiedOnFastPath(raw: object, options: DecodeOptions): IncomingTouchpoint | undefined {
  const { identifiers, ...envelope } = raw as Record<string, unknown>;
  const named = Object.hasOwn(envelope, 'customerId');
  const checked = named ? envelope : { ...envelope, customerId: STAND_IN_CUSTOMER_ID };
  const touchpoint = onFastPath(checked, options);
  if (!touchpoint) return undefined;
  const identity = decodeIdentity(envelope.customerId, identifiers, options.identifiers);
  if (identity.problems.length) return undefined;
  return identified(touchpoint, identity);
}

/** The customerId as named (field or identifier) and the identifiers normalised. */
function identified(
  touchpoint: Touchpoint,
  identity: ReturnType<typeof decodeIdentity>,
): IncomingTouchpoint {
  const rest: Record<string, unknown> = { ...touchpoint };
  delete rest.customerId;
  delete rest.identifiers;
  return {
    ...rest,
    ...(identity.customerId !== undefined ? { customerId: identity.customerId } : {}),
    ...(identity.identifiers.length ? { identifiers: identity.identifiers } : {}),
  } as IncomingTouchpoint;
}

/** What Date#toISOString gives: such a time (valid, as checked) is kept as it came. */
const UTC_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function inUtc(touchpoint: Touchpoint): Touchpoint {
  if (UTC_MILLISECONDS.test(touchpoint.occurredAt)) return touchpoint;
  return { ...touchpoint, occurredAt: new Date(touchpoint.occurredAt).toISOString() };
}

/**
 * Decodes Kafka message bytes or an HTTP body string: UTF-8, then JSON, then the contract.
 * Bytes that are not UTF-8 are refused, as the HTTP edge refuses them: decoding them anyway
 * would store U+FFFD in place of what the producer meant.
 */
export function decodeTouchpointJson(text: string | Buffer, options: DecodeOptions): DecodeResult {
  if (typeof text !== 'string' && !isUtf8(text))
    return fail('', 'not valid JSON: the bytes are not UTF-8', DECODE_FAILURE_CODES.invalidJson);
  let raw: unknown;
  try {
    raw = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  } catch (error) {
    return fail(
      '',
      `not valid JSON: ${(error as Error).message}`,
      DECODE_FAILURE_CODES.invalidJson,
    );
  }
  return decodeTouchpoint(raw, options);
}

/** An event time the contract takes: a date-time from 1970 on, not beyond the tolerated skew. */
export function checkEventTime(
  occurredAt: string,
  options: DecodeOptions,
): FieldProblem | undefined {
  const at = Date.parse(occurredAt);
  if (Number.isNaN(at))
    return { path: 'occurredAt', message: 'occurredAt is not a valid date-time' };
  if (at < EARLIEST)
    return { path: 'occurredAt', message: 'occurredAt must not be before 1970-01-01' };
  const latest = options.now.getTime() + (options.maxFutureSkewMs ?? ONE_DAY_MS);
  if (at > latest) {
    return {
      path: 'occurredAt',
      message: `occurredAt is in the future (later than ${new Date(latest).toISOString()})`,
    };
  }
  return undefined;
}

function findStructuralProblems(value: unknown, path: string, depth: number): FieldProblem[] {
  if (typeof value !== 'object' || value === null) return [];
  if (depth > MAX_DEPTH) return [{ path, message: `nested deeper than ${MAX_DEPTH} levels` }];
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(value)) {
    const child = joinPath(path, key);
    if (FORBIDDEN_KEYS.has(key))
      problems.push({ path: child, message: `property ${key} is not allowed` });
    else if (INHERITED_NAMES.has(key))
      problems.push({ path: child, message: `property ${key} should not exist` });
    else
      problems.push(
        ...findStructuralProblems((value as Record<string, unknown>)[key], child, depth + 1),
      );
  }
  return problems;
}

function fail(
  path: string,
  message: string,
  code: DecodeFailureCode = DECODE_FAILURE_CODES.contract,
): DecodeResult {
  return { ok: false, code, problems: [{ path, message }] };
}

/** A problem with the type (missing, or none the contract knows) makes the message unknown. */
function refused(problems: readonly FieldProblem[]): DecodeResult {
  const code = problems.some((p) => p.path === 'type')
    ? DECODE_FAILURE_CODES.unknownType
    : DECODE_FAILURE_CODES.contract;
  return { ok: false, code, problems };
}
