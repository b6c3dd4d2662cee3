import type { CsvColumn } from '@rapport/http';
import type { InsightsRow } from '@rapport/projections';

export const INSIGHTS_ROW_CSV_COLUMNS: readonly CsvColumn<InsightsRow>[] = [
  { header: 'customerId', value: (r) => r.customerId },
  { header: 'revenueMinor', value: (r) => r.revenueMinor },
  { header: 'valueTier', value: (r) => r.valueTier },
  { header: 'segment', value: (r) => r.segment },
  { header: 'riskScore', value: (r) => r.riskScore },
  { header: 'riskBand', value: (r) => r.riskBand },
  { header: 'churnProbability', value: (r) => r.churnProbability },
  { header: 'valueAtRiskMinor', value: (r) => r.valueAtRiskMinor },
  { header: 'probabilityAlive', value: (r) => r.probabilityAlive ?? '' },
  { header: 'reasons', value: (r) => r.reasonCodes.join(' ') },
  { header: 'firstSeenAt', value: (r) => r.firstSeenAt },
  { header: 'lastSeenAt', value: (r) => r.lastSeenAt ?? '' },
  { header: 'channels', value: (r) => r.channels.join(' ') },
];

export const INSIGHTS_ROW_CSV_EXAMPLE =
  'customerId,revenueMinor,valueTier,segment,riskScore,riskBand,churnProbability,valueAtRiskMinor,probabilityAlive,reasons,firstSeenAt,lastSeenAt,channels\r\n' +
  'C-1001,184500,A,migrating,72,high,0.72,132840,0.41,PURCHASE_OVERDUE LOW_PROBABILITY_ALIVE,2025-02-03T10:00:00.000Z,2026-06-30T18:12:00.000Z,store web\r\n';
