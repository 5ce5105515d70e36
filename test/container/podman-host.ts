// What this host needs of podman beyond the defaults, found out rather than assumed:
// - crun refuses a host with cgroups v1 beside a v2 mount ("cgroups in hybrid mode not supported"); runc runs there;
// - podman raises a container's RLIMIT_NOFILE and RLIMIT_NPROC to 1048576 / 4194304, which a root without
//   CAP_SYS_RESOURCE (a sandbox's) may not: the container gets this host's own open-files limit and 4096 processes.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

function hybridCgroups(): boolean {
  const mounts = readFileSync("/proc/mounts", "utf8").split("\n").map((line) => line.split(" "));
  const v1 = mounts.some(([, , type]) => type === "cgroup");
  const v2 = mounts.some(([, , type]) => type === "cgroup2");
  return v1 && v2;
}

export function podmanHostFlags(): string[] {
  const openFiles = execFileSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" }).trim();
  const files = openFiles === "unlimited" ? "1048576" : openFiles;
  return [
    ...(hybridCgroups() ? ["--runtime", "runc"] : []),
    "--ulimit", `nofile=${files}:${files}`,
    "--ulimit", "nproc=4096:4096",
  ];
}
