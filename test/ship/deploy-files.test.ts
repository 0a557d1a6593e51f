// The deployment files under deploy/ cannot run here (no systemd, Task Scheduler, Docker or cluster): this checks
// that each parses, holds what the README promises, and only asks the CLI for commands and variables it has.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../electron/cli/main";
import { checkXml, parseUnitFile, parseYamlDocuments, type Yaml } from "./config-formats";

const ROOT = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(ROOT, "deploy", path), "utf8");

/** The variables the CLI reads (secrets, data folder, profile): a deployment file must not invent others. */
const CLI_VARIABLES = [
  "PROVISIONDESK_CLIENT_SECRET",
  "PROVISIONDESK_SCIM_TOKEN",
  "PROVISIONDESK_SMTP_PASSWORD",
  "PROVISIONDESK_DATA_DIR",
  "PROVISIONDESK_PROFILE",
];
const SECRET_VARIABLES = CLI_VARIABLES.slice(0, 3);

/** Asserts that `provision-desk <command> --help` describes that command, i.e. the command exists. */
async function expectCommand(args: string[]) {
  const command = args.find((arg, i) => !arg.startsWith("-") && !["--profile", "--data-dir"].includes(args[i - 1]!));
  let out = "";
  const code = await main({
    argv: [command!, "--help"],
    env: {},
    stdin: [],
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => undefined },
  });
  expect(code).toBe(0);
  expect(out).toContain(`Usage: provision-desk ${command} `);
}

const obj = (value: Yaml | undefined) => value as { [key: string]: Yaml };
const list = (value: Yaml | undefined) => value as Yaml[];

