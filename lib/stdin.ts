// Pacemaker writes the options and closes stdin at once; a caller that never closes it must
// not hold the agent forever, nor may an endless stream fill its memory.
export const STDIN_TIMEOUT_MS = 30_000;
export const STDIN_MAX_BYTES = 1024 * 1024;

export function readBoundedStdin(stream: NodeJS.ReadableStream, timeoutMs = STDIN_TIMEOUT_MS, maxBytes = STDIN_MAX_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.removeAllListeners('end');
      stream.removeAllListeners('error');
      (stream as NodeJS.ReadStream).destroy?.();
      if (error) reject(error);
      else resolve(new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks)));
    };
    const timer = setTimeout(() => finish(new Error(`no end of input on stdin within ${timeoutMs / 1000} s: give options as arguments or close stdin`)), timeoutMs);
    stream.on('data', (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > maxBytes) return finish(new Error(`stdin is larger than ${maxBytes} bytes`));
      chunks.push(b);
    });
    stream.on('end', () => finish());
    stream.on('error', (e: Error) => finish(new Error(`cannot read stdin: ${e.message}`)));
  });
}
