// getRaw(url, headers): a request over node:http, not fetch: fetch would decompress, and tests
// of precompressed pages want the bytes as sent.
import { request } from 'node:http';

export type RawHttpResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

export function getRaw(url: URL, headers: Record<string, string> = {}, method = 'GET'): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
