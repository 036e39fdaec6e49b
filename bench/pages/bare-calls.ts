// The bare baseline for calls: the bare page (bare.ts: one RTCPeerConnection and data
// channel per pair) plus what a call needs at the least. Join = getUserMedia, say so on
// every data channel, addTrack on the link to each member already in the call and offer;
// a member in the call answers such an offer with its own tracks added (addTrack reuses the
// transceivers the offer made), so one round trip carries media both ways. Remote video is
// shown in a <video> per member, whose first frame is stamped (calls-shared.ts).
import { bareHooks, channels, links, offer } from './bare.ts';
import { CAMERA, createCallsRecord, JOIN_BUTTON, stampJoinClick, watchFirstFrame } from './calls-shared.ts';

const JOINED = 'call:in';
const record = createCallsRecord();
const inCall = new Set<string>();
const videos = new Map<string, HTMLVideoElement>();
let local: MediaStream | null = null;

function sendTracks(pc: RTCPeerConnection): void {
  if (!local) return;
  const sent = new Set(pc.getSenders().map((sender) => sender.track));
  for (const track of local.getTracks()) if (!sent.has(track)) pc.addTrack(track, local);
}

bareHooks.message = (peerId, text) => {
  if (text !== JOINED) return false;
  inCall.add(peerId);
  return true;
};

bareHooks.beforeAnswer = async (_peerId, pc) => sendTracks(pc);

bareHooks.created = (peerId, pc) => {
  pc.addEventListener('track', ({ track }) => {
    let video = videos.get(peerId);
    if (!video) {
      video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      videos.set(peerId, video);
      document.body.append(video);
      watchFirstFrame(record, video, peerId);
    }
    const before = video.srcObject instanceof MediaStream ? video.srcObject.getTracks() : [];
    video.srcObject = new MediaStream([...before, track]);
  });
};

async function join(): Promise<void> {
  performance.mark('roomlink:call-join');
  local = await navigator.mediaDevices.getUserMedia({ audio: true, video: CAMERA });
  // The same marks as roomlink's page (client/timeline.ts), for the bench's steps line.
  performance.mark('roomlink:call-media-open');
  for (const channel of channels.values()) if (channel.readyState === 'open') channel.send(JOINED);
  performance.mark('roomlink:call-state-sent');
  for (const peerId of inCall) {
    const pc = links.get(peerId);
    if (!pc) continue;
    sendTracks(pc);
    void offer(peerId, pc);
  }
}

stampJoinClick(record);
document.querySelector(JOIN_BUTTON)?.addEventListener('click', () => void join());

window.__calls = {
  inCall: () => local !== null,
  callCount: () => inCall.size + (local ? 1 : 0),
  ready: (peers) => [...channels.values()].filter((c) => c.readyState === 'open').length >= peers,
  mediaReady: () => true,
  selfId: () => window.__bench.selfId(),
  record: () => record,
};
