const PREFIX = 'customer-';

/** One stream per customer: `customer-<customerId>`. */
export function customerStreamName(customerId: string): string {
  return `${PREFIX}${customerId}`;
}

export function customerIdFromStream(streamName: string): string | undefined {
  return streamName.startsWith(PREFIX) ? streamName.slice(PREFIX.length) : undefined;
}
