import type { SFTPWrapper } from 'ssh2';

/** ssh2's own receive window (lib/Channel.js MAX_WINDOW): the floor. */
const SSH2_WINDOW = 2 * 1024 * 1024;

interface ChannelInternals {
  incoming?: { window?: unknown };
  outgoing?: { id?: unknown; state?: unknown };
  _protocol?: { channelWindowAdjust?: (id: number, amount: number) => void };
  push?: (data: Buffer | null) => unknown;
}

/**
 * Widens the SSH receive window of the SFTP channel to `bytes`. ssh2 advertises 2 MiB and tops it
 * up only once half is used, so with more than 2 MiB of READ requests in flight the server waits
 * for window adjustments instead of sending: a download then runs at the window's pace, not the
 * link's. Here the window is kept between `bytes / 2` and `bytes` (ssh2's own top-up then never
 * fires). Memory is not at stake: the server only sends what was requested, into the
 * requests' buffers. Relies on ssh2 1.x internals; when they are not there it does nothing.
 */
export function _widenWindow(sftp: SFTPWrapper, bytes: number): boolean {
  const chan = sftp as unknown as ChannelInternals;
  const { incoming, outgoing, _protocol: protocol } = chan;
  const push = chan.push;
  if (
    bytes <= SSH2_WINDOW ||
    typeof incoming?.window !== 'number' ||
    typeof outgoing?.id !== 'number' ||
    typeof protocol?.channelWindowAdjust !== 'function' ||
    typeof push !== 'function'
  )
    return false;
  const id = outgoing.id;
  const topUp = () => {
    const window = incoming.window as number;
    if (outgoing.state !== 'open' || window > bytes / 2) return;
    incoming.window = bytes;
    protocol.channelWindowAdjust?.(id, bytes - window);
  };
  chan.push = (data) => {
    const result = push.call(sftp, data);
    if (data !== null) topUp();
    return result;
  };
  const window = incoming.window as number;
  incoming.window = bytes;
  protocol.channelWindowAdjust(id, bytes - window);
  return true;
}
