import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { MAX_JSON_NESTING, tooDeepAt } from './json/json-nesting';
import { ProblemDetailsException } from './problem-details';

/**
 * Request bodies are JSON (application/json and application/*+json) and nothing else: other
 * media types get 415 rather than reaching a handler as text. A body nested deeper than
 * MAX_JSON_NESTING is refused before it is parsed; any other body is parsed once, and a refusal
 * says what is wrong with it from that one parse (Fastify's own JSON parser drops the reason,
 * which would take a second parse to find). __proto__ and constructor.prototype keys are
 * refused, as Fastify's parser does.
 */
export function acceptJsonBodiesOnly(server: FastifyInstance): void {
  // Decoded here, not by Fastify: its own decoding turns bytes that are not UTF-8 into a
  // length mismatch, which would hide what is wrong.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const parser: FastifyBodyParser<Buffer> = (_request, bytes, done) => {
    const deepAt = tooDeepAt(bytes);
    if (deepAt >= 0) return done(tooDeep(deepAt));
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return done(malformedJson('it is not UTF-8'));
    }
    if (/^\s*$/.test(text)) return done(malformedJson('it is empty'));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return done(malformedJson((error as Error).message));
    }
    if (hasPrototypeKey(text, value))
      return done(
        malformedJson('it has a __proto__ or constructor.prototype key, which is refused'),
      );
    done(null, value);
  };
  server.removeAllContentTypeParsers();
  // Fastify tests a RegExp against the whole header, parameters (charset) included.
  for (const type of ['application/json', /^application\/[\w.-]+\+json\s*(;.*)?$/i])
    server.addContentTypeParser(type, { parseAs: 'buffer' }, parser);
  server.addContentTypeParser(
    /^text\/plain\s*(;.*)?$/i,
    { parseAs: 'buffer' },
    (request, bytes: Buffer, done) =>
      TEXT_PLAIN_JSON_ROUTES.some((prefix) => request.url.startsWith(prefix))
        ? parser(request, bytes, done)
        : done(unsupportedMediaType(String(request.headers['content-type']))),
  );
}

/**
 * Routes whose clients send JSON labelled text/plain: analytics.js in the browser does, for
 * Segment calls, so that its cross-origin POST needs no CORS preflight. Everywhere else
 * text/plain stays 415, as any other type that is not JSON.
 */
const TEXT_PLAIN_JSON_ROUTES: readonly string[] = ['/v1/segment/'];

/** As Fastify answers a type it has no parser for (the problem filter adds the hint). */
function unsupportedMediaType(contentType: string): Error {
  return Object.assign(new Error(`Unsupported Media Type: ${contentType}`), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}

function malformedJson(reason: string): ProblemDetailsException {
  return new ProblemDetailsException({
    title: 'Malformed JSON',
    status: 400,
    detail: `the request body is not valid JSON: ${reason}`,
    code: 'MALFORMED_JSON',
  });
}

function tooDeep(offset: number): ProblemDetailsException {
  return new ProblemDetailsException({
    title: 'JSON too deep',
    status: 400,
    detail: `the request body's JSON nests objects and arrays deeper than ${MAX_JSON_NESTING} levels (at byte ${offset})`,
    code: 'JSON_TOO_DEEP',
  });
}

/**
 * Whether the parsed body has a key that would reach a prototype if anything merged it. The
 * walk runs only when the text could spell such a key (`\u` escapes included), which
 * ordinary bodies don't.
 */
function hasPrototypeKey(text: string, value: unknown): boolean {
  if (!/__proto__|constructor|\\u/.test(text)) return false;
  const pending = [value];
  while (pending.length) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Object.hasOwn(node, '__proto__')) return true;
    const ctor = (node as { constructor?: unknown }).constructor;
    if (
      Object.hasOwn(node, 'constructor') &&
      ctor !== null &&
      typeof ctor === 'object' &&
      Object.hasOwn(ctor, 'prototype')
    )
      return true;
    for (const child of Object.values(node))
      if (child !== null && typeof child === 'object') pending.push(child);
  }
  return false;
}
