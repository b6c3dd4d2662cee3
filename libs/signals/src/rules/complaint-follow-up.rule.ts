import type { SignalFacts } from '../facts/signal-facts';
import type { Signal } from '../signal';
import type { SignalRulesConfig } from '../signal-rules.config';
import {
  currencyAt,
  DAY_MS,
  evidenceEvent,
  HOUR_MS,
  isoPlus,
  signalOf,
  timeOf,
  trailingRevenue,
} from './rule-support';

export const COMPLAINT_FOLLOW_UP_VERSION = 1;

/**
 * A complaint still open N hours after it was raised (due then, whether or not it was resolved
 * later: it was open at that moment), and a satisfaction check M days after a resolution.
 * Both are due at a time the events fix, so evaluating at any later `asOf` gives the same signal.
 */
export function complaintFollowUpSignals(
  facts: SignalFacts,
  config: SignalRulesConfig['complaintFollowUp'],
  asOf: number,
): Signal[] {
  const signals: Signal[] = [];
  const openFor = config.openAfterHours * HOUR_MS;
  const expiresAfter = config.expiresAfterDays * DAY_MS;
  for (const complaint of facts.complaints) {
    const raised = timeOf(complaint.raisedAt);
    const due = raised + openFor;
    const resolved = complaint.resolvedAt === undefined ? undefined : timeOf(complaint.resolvedAt);
    const raisedEvent = evidenceEvent('ComplaintRaised', {
      eventId: complaint.eventId,
      occurredAt: complaint.raisedAt,
      position: complaint.position,
    });
    if (due <= asOf && (resolved === undefined || resolved > due)) {
      const dueAt = new Date(due).toISOString();
      signals.push(
        signalOf(
          facts,
          'complaint-follow-up',
          COMPLAINT_FOLLOW_UP_VERSION,
          'complaint-open',
          complaint.eventId,
          {
            reason:
              `Complaint ${complaint.complaintId} has been open for ${config.openAfterHours} hours ` +
              `(raised ${complaint.raisedAt}).`,
            evidence: {
              events: [raisedEvent],
              figures: {
                complaintId: complaint.complaintId,
                openAfterHours: config.openAfterHours,
              },
            },
            valueAtStake: valueAt(facts, due),
            suggestedAction: 'Call the customer about the open complaint and agree a resolution.',
            dueAt,
            expiresAt: isoPlus(dueAt, expiresAfter),
          },
        ),
      );
    }
    if (resolved === undefined || complaint.resolvedEventId === undefined) continue;
    const satisfactionDue = resolved + config.satisfactionAfterDays * DAY_MS;
    if (satisfactionDue > asOf) continue;
    const dueAt = new Date(satisfactionDue).toISOString();
    signals.push(
      signalOf(
        facts,
        'complaint-follow-up',
        COMPLAINT_FOLLOW_UP_VERSION,
        'satisfaction-check',
        complaint.resolvedEventId,
        {
          reason:
            `Complaint ${complaint.complaintId} was resolved ${config.satisfactionAfterDays} days ` +
            `ago (${complaint.resolvedAt}): time to ask whether the customer is satisfied.`,
          evidence: {
            events: [
              raisedEvent,
              evidenceEvent('ComplaintResolved', {
                eventId: complaint.resolvedEventId,
                occurredAt: complaint.resolvedAt!,
                position: complaint.resolvedPosition,
              }),
            ],
            figures: {
              complaintId: complaint.complaintId,
              satisfactionAfterDays: config.satisfactionAfterDays,
              hoursToResolve: Math.round((resolved - raised) / HOUR_MS),
            },
          },
          valueAtStake: valueAt(facts, satisfactionDue),
          suggestedAction: 'Ask the customer whether the resolution satisfied them.',
          dueAt,
          expiresAt: isoPlus(dueAt, expiresAfter),
        },
      ),
    );
  }
  return signals;
}

function valueAt(facts: SignalFacts, at: number) {
  const currency = currencyAt(facts, at);
  return currency === undefined ? null : trailingRevenue(facts, at, currency);
}
