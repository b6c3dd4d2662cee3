import type { TouchpointEvent } from '@rapport/domain';

/**
 * Who took the step a touchpoint records: the customer (a visit, an inbound call, an email they
 * sent or opened, clicked or answered, a purchase, a cancellation, a complaint), or the
 * business (an email or call it made, a reply, a complaint it resolved). "Last seen" is the
 * customer's own latest step: the business's campaign emails say nothing of whether the
 * customer is still around.
 */
export type Initiative = 'customer' | 'business';

export function initiativeOf(event: TouchpointEvent): Initiative {
  switch (event.type) {
    case 'WebVisitRecorded':
    case 'PurchaseCompleted':
    case 'OrderCancelled':
    case 'ComplaintRaised':
      return 'customer';
    case 'CallLogged':
      return event.data.direction === 'inbound' ? 'customer' : 'business';
    case 'EmailRecorded':
      // Sending is the step of whoever the email comes from; opening, clicking and replying
      // are the step of whoever it went to.
      return (event.data.direction === 'outbound') === (event.data.action === 'sent')
        ? 'business'
        : 'customer';
    case 'ComplaintResolved':
      return 'business';
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
