import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (req: Recorded, res: ServerResponse, index: number) => void;

export interface LocalServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

function listen(server: Server, scheme: string, requests: Recorded[]): Promise<LocalServer> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function wrap(handler: Handler, requests: Recorded[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(rec);
      handler(rec, res, requests.length - 1);
    });
  };
}

/** A plain HTTP server on 127.0.0.1:0 that records every request. */
export function startServer(handler: Handler): Promise<LocalServer> {
  const requests: Recorded[] = [];
  return listen(createHttpServer(wrap(handler, requests)), "http", requests);
}

/** An HTTPS server with a fresh self-signed certificate for 127.0.0.1; `cert` is the PEM to trust. */
export async function startHttpsServer(handler: Handler): Promise<LocalServer & { cert: string }> {
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  const requests: Recorded[] = [];
  const server = createHttpsServer({ key: pems.private, cert: pems.cert }, wrap(handler, requests));
  return { ...(await listen(server, "https", requests)), cert: pems.cert };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
