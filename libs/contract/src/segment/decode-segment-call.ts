import type { IncomingTouchpoint } from '@rapport/domain';
import type { IdentifyCall } from '@rapport/identity';
import { isCalendarDateTime } from '../calendar-date-time';
import { checkEventTime, decodeTouchpoint, type DecodeOptions } from '../decode-touchpoint';
import type { FieldProblem } from '../field-problem';
import { decodeIdentity } from '../identifiers/decode-identifiers';
import {
  CUSTOMER_ID_PATTERN,
  CUSTOMER_ID_RULE,
  OCCURRED_AT_RULE,
  TOUCHPOINT_ID_PATTERN,
  TOUCHPOINT_ID_RULE,
  ZONED_DATE_TIME,
} from '../touchpoint.request.dto';
import {
  mapSegmentCall,
  SEGMENT_REFUSAL_CODES,
  type MappedSegmentCall,
  type SegmentMappingOptions,
  type SegmentRefusalCode,
} from './map-segment-call';
import type { SegmentBatchDefaults } from './segment-call';

export type SegmentDecodeResult =
  | { readonly ok: true; readonly touchpoint: IncomingTouchpoint; readonly identify?: undefined }
  | { readonly ok: true; readonly identify: IdentifyCall; readonly touchpoint?: undefined }
  | {
      readonly ok: false;
      readonly code: SegmentRefusalCode;
      readonly problems: readonly FieldProblem[];
    };

export type SegmentDecodeOptions = SegmentMappingOptions & Omit<DecodeOptions, 'now'>;

/**
 * A Segment call to a touchpoint, checked by the same contract as every other entrance: mapped
 * (mapSegmentCall), then decoded (decodeTouchpoint), with what the contract refuses named by
 * the call's own fields.
 */
export function decodeSegmentCall(
  type: unknown,
  call: unknown,
  options: SegmentDecodeOptions,
  batch: SegmentBatchDefaults = {},
): SegmentDecodeResult {
  const mapping = mapSegmentCall(type, call, options, batch);
  if (!mapping.ok) return mapping;
  if (mapping.mapped.kind === 'identify') return decodeIdentifyCall(mapping.mapped, options);
  const decoded = decodeTouchpoint(mapping.mapped.message, {
    ...options,
    now: options.receivedAt,
  });
  if (decoded.ok) return decoded;
  return {
    ok: false,
    code: SEGMENT_REFUSAL_CODES.invalid,
    problems: decoded.problems.map((problem) => inSegmentTerms(problem, mapping.mapped)),
  };
}

/**
 * An identify call checked as a touchpoint's who and when are: identifiers normalised (an
 * email lower-cased, a phone to E.164) or refused naming the call's field (`traits.phone`).
 */
function decodeIdentifyCall(
  mapped: MappedSegmentCall,
  options: SegmentDecodeOptions,
): SegmentDecodeResult {
  const { touchpointId, source, customerId, identifiers, occurredAt } = mapped.message as {
    readonly touchpointId: string;
    readonly source: string;
    readonly customerId?: unknown;
    readonly identifiers?: unknown;
    readonly occurredAt: string;
  };
  const identity = decodeIdentity(customerId, identifiers, options.identifiers);
  // The envelope's rules, as the touchpoint DTO states them for every other call.
  const problems: FieldProblem[] = [];
  if (!TOUCHPOINT_ID_PATTERN.test(touchpointId))
    problems.push({ path: 'touchpointId', message: TOUCHPOINT_ID_RULE });
  if (typeof customerId === 'string' && !CUSTOMER_ID_PATTERN.test(customerId))
    problems.push({ path: 'customerId', message: CUSTOMER_ID_RULE });
  for (const problem of identity.problems)
    if (!problems.some((p) => p.path === problem.path)) problems.push(problem);
  const late =
    ZONED_DATE_TIME.test(occurredAt) && isCalendarDateTime(occurredAt)
      ? checkEventTime(occurredAt, { ...options, now: options.receivedAt })
      : { path: 'occurredAt', message: OCCURRED_AT_RULE };
  if (late) problems.push(late);
  if (problems.length)
    return {
      ok: false,
      code: SEGMENT_REFUSAL_CODES.invalid,
      problems: problems.map((problem) => inSegmentTerms(problem, mapped)),
    };
  return {
    ok: true,
    identify: {
      source,
      messageId: touchpointId,
      occurredAt: new Date(occurredAt).toISOString(),
      ...(identity.customerId === undefined ? {} : { customerId: identity.customerId }),
      identifiers: identity.identifiers,
    },
  };
}

/** `data.amount.minor` → `properties.total`, saying what Rapport made of it. */
function inSegmentTerms(problem: FieldProblem, mapped: MappedSegmentCall): FieldProblem {
  const origin = mapped.origins.find(
    ([contract]) =>
      problem.path === contract ||
      problem.path.startsWith(`${contract}.`) ||
      problem.path.startsWith(`${contract}[`),
  );
  if (!origin) return problem;
  return { path: origin[1], message: `${origin[1]} (as ${problem.path}): ${problem.message}` };
}
