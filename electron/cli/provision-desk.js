#!/usr/bin/env node
// The `provision-desk` command on plain Node: register tsx so the TypeScript CLI runs without a build step.
import { register } from "tsx/esm/api";

register();
const { runFromProcess } = await import("./main.ts");
await runFromProcess();
