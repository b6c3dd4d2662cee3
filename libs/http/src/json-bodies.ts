import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { ProblemDetailsException } from './problem-details';

/**
 * Request bodies are JSON (application/json and application/*+json) and nothing else: other
 * media types get 415 rather than reaching a handler as text. Fastify's parser refuses
 * __proto__ and constructor.prototype keys; a refusal says what was wrong with the body.
 */
export function acceptJsonBodiesOnly(server: FastifyInstance): void {
  const parse = server.getDefaultJsonParser('error', 'error');
  const parser: FastifyBodyParser<string> = (request, body, done) =>
    parse(request, body, (error, value) => (error ? done(malformedJson(body)) : done(null, value)));
  server.removeAllContentTypeParsers();
  // Fastify tests a RegExp against the whole header, parameters (charset) included.
  for (const type of ['application/json', /^application\/[\w.-]+\+json\s*(;.*)?$/i])
    server.addContentTypeParser(type, { parseAs: 'string' }, parser);
}

function malformedJson(body: string): ProblemDetailsException {
  return new ProblemDetailsException({
    title: 'Malformed JSON',
    status: 400,
    detail: `the request body is not valid JSON: ${reasonOf(body)}`,
    code: 'MALFORMED_JSON',
  });
}

function reasonOf(body: string): string {
  if (body.trim() === '') return 'it is empty';
  try {
    JSON.parse(body);
    return 'it has a __proto__ or constructor.prototype key, which is refused';
  } catch (error) {
    return (error as Error).message;
  }
}
