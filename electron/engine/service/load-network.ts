import type * as Network from "./network";

let networkModule: Promise<typeof Network> | undefined;
/** The code that talks to Entra ID and the target (network.ts), imported on first use. */
export const network = () => (networkModule ??= import("./network"));
