import type { Command } from "commander";
import { once } from "node:events";
import type { CliContext } from "../context";
import { CliError, EXIT } from "../exit-codes";

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(`--port ${value} is not a port number (0-65535).`, EXIT.usage);
  return n;
};

const untilSignal = () => Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]).then(() => undefined);

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command("serve")
    .description("browser mode on 127.0.0.1, with scheduled cycles, until stopped (Ctrl+C)")
    .option("--port <n>", "port to listen on (default: a free one)", port)
    .action((options: { port?: number }) =>
      ctx.run(async () => {
        // Loaded only here: the other commands never pay for the web server.
        const [{ startBrowserServer }, { ensureRendererBuilt, rendererDir }] = await Promise.all([
          import("../../server"),
          import("../../launch/renderer-build"),
        ]);
        ensureRendererBuilt((line) => ctx.out(`${line}\n`));
        const service = await ctx.openService({ scheduled: true });
        const server = await startBrowserServer({ service, port: options.port, staticDir: rendererDir });
        ctx.out(`ProvisionDesk browser mode: open ${server.url}\nPress Ctrl+C to stop.\n`);
        await (ctx.io.untilStopped ?? untilSignal)();
        await server.close();
      }),
    );
}
