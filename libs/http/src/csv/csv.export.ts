import { Readable } from 'node:stream';
import { applyDecorators, StreamableFile, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProduces, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { CSV_CONTENT_TYPE, FORMAT_QUERY } from './csv.negotiation';
import { csvChunks, type CsvColumn } from './csv.stream';

/**
 * A streamed CSV answer for a controller to return. If the source fails halfway, Fastify cuts
 * the connection rather than ending the answer, so a client never takes a truncated file for a
 * whole one.
 */
export function csvFile<T>(
  filename: string,
  columns: readonly CsvColumn<T>[],
  rows: AsyncIterable<T> | Iterable<T>,
): StreamableFile {
  const safeName = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  return new StreamableFile(Readable.from(csvChunks(columns, rows)), {
    type: CSV_CONTENT_TYPE,
    disposition: `attachment; filename="${safeName}"`,
  });
}

/**
 * Documents a route that answers JSON (`jsonType`) or CSV: the `format` parameter, both media
 * types of the 200 answer and an example of the CSV.
 */
export function ApiJsonOrCsvResponse(
  jsonType: Type<unknown>,
  csvExample: string,
  description = 'JSON, or CSV for Accept: text/csv or ?format=csv',
): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(jsonType),
    ApiQuery({
      name: FORMAT_QUERY,
      required: false,
      enum: ['json', 'csv'],
      description: 'Answer as CSV (the same as Accept: text/csv); JSON by default',
    }),
    ApiProduces('application/json', 'text/csv'),
    ApiResponse({
      status: 200,
      description,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(jsonType) } },
        'text/csv': { schema: { type: 'string' }, example: csvExample },
      },
    }),
  );
}
