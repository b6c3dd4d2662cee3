export * from './field-problem';
export * from './decode-touchpoint';
export * from './touchpoint.request.dto';
export * from './touchpoint-data.dto';
export * from './segment/segment-call';
export * from './segment/segment-amount';
export * from './segment/map-segment-call';
export * from './segment/decode-segment-call';
