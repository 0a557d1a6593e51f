import { describe, expect, it } from "vitest";
import { formatChange } from "../../renderer/src/format";

describe("formatChange", () => {
  it("reads Entra's and targets' string booleans as the booleans the engine compares", () => {
    expect(formatChange("True", false)).toEqual(["true", "false"]);
    expect(formatChange("True", "false")).toEqual(["true", "false"]);
    expect(formatChange(true, "False")).toEqual(["true", "false"]);
    expect(formatChange(null, "True")).toEqual(["(empty)", "true"]);
  });

  it("shows every other value as it is", () => {
    expect(formatChange("Björn Ström", "Bjorn Strom")).toEqual(["Björn Ström", "Bjorn Strom"]);
    expect(formatChange("True", "Yes")).toEqual(["True", "Yes"]);
    expect(formatChange(null, "")).toEqual(["(empty)", "(empty)"]);
    expect(formatChange(3, 4)).toEqual(["3", "4"]);
  });
});
