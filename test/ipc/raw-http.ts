import { connect } from "node:net";

/**
 * Sends raw bytes to a local server and resolves to everything it answered before closing (or before `waitMs` of
 * silence): the tests need requests no well-behaved client library would send.
 */
export function rawExchange(port: number, bytes: string | Buffer, waitMs = 300): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString("latin1"));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, waitMs);
    };
    socket.on("data", (chunk) => (chunks.push(chunk), arm()));
    socket.on("close", finish);
    socket.on("error", finish);
    socket.on("connect", () => {
      socket.write(bytes);
      arm();
    });
  });
}

/** A WebSocket upgrade request for `target` with the given extra header lines. */
export const upgradeRequest = (port: number, target: string, headers: string[] = []): string =>
  [
    `GET ${target} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    ...headers,
    "",
    "",
  ].join("\r\n");

/** The status code of the first HTTP response in `answer`, or 0 when there was none. */
export const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
