import type { IncomingTouchpoint } from '@rapport/domain';
import { decodeTouchpoint, type DecodeOptions } from '../decode-touchpoint';
import type { FieldProblem } from '../field-problem';
import {
  mapSegmentCall,
  SEGMENT_REFUSAL_CODES,
  type MappedSegmentCall,
  type SegmentMappingOptions,
  type SegmentRefusalCode,
} from './map-segment-call';
import type { SegmentBatchDefaults } from './segment-call';

export type SegmentDecodeResult =
  | { readonly ok: true; readonly touchpoint: IncomingTouchpoint }
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
