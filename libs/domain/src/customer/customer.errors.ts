import { DomainError } from '../shared/domain.error';
import type { Money } from '../shared/money';

export class OrderAlreadyPurchasedError extends DomainError {
  readonly code = 'ORDER_ALREADY_PURCHASED';
  constructor(orderId: string) {
    super(`order ${orderId} was already purchased by another touchpoint`, { orderId });
  }
}

export class OrderNotFoundError extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';
  constructor(orderId: string) {
    super(`order ${orderId} has no recorded purchase for this customer`, { orderId });
  }
}

export class OrderAlreadyCancelledError extends DomainError {
  readonly code = 'ORDER_ALREADY_CANCELLED';
  constructor(orderId: string) {
    super(`order ${orderId} was already cancelled in full`, { orderId });
  }
}

export class CancellationExceedsPaymentError extends DomainError {
  readonly code = 'CANCELLATION_EXCEEDS_PAYMENT';
  constructor(orderId: string, requestedMinor: number, paidMinor: number, leftMinor = paidMinor) {
    super(
      leftMinor === paidMinor
        ? `cancellation of ${requestedMinor} exceeds the ${paidMinor} paid for order ${orderId}`
        : `cancellation of ${requestedMinor} exceeds the ${leftMinor} left of the ${paidMinor} paid for order ${orderId}`,
      { orderId, requestedMinor, paidMinor, leftMinor },
    );
  }
}

/**
 * Every revenue total of a customer is held as a JavaScript number, exact only up to
 * Number.MAX_SAFE_INTEGER: a purchase that would take the customer's purchases in a currency
 * past it is refused rather than stored to break their view and the population's insights.
 */
export class CustomerTotalTooLargeError extends DomainError {
  readonly code = 'CUSTOMER_TOTAL_TOO_LARGE';
  constructor(orderId: string, amount: Money, purchasedMinor: number) {
    super(
      `order ${orderId} of ${amount.minor} ${amount.currency} would take the customer's purchases in ` +
        `${amount.currency} (${purchasedMinor} so far) past ${Number.MAX_SAFE_INTEGER} minor units, ` +
        'the most a total can hold exactly',
      {
        orderId,
        amountMinor: amount.minor,
        currency: amount.currency,
        purchasedMinor,
        limitMinor: Number.MAX_SAFE_INTEGER,
      },
    );
  }
}

export class CurrencyMismatchError extends DomainError {
  readonly code = 'CURRENCY_MISMATCH';
  constructor(orderId: string, expected: string, actual: string) {
    super(`order ${orderId} was paid in ${expected}, not ${actual}`, { orderId, expected, actual });
  }
}

export class ComplaintAlreadyRaisedError extends DomainError {
  readonly code = 'COMPLAINT_ALREADY_RAISED';
  constructor(complaintId: string) {
    super(`complaint ${complaintId} was already raised by another touchpoint`, { complaintId });
  }
}

export class ComplaintNotFoundError extends DomainError {
  readonly code = 'COMPLAINT_NOT_FOUND';
  constructor(complaintId: string) {
    super(`complaint ${complaintId} was never raised for this customer`, { complaintId });
  }
}

export class ComplaintAlreadyResolvedError extends DomainError {
  readonly code = 'COMPLAINT_ALREADY_RESOLVED';
  constructor(complaintId: string) {
    super(`complaint ${complaintId} was already resolved`, { complaintId });
  }
}

/**
 * A touchpoint id (per source) belongs to the one customer it was first recorded for. A
 * redelivery carries the same customer and is a duplicate there; the same id for another
 * customer is a producer's mistake, refused rather than dropped as a duplicate or recorded
 * twice.
 */
export class TouchpointRecordedForAnotherCustomerError extends DomainError {
  readonly code = 'TOUCHPOINT_RECORDED_FOR_ANOTHER_CUSTOMER';
  constructor(source: string, touchpointId: string, firstCustomerId: string) {
    super(
      `touchpoint ${touchpointId} of source ${source} was first recorded for customer ${firstCustomerId}; a touchpoint id belongs to one customer`,
      { source, touchpointId, firstCustomerId },
    );
  }
}

/**
 * The customer's stored history cannot be folded back into a state (an event written past the
 * edge's checks, by a newer writer or by hand): nothing can be decided for them until the
 * stream is repaired. Their touchpoints are refused with this reason, never half-decided; the
 * other customers of a batch go on.
 */
export class CustomerHistoryUnreadableError extends DomainError {
  readonly code = 'CUSTOMER_HISTORY_UNREADABLE';
  constructor(customerId: string, cause: string) {
    super(
      `the stored history of customer ${customerId} cannot be read back (${cause}); their touchpoints are refused until the stream is repaired, then can be sent again`,
      { customerId },
    );
  }
}
