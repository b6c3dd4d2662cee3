import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { ProblemDetailsException } from './problem-details';

/**
 * Request bodies are JSON (application/json and application/*+json) and nothing else: other
 * media types get 415 rather than reaching a handler as text. Fastify's parser refuses
 * __proto__ and constructor.prototype keys; a refusal says what was wrong with the body.
 */
export function acceptJsonBodiesOnly(server: FastifyInstance): void {
  const parse = server.getDefaultJsonParser('error', 'error');
  // Decoded here, not by Fastify: its own decoding turns bytes that are not UTF-8 into a
  // length mismatch, which would hide what is wrong.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const parser: FastifyBodyParser<Buffer> = (request, bytes, done) => {
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return done(malformedJson('it is not UTF-8'));
    }
    parse(request, text, (error, value) =>
      error ? done(malformedJson(reasonOf(text))) : done(null, value),
    );
  };
  server.removeAllContentTypeParsers();
  // Fastify tests a RegExp against the whole header, parameters (charset) included.
  for (const type of ['application/json', /^application\/[\w.-]+\+json\s*(;.*)?$/i])
    server.addContentTypeParser(type, { parseAs: 'buffer' }, parser);
}

function malformedJson(reason: string): ProblemDetailsException {
  return new ProblemDetailsException({
    title: 'Malformed JSON',
    status: 400,
    detail: `the request body is not valid JSON: ${reason}`,
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
