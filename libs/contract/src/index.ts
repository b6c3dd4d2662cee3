export * from './field-problem';
export * from './decode-touchpoint';
export * from './touchpoint.request.dto';
export * from './touchpoint-data.dto';
