// A second entry point, @rapport/http/problems: the problem-details errors alone. Code that only
// raises a 400 or a 503 (a cursor decoder, a snapshot source) loads @nestjs/common's HttpException
// through it, not the whole HTTP edge (Fastify, swagger, pino, every guard and module) that the
// index brings; inside Jest every spec file loads its imports afresh, so that was most of their cost.
export * from './problem-details';
