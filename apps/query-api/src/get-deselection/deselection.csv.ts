import type { CsvColumn } from '@rapport/http';
import type { DeselectionItem } from './get-deselection.query';

const partCost = (row: DeselectionItem, driver: string) =>
  row.costParts?.find((part) => part.driver === driver)?.costMinor ?? 0;

/** A de-selection export, whole on its own: amounts in minor units of its `currency` column. */
export function deselectionCsvColumns(currency: string): readonly CsvColumn<DeselectionItem>[] {
  return [
    { header: 'customerId', value: (r) => r.customerId },
    { header: 'currency', value: () => currency },
    { header: 'netValueMinor', value: (r) => r.netValueMinor ?? '' },
    { header: 'clvMinor', value: (r) => r.clvMinor ?? '' },
    { header: 'predictedCostMinor', value: (r) => r.predictedCostMinor ?? '' },
    { header: 'costToServeMinor', value: (r) => r.costToServeMinor ?? '' },
    { header: 'callCostMinor', value: (r) => partCost(r, 'calls') },
    { header: 'complaintCostMinor', value: (r) => partCost(r, 'complaints') },
    { header: 'cancellationCostMinor', value: (r) => partCost(r, 'cancellations') },
    { header: 'emailCostMinor', value: (r) => partCost(r, 'emails') },
    { header: 'revenueMinor', value: (r) => r.revenueMinor },
    { header: 'valueTier', value: (r) => r.valueTier },
    { header: 'predictedTier', value: (r) => r.predictedTier ?? '' },
    { header: 'probabilityAlive', value: (r) => r.probabilityAlive ?? '' },
    { header: 'reasons', value: (r) => r.reasons.join('; ') },
  ];
}

export const DESELECTION_CSV_EXAMPLE =
  'customerId,currency,netValueMinor,clvMinor,predictedCostMinor,costToServeMinor,callCostMinor,complaintCostMinor,cancellationCostMinor,emailCostMinor,revenueMinor,valueTier,predictedTier,probabilityAlive,reasons\r\n' +
  'C-2001,EUR,-4310,1190,5500,6000,3200,2500,0,300,4500,C,C,0.62,expected cost to serve over 12 months 5500 EUR minor units exceeds the CLV 1190 EUR minor units by 4310 EUR minor units; call minutes in the trailing window: 40 costing 3200 EUR minor units\r\n';
