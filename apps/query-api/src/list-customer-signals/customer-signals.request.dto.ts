import { SignalsPageRequestDto } from '../shared/signals-page.request.dto';

/** The customer is in the path; the rest filters and pages as `GET /v1/signals` does. */
export class CustomerSignalsRequestDto extends SignalsPageRequestDto {}
