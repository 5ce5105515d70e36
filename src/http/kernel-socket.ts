// What Linux knows of a TCP socket and Node does not expose: its send buffer, which the kernel grows to 4 MiB
// (net.ipv4.tcp_wmem) before Node sees a full write, and how much of what was sent the peer has acknowledged (TCP_INFO).
// Through libc with koffi, an optional dependency; elsewhere (no koffi, not Linux) every call here does nothing.
import { createRequire } from "node:module";
import type { Socket } from "node:net";

const SOL_SOCKET = 1;
const SO_SNDBUF = 7;
const IPPROTO_TCP = 6;
const TCP_INFO = 11;
/** struct tcp_info (linux/tcp.h) up to tcpi_notsent_bytes, Linux 4.6 and later; offsets of the fields read. */
const TCP_INFO_BYTES = 148;
const TCPI_UNACKED = 24;
const TCPI_BYTES_ACKED = 120;
const TCPI_NOTSENT_BYTES = 144;

interface Libc {
  setsockopt(fd: number, level: number, name: number, value: number[], length: number): number;
  getsockopt(fd: number, level: number, name: number, value: Buffer, length: number[]): number;
}

let libc: Libc | null | undefined;

function loadLibc(): Libc | null {
  if (process.platform !== "linux") return null;
  try {
    // Required here rather than imported: a platform koffi has no binary for must still start.
    const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
    const lib = koffi.load("libc.so.6");
    return {
      setsockopt: lib.func("int setsockopt(int fd, int level, int name, _In_ int *value, uint32_t length)") as Libc["setsockopt"],
      getsockopt: lib.func("int getsockopt(int fd, int level, int name, _Out_ uint8_t *value, _Inout_ uint32_t *length)") as Libc["getsockopt"],
    };
  } catch {
    return null;
  }
}

function descriptor(socket: Socket): number | undefined {
  if (libc === undefined) libc = loadLibc();
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return libc !== null && typeof fd === "number" && fd >= 0 ? fd : undefined;
}

/** Caps the kernel's send buffer of `socket` at `bytes` (Linux doubles it for its bookkeeping); false where it cannot. */
export function limitSendBuffer(socket: Socket, bytes: number): boolean {
  const fd = descriptor(socket);
  return fd !== undefined && libc!.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, [bytes], 4) === 0;
}

export interface DeliveryState {
  /** Bytes the peer has acknowledged since the connection opened: it only grows while the peer's buffer has room, so once that is full, while its reader reads. */
  acknowledged: number;
  /** Whether sent data waits for an acknowledgement or unsent data for room in the peer's window. */
  waiting: boolean;
}

/** What the kernel knows of the delivery of `socket`'s data; undefined where it cannot tell. */
export function deliveryState(socket: Socket): DeliveryState | undefined {
  const fd = descriptor(socket);
  if (fd === undefined) return undefined;
  const info = Buffer.alloc(TCP_INFO_BYTES);
  const length = [TCP_INFO_BYTES];
  if (libc!.getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, length) !== 0 || length[0]! < TCP_INFO_BYTES) return undefined;
  return {
    acknowledged: Number(info.readBigUInt64LE(TCPI_BYTES_ACKED)),
    waiting: info.readUInt32LE(TCPI_UNACKED) > 0 || info.readUInt32LE(TCPI_NOTSENT_BYTES) > 0,
  };
}
