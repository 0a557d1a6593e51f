/**
 * The one Content-Security-Policy for the renderer, used by the Electron session and by browser mode.
 * Nothing inline, nothing remote; browser mode additionally needs its own WebSocket (`ws://127.0.0.1:PORT`).
 */
export function buildCsp(options: { webSocketOrigin?: string } = {}): string {
  const connect = ["'self'", ...(options.webSocketOrigin ? [options.webSocketOrigin] : [])].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
