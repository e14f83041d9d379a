import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemType, PROBLEM_CONTENT_TYPE, type ProblemBody } from 'src/common/errors/problem';

const BY_CODE: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
    detail: 'The request line and headers exceed 16 KiB; send long inputs in a body instead of the URL.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', detail: 'The request did not arrive in time.' },
};

/**
 * Requests Node refuses before Express sees them (a request line or headers over 16 KiB, a malformed request line)
 * get a problem+json body like every other error, instead of Node's bare status line.
 */
export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset connection, or one whose response already started, cannot take an answer.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const known = BY_CODE[error.code ?? ''] ?? { status: 400, code: 'MALFORMED_REQUEST', detail: 'The HTTP request could not be parsed.' };
    const body: ProblemBody = {
      type: problemType(known.code),
      title: STATUS_CODES[known.status] ?? 'Bad Request',
      status: known.status,
      detail: known.detail,
      instance: '',
      code: known.code,
      requestId: randomUUID(),
    };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nX-Request-Id: ${body.requestId}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
}
