import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemDetailsException } from './problem-details';
import { answerWithProblem } from './problem-details.filter';

describe('answering with problem details', () => {
  const request = { method: 'GET', url: '/v1/tiers' } as FastifyRequest;
  let sent: { status?: number; body?: string };
  const reply = {
    sent: false,
    status(status: number) {
      sent.status = status;
      return this;
    },
    headers() {
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  } as unknown as FastifyReply;
  let errors: jest.SpyInstance;

  beforeEach(() => {
    sent = {};
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => {});
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs an unexpected failure with its stack and answers 500 without it', () => {
    answerWithProblem(new Error('database exploded'), request, reply);
    expect(sent.status).toBe(500);
    expect(sent.body).not.toContain('exploded');
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining('GET /v1/tiers failed: Error: database exploded'),
      expect.stringContaining('Error: database exploded'),
    );
  });

  it('leaves a 503 chosen on purpose to the request log', () => {
    const notReady = new ProblemDetailsException({
      title: 'Service unavailable',
      status: 503,
      code: 'INSIGHTS_NOT_READY',
      detail: 'retry shortly',
    });
    answerWithProblem(notReady, request, reply);
    expect(sent.status).toBe(503);
    expect(JSON.parse(sent.body!)).toMatchObject({ code: 'INSIGHTS_NOT_READY' });
    expect(errors).not.toHaveBeenCalled();
  });

  it('names the path as the instance, never the query string', () => {
    const withSecret = {
      method: 'GET',
      url: '/v1/customers/C-1?apiKey=secret-key-0123456789&email=a%40b.example',
    } as FastifyRequest;
    answerWithProblem(
      new ProblemDetailsException({ title: 'Not found', status: 404 }),
      withSecret,
      reply,
    );
    expect(JSON.parse(sent.body!).instance).toBe('/v1/customers/C-1');
    expect(sent.body).not.toMatch(/secret|apiKey|b\.example/);
  });
});