describe("deployment files", () => {
  it("every PROVISIONDESK_ variable they use is one the CLI reads", () => {
    const sources = ["electron/cli/main.ts", "electron/cli/context.ts", "electron/engine/secrets/env-override.ts"]
      .map((file) => readFileSync(join(ROOT, file), "utf8"))
      .join("\n");
    for (const name of CLI_VARIABLES) expect(sources).toContain(name);
    const files = ["systemd/provision-desk@.service", "kubernetes/cronjob.yaml", "container/Dockerfile"];
    for (const file of files)
      for (const used of read(file).match(/PROVISIONDESK_[A-Z_]+/g) ?? []) expect(CLI_VARIABLES).toContain(used);
  });

  it("systemd: a oneshot sync per tenant with its secrets file, and a persistent, staggered timer", async () => {
    const service = parseUnitFile(read("systemd/provision-desk@.service"));
    expect(service.get("Unit")?.get("Description")).toHaveLength(1);
    const s = service.get("Service")!;
    expect(s.get("Type")).toEqual(["oneshot"]);
    expect(s.get("EnvironmentFile")).toEqual(["/etc/provision-desk/%i.env"]);
    expect(s.get("Environment")).toContain("PROVISIONDESK_DATA_DIR=/var/lib/provision-desk/%i");
    expect(s.get("User")).toEqual(["provision-desk"]);
    const exec = s.get("ExecStart")![0]!.split(" ");
    expect(exec[0]).toMatch(/^\//); // systemd needs an absolute path
    await expectCommand(exec.slice(exec.indexOf("provision-desk") + 1));

    const timer = parseUnitFile(read("systemd/provision-desk@.timer"));
    const t = timer.get("Timer")!;
    expect(t.get("Unit")).toEqual(["provision-desk@%i.service"]);
    expect(t.get("OnCalendar")).toHaveLength(1);
    expect(t.get("Persistent")).toEqual(["yes"]);
    expect(t.get("RandomizedDelaySec")).toHaveLength(1);
    expect(timer.get("Install")?.get("WantedBy")).toEqual(["timers.target"]);

    const run = parseUnitFile(read("systemd/provision-desk-run@.service")).get("Service")!;
    expect(run.get("KillSignal")).toEqual(["SIGTERM"]);
    const runExec = run.get("ExecStart")![0]!.split(" ");
    expect(runExec.slice(runExec.indexOf("provision-desk") + 1)).toEqual(["run"]);
    await expectCommand(["run"]);
  });

  it("Windows: a well-formed Task Scheduler task that never overlaps and catches up missed runs", async () => {
    const xml = read("windows/provision-desk-task.xml");
    expect(checkXml(xml)).toBe("Task");
    expect(xml).toContain("<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>");
    expect(xml).toContain("<StartWhenAvailable>true</StartWhenAvailable>");
    const args = /<Arguments>([^<]*)<\/Arguments>/.exec(xml)![1]!.split(" ");
    await expectCommand(args);
  });

  it("the checker itself rejects malformed XML and YAML", () => {
    expect(() => checkXml("<Task><A></Task></A>")).toThrow(/does not close/);
    expect(() => checkXml("<Task><!-- a -- b --></Task>")).toThrow(/inside a comment/);
    expect(() => parseYamlDocuments("a:\n  b: 1\n   c: 2\n")).toThrow(/indentation/);
    expect(() => parseYamlDocuments("a: 1\na: 2\n")).toThrow(/duplicate/);
    expect(parseYamlDocuments('a:\n  - b: 1\n    c: ["x"]\n  - 2\n---\nd: |\n  x\n  y\n')).toEqual([
      { a: [{ b: 1, c: ["x"] }, 2] },
      { d: "x\ny\n" },
    ]);
  });

  it("container: a lean install of the packed CLI, not as root, state on /data", async () => {
    const dockerfile = read("container/Dockerfile");
    const stages = dockerfile.match(/^FROM .*/gm)!;
    expect(stages.at(-1)).toMatch(/^FROM node:20/);
    expect(dockerfile).toMatch(/npm install -g \/pkg\/provision-desk-\*\.tgz --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/PROVISIONDESK_DATA_DIR=\/data/);
    expect(JSON.parse(/^ENTRYPOINT (.*)$/m.exec(dockerfile)![1]!)).toEqual(["provision-desk"]);
    await expectCommand(JSON.parse(/^CMD (.*)$/m.exec(dockerfile)![1]!) as string[]);
  });

  it("Kubernetes: a CronJob that never overlaps, secrets from a Secret, state on a claim defined alongside", async () => {
    const docs = parseYamlDocuments(read("kubernetes/cronjob.yaml")).map(obj);
    const byKind = (kind: string) => docs.find((doc) => doc.kind === kind)!;
    const cronJob = byKind("CronJob");
    expect(cronJob.apiVersion).toBe("batch/v1");
    const spec = obj(cronJob.spec);
    expect(spec.concurrencyPolicy).toBe("Forbid");
    expect(String(spec.schedule).split(" ")).toHaveLength(5);
    const job = obj(obj(spec.jobTemplate).spec);
    expect(job.backoffLimit).toBe(0);
    const pod = obj(obj(job.template).spec);
    const [container] = list(pod.containers).map(obj);
    const env = list(container!.env).map(obj);
    for (const name of SECRET_VARIABLES) {
      const variable = env.find((e) => e.name === name);
      expect(variable, name).toBeDefined();
      expect(variable!.value, `${name} must not be a literal`).toBeUndefined();
      expect(obj(obj(variable!.valueFrom).secretKeyRef).name).toBe("provision-desk-contoso");
    }
    await expectCommand(list(container!.args) as string[]);
    for (const init of list(pod.initContainers).map(obj)) await expectCommand(list(init.args) as string[]);

    const claimName = list(pod.volumes)
      .map(obj)
      .map((v) => v.persistentVolumeClaim && obj(v.persistentVolumeClaim).claimName)
      .find(Boolean);
    expect(obj(byKind("PersistentVolumeClaim").metadata).name).toBe(claimName);
    const dataMount = list(container!.volumeMounts)
      .map(obj)
      .find((m) => m.mountPath === "/data");
    expect(dataMount).toBeDefined();
    const profile = JSON.parse(String(obj(byKind("ConfigMap").data)["profile.json"])) as { name: string };
    expect(env.find((e) => e.name === "PROVISIONDESK_PROFILE")?.value).toBe(profile.name);
  });
});
