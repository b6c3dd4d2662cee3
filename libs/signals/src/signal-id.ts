import { v5 as uuidv5 } from 'uuid';
import type { SignalRuleName, SignalSubject } from './signal';

/** Fixed namespace of signal ids; changing it would make every delivered signal new again. */
const SIGNAL_NAMESPACE = '0b8d3f55-2c1e-4f7a-9e64-5d2a7c913e08';

/**
 * The id of a signal: rule, rule version, subject and the trigger (an event id, or a rule's
 * own key for it). Thresholds are deliberately left out: retuning a rule changes what fires,
 * not the identity of what already fired, so a consumer never gets one occasion twice.
 */
export function signalId(
  rule: SignalRuleName,
  ruleVersion: number,
  subject: SignalSubject,
  trigger: string,
): string {
  return uuidv5(
    `${rule}/${ruleVersion}/${subject.kind}:${subject.id}/${trigger}`,
    SIGNAL_NAMESPACE,
  );
}
