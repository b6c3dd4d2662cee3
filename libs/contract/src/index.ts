export * from './field-problem';
export * from './decode-touchpoint';
export * from './touchpoint.request.dto';
export * from './touchpoint-data.dto';
export * from './identifiers/decode-identifiers';
export * from './identifiers/normalise-identifier';
export * from './identifiers/message-key';
