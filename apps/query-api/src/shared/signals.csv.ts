import type { CsvColumn } from '@rapport/http';
import type { SignalDto } from './signals.response.dto';

/** The JSON fields, one column each; evidence stays JSON in one cell. */
export const SIGNALS_CSV_COLUMNS: readonly CsvColumn<SignalDto>[] = [
  { header: 'id', value: (s) => s.id },
  { header: 'rule', value: (s) => s.rule },
  { header: 'ruleVersion', value: (s) => s.ruleVersion },
  { header: 'trigger', value: (s) => s.trigger },
  { header: 'subjectKind', value: (s) => s.subject.kind },
  { header: 'subjectId', value: (s) => s.subject.id },
  { header: 'dueAt', value: (s) => s.dueAt },
  { header: 'expiresAt', value: (s) => s.expiresAt },
  { header: 'valueAtStakeMinor', value: (s) => s.valueAtStake?.minor ?? '' },
  { header: 'currency', value: (s) => s.valueAtStake?.currency ?? '' },
  { header: 'reason', value: (s) => s.reason },
  { header: 'suggestedAction', value: (s) => s.suggestedAction },
  { header: 'status', value: (s) => s.status },
  { header: 'derivedAtPosition', value: (s) => s.derivedAtPosition },
  { header: 'evidence', value: (s) => s.evidence },
];

export const SIGNALS_CSV_EXAMPLE =
  'id,rule,ruleVersion,trigger,subjectKind,subjectId,dueAt,expiresAt,valueAtStakeMinor,currency,reason,suggestedAction,status,derivedAtPosition,evidence\r\n' +
  '5f0c…,thank-you,1,first-purchase,customer,C-1001,2026-11-20T14:03:00Z,2026-12-04T14:03:00.000Z,4999,EUR,First purchase: order O-55 of 49.99 EUR.,Send a personal welcome…,published,42,"{""events"":[…]}"\r\n';
