// Packages a bundle leaves external are loaded from node_modules at runtime, so each must be a production dependency
// (devDependencies are not installed with --omit=dev, nor packaged by electron-builder). Fails the build otherwise.
import { readFileSync } from "node:fs";

const { dependencies = {} } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** `names`, checked; `provided` are supplied by the runtime itself (electron in the main process). */
export function runtimeExternals(names, provided = []) {
  const missing = names.filter((name) => !provided.includes(name) && !(name in dependencies));
  if (missing.length > 0)
    throw new Error(`External in a bundle but not in package.json "dependencies": ${missing.join(", ")}`);
  return [...provided, ...names];
}
