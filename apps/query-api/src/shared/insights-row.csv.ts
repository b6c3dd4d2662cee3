import type { ChurnReasonCode } from '@rapport/analytics';
import type { CsvColumn } from '@rapport/http';
import type { InsightsRow } from '@rapport/insights';

/**
 * What each reason code means, for a spreadsheet reader who has no API documentation at hand.
 * The figures behind a customer's reasons are in GET /v1/at-risk and the customer view.
 */
export const REASON_WORDS: Readonly<Record<ChurnReasonCode, string>> = {
  PURCHASE_OVERDUE: 'purchase overdue against their own rhythm',
  RECENT_CANCELLATIONS: 'recent cancellations',
  UNRESOLVED_COMPLAINTS: 'unresolved complaints',
  FALLING_ENGAGEMENT: 'falling engagement',
  LOW_PROBABILITY_ALIVE: 'low probability of still being a customer',
};

/**
 * The columns of a list export. Amounts are integers in minor units of `currency` (the
 * snapshot's reporting currency), named beside them so that a file read on its own is whole.
 */
export function insightsRowCsvColumns(currency: string): readonly CsvColumn<InsightsRow>[] {
  return [
    { header: 'customerId', value: (r) => r.customerId },
    { header: 'revenueMinor', value: (r) => r.revenueMinor },
    { header: 'currency', value: () => currency },
    { header: 'valueTier', value: (r) => r.valueTier },
    { header: 'segment', value: (r) => r.segment },
    { header: 'riskScore', value: (r) => r.riskScore },
    { header: 'riskBand', value: (r) => r.riskBand },
    { header: 'churnProbability', value: (r) => r.churnProbability },
    { header: 'valueAtRiskMinor', value: (r) => r.valueAtRiskMinor },
    { header: 'probabilityAlive', value: (r) => r.probabilityAlive ?? '' },
    { header: 'reasons', value: (r) => r.reasonCodes.join(' ') },
    { header: 'reasonWords', value: (r) => r.reasonCodes.map((c) => REASON_WORDS[c]).join('; ') },
    { header: 'firstSeenAt', value: (r) => r.firstSeenAt },
    { header: 'lastSeenAt', value: (r) => r.lastSeenAt ?? '' },
    { header: 'channels', value: (r) => r.channels.join(' ') },
    { header: 'clvMinor', value: (r) => r.clvMinor ?? '' },
    { header: 'predictedTier', value: (r) => r.predictedTier ?? '' },
    { header: 'costToServeMinor', value: (r) => r.costToServeMinor ?? '' },
    { header: 'predictedCostMinor', value: (r) => r.predictedCostMinor ?? '' },
    { header: 'netValueMinor', value: (r) => r.netValueMinor ?? '' },
  ];
}

export const INSIGHTS_ROW_CSV_EXAMPLE =
  'customerId,revenueMinor,currency,valueTier,segment,riskScore,riskBand,churnProbability,valueAtRiskMinor,probabilityAlive,reasons,reasonWords,firstSeenAt,lastSeenAt,channels,clvMinor,predictedTier,costToServeMinor,predictedCostMinor,netValueMinor\r\n' +
  'C-1001,184500,EUR,A,migrating,72,high,0.72,132840,0.41,PURCHASE_OVERDUE LOW_PROBABILITY_ALIVE,purchase overdue against their own rhythm; low probability of still being a customer,2025-02-03T10:00:00.000Z,2026-06-30T18:12:00.000Z,store web,61200,B,4200,2950,58250\r\n';
