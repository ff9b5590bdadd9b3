import { Readable } from 'node:stream';
import type { Request } from 'express';
import { readStatementBody } from './statement-body';

function request(contentType: string | undefined, body: string | Buffer[]): Request {
  const stream = Readable.from(typeof body === 'string' ? [Buffer.from(body)] : body);
  return Object.assign(stream, {
    headers: contentType ? { 'content-type': contentType } : {},
  }) as unknown as Request;
}

describe('readStatementBody', () => {
  it('reads camt.053 from application/xml and text/xml, CSV from text/csv', async () => {
    await expect(
      readStatementBody(request('application/xml; charset=utf-8', '<Document/>')),
    ).resolves.toEqual({ format: 'camt053', content: '<Document/>' });
    await expect(readStatementBody(request('text/xml', '<x/>'))).resolves.toEqual({
      format: 'camt053',
      content: '<x/>',
    });
    await expect(readStatementBody(request('text/csv', 'date,amount\n'))).resolves.toEqual({
      format: 'csv',
      content: 'date,amount\n',
    });
  });

  it('leaves JSON (and bodies without a type) to the JSON parser', async () => {
    await expect(readStatementBody(request('application/json', '{}'))).resolves.toBeUndefined();
    await expect(readStatementBody(request(undefined, 'x'))).resolves.toBeUndefined();
  });

  it('refuses an empty statement and one above 4 MB', async () => {
    await expect(readStatementBody(request('text/csv', '  \n'))).rejects.toMatchObject({ status: 400 });
    const big = Array.from({ length: 5 }, () => Buffer.alloc(1_000_000, 65));
    await expect(readStatementBody(request('text/csv', big))).rejects.toMatchObject({ status: 413 });
  });
});
