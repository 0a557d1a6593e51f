// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

const nodeBuiltins = [
  "node:*",
  "fs",
  "path",
  "os",
  "child_process",
  "crypto",
  "http",
  "https",
  "net",
  "url",
  "stream",
  "events",
];

/** Architecture boundaries, as lint errors. */
const boundaries = [
  {
    files: ["shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/electron/**", "**/renderer/**", "electron", "electron/*", ...nodeBuiltins],
              message: "shared/ imports nothing from electron/, renderer/ or Node: it is the contract both sides use.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/electron/**", "electron", "electron/*", ...nodeBuiltins],
              message: "renderer/ talks to main only through the IPC contract in shared/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["electron/**/*.ts"],
    ignores: ["electron/main/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "electron",
                "electron/*",
                "electron-log/main",
                "electron-log/renderer",
                "**/renderer/**",
                "**/main/main",
                "**/main/tray",
                "**/main/preload",
              ],
              message: "The engine, servers and CLI run in plain Node: only electron/main/ may import electron.",
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "out/**",
      "release/**",
      "node_modules/**",
      "test/artifacts/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  { files: ["test/**/*.ts", "*.config.ts", "*.config.js"], rules: { "no-console": "off" } },
  ...boundaries,
);
