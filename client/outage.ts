// Is it our own network that is gone (a train in a tunnel, a Wi-Fi dead spot, a laptop lid)?
// Then every member falls silent at once, and the page must not say that each of them is
// "not responding" or let them vanish from the list as if they had left: it says that we
// seem to be offline, and keeps them. We seem offline when the browser says so
// (navigator.onLine) and the server is not reachable, or when no member we heard is heard any
// more and the server cannot be reached either: the socket is down, or, while it still looks
// up (it notices a dead network only after up to 45 s of the server's heartbeat), a request to
// the server fails. One member alone going quiet, or all of them while the server answers, is
// about them, not us. We are back as soon as anything is heard again: on the browser's word, as
// soon as a member is heard past the time its link would have fallen silent.
//
// The browser's word alone is not enough: it says offline whenever no network but loopback is
// up, also where the server runs on this machine and everything works (a laptop with no Wi-Fi
// running roomlink for a few tabs). So it is checked: a request to the server, made when the
// browser says so (a dead network fails it at once), or the socket joining while it says so.

import { dropOldest } from './bounded.ts';
import { HEARTBEAT_TIMEOUT_MS } from './heartbeat.ts';
import { STALL_SLACK_MS } from './silence-watch.ts';

/** How long the server has to answer a check before we take it as unreachable. */
export const PROBE_TIMEOUT_MS = 4_000;
/** While we seem offline on a failed check alone, the server is checked again this often. */
export const PROBE_AGAIN_MS = 5_000;
/**
 * A member's "not responding" waits this long before it is said: members fall silent within
 * a heartbeat of each other when our own network goes, and the check of the server takes a
 * few seconds more; said at once, each would be told before the page knew it was us.
 */
export const SILENT_NOTICE_HOLD_MS = 2_000;
/**
 * Back from our own outage, links take a while to carry again (ICE checks its paths anew,
 * SCTP resends what waited, after timers that backed off while nothing got through): a member
 * falling silent within this long of our return is given until then before "not responding"
 * is said. Said at the usual hold, it was followed by "is back" seconds later (seen once in
 * the outage test, under load): the silence was still ours.
 */
export const LINKS_RECOVER_MS = 10_000;
/**
 * A member still heard this long after the browser said it is offline has a link that
 * carries: a dead one falls silent within HEARTBEAT_TIMEOUT_MS and the silence check's slack.
 */
export const LINKS_OUTLIVE_MS = HEARTBEAT_TIMEOUT_MS + STALL_SLACK_MS + 1_500;

export interface OutageFacts {
  /** navigator.onLine. */
  browserOnline: boolean;
  /** The signaling socket is in the room. */
  socketUp: boolean;
  /** The members listed now, and whether each is heard (its link, or a relay, carries now). */
  members: ReadonlyArray<{ id: string; heard: boolean }>;
}

export interface OutageWatchOptions {
  /** Resolves true when the server answers (any answer), false when it does not in time. */
  probe(): Promise<boolean>;
  /** We seem offline, or not any more. */
  changed(offline: boolean): void;
}

export function createOutageWatch(options: OutageWatchOptions) {
  let facts: OutageFacts = { browserOnline: true, socketUp: false, members: [] };
  /** Members heard at some time: their silence is evidence, a never-connected one's is not. */
  const everHeard = new Set<string>();
  /**
   * What the check of the server found since we last heard anyone (back to 'unknown' when
   * anything is heard): checked once per silence while it answers, every PROBE_AGAIN_MS while
   * it does not.
   */
  let server: 'unknown' | 'answered' | 'unreachable' = 'unknown';
  let probing = false;
  let again: ReturnType<typeof setTimeout> | undefined;
  /**
   * Whether the server was reached since the browser last said it is offline (a check, or the
   * socket joining meanwhile): 'none' before a check, back to it when the browser is online.
   */
  let reachedWhileBrowserOffline: 'none' | 'checking' | 'yes' | 'no' = 'none';
  let browserChecks = 0;
  /** The browser has said it is offline for LINKS_OUTLIVE_MS (and still says so). */
  let browserWordOutlived = false;
  let browserWordTimer: ReturnType<typeof setTimeout> | undefined;
  let offline = false;
  /** Told with each verdict the probe settles (the notices waiting on it). */
  const settled = new Set<() => void>();
  /** Told each time we are back from an outage (the notices, which give links time then). */
  const backs = new Set<() => void>();

  /** Every member we heard is silent, and there is one. */
  function allSilent(): boolean {
    let known = 0;
    for (const member of facts.members) {
      if (member.heard) return false;
      if (everHeard.has(member.id)) known++;
    }
    return known > 0;
  }

  function decide(): void {
    // The browser's word, checked, is enough at once (links fall silent only seconds later);
    // but not once a member is still heard past that silence: its link carries our lines, and
    // "offline — messages will be sent when you're back", said of lines delivered and read,
    // was untrue (a link that outlives what the browser calls the network).
    const linksCarry = browserWordOutlived && facts.members.some((member) => member.heard);
    const browserOffline = !facts.browserOnline && reachedWhileBrowserOffline === 'no' && !linksCarry;
    const now = browserOffline || (allSilent() && (!facts.socketUp || server === 'unreachable'));
    if (!facts.browserOnline && reachedWhileBrowserOffline === 'none') checkBrowserWord();
    if (allSilent() && facts.socketUp && server === 'unknown') check();
    if (now === offline) return;
    offline = now;
    // Back: those told first (the notices hold the members still silent), so that what the
    // change redraws is drawn as they left it.
    if (!offline) for (const tell of [...backs]) tell();
    options.changed(offline);
  }

  function check(): void {
    if (probing) return;
    probing = true;
    clearTimeout(again);
    void options.probe().then((answered) => {
      probing = false;
      server = !allSilent() ? 'unknown' : answered ? 'answered' : 'unreachable';
      if (server === 'unreachable') again = setTimeout(check, PROBE_AGAIN_MS);
      decide();
      for (const tell of [...settled]) tell();
    });
  }

  /** The browser says it is offline: is the server out of reach too? */
  function checkBrowserWord(): void {
    reachedWhileBrowserOffline = 'checking';
    const asked = ++browserChecks;
    void options.probe().then((answered) => {
      // Only the latest check's, and only while nothing else settled it.
      if (asked !== browserChecks || reachedWhileBrowserOffline !== 'checking') return;
      reachedWhileBrowserOffline = answered ? 'yes' : 'no';
      decide();
    });
  }

  return {
    update(next: OutageFacts): void {
      if (next.browserOnline) {
        clearTimeout(browserWordTimer);
        browserWordTimer = undefined;
        browserWordOutlived = false;
      } else if (facts.browserOnline) {
        browserWordTimer = setTimeout(() => {
          browserWordOutlived = true;
          decide();
        }, LINKS_OUTLIVE_MS);
      }
      if (next.browserOnline) reachedWhileBrowserOffline = 'none';
      // The socket joined while the browser says offline: the server is in reach.
      else if (next.socketUp && !facts.socketUp) reachedWhileBrowserOffline = 'yes';
      facts = next;
      for (const member of next.members) if (member.heard) everHeard.add(member.id);
      if (!allSilent()) {
        server = 'unknown';
        clearTimeout(again);
      }
      decide();
    },
    offline: (): boolean => offline,
    /** A check of the server is under way: its verdict is still to come. */
    checking: (): boolean => probing,
    /** Runs `tell` after each check of the server settles, until the returned function is called. */
    afterCheck(tell: () => void): () => void {
      settled.add(tell);
      return () => {
        settled.delete(tell);
      };
    },
    /** Runs `tell` each time we are back from an outage. */
    whenBack(tell: () => void): void {
      backs.add(tell);
    },
  };
}

export type OutageWatch = ReturnType<typeof createOutageWatch>;

/**
 * A member's "not responding" (and its "is back") is said once in this long at most: a link
 * that keeps dropping and coming back filled the chat with the pair, and had a screen reader
 * read each (the member list shows every change all the same).
 */
export const SILENCE_SAID_EVERY_MS = 60_000;
/** Members whose last "not responding" is remembered, at most (the oldest forgotten). */
const SAID_REMEMBERED = 1_000;

/**
 * The chat's "not responding" and "is back" for members, while our own outage may be why:
 * "not responding" waits SILENT_NOTICE_HOLD_MS (LINKS_RECOVER_MS from our return, just back
 * from an outage, and so does that of a member silent since the outage), and a check of the
 * server under way, and is not said at all if by then we seem offline (nor its "is back"); a
 * member back before it was said is said neither; nor one whose silence was said within
 * SILENCE_SAID_EVERY_MS. A member that fell silent alone (others heard well after it: mesh.ts)
 * does not wait for the hold: it is not our network. The call's tiles and status, and the
 * member list, go by the same hold (view/call-silence.ts, silenceOf).
 */
export function createSilenceNotices(
  watch: Pick<OutageWatch, 'offline' | 'checking' | 'afterCheck' | 'whenBack'>,
  now: () => number = () => performance.now(),
) {
  /** When we were last back from an outage of ours. */
  let backAt = Number.NEGATIVE_INFINITY;
  /** "Not responding" held back, by member id: how to say it. */
  const held = new Map<string, { say: () => void; stop: () => void }>();
  /** Members whose silence was ours, or said a moment ago: their "is back" is not said. */
  const unsaid = new Set<string>();
  /**
   * Members silent while we seemed offline, and how to say it: back from the outage, each
   * still silent is held as one silent just then (its link carries again only after a while),
   * instead of being called "not responding" at once, and hidden from the list.
   */
  const ours = new Map<string, () => void>();
  /** When each member's "not responding" was last said. */
  const saidAt = new Map<string, number>();
  /**
   * "Not responding" not said for being too soon after the last: said once the minute is
   * over if the member is silent still, or the chat's last word of it would be "is back".
   */
  const deferred = new Map<string, ReturnType<typeof setTimeout>>();
  /** Told each time a held "not responding" is decided (said or not): whose silence it is is known. */
  const decided = new Set<() => void>();

  watch.whenBack(() => {
    backAt = now();
    for (const [id, say] of [...ours]) {
      ours.delete(id);
      unsaid.delete(id);
      hold(id, say, LINKS_RECOVER_MS);
    }
  });

  function sayNow(id: string, say: () => void): void {
    saidAt.delete(id);
    saidAt.set(id, now());
    dropOldest(saidAt, SAID_REMEMBERED);
    say();
  }

  /** Holds its "not responding" back `ms` and, after a check of the server under way, settles it. */
  function hold(id: string, say: () => void, ms: number): void {
    held.get(id)?.stop();
    let stopCheck = (): void => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    held.set(id, {
      say,
      stop: () => {
        clearTimeout(timer);
        stopCheck();
      },
    });
    const over = (): void => {
      // A check of the server under way: its verdict settles it.
      if (watch.checking()) stopCheck = watch.afterCheck(() => settle(id));
      else settle(id);
    };
    if (ms > 0) timer = setTimeout(over, ms);
    else over();
  }

  function settle(id: string): void {
    const entry = held.get(id);
    if (!entry) return;
    held.delete(id);
    entry.stop();
    decide(id, entry.say);
    for (const tell of [...decided]) tell();
  }

  /** Its hold is over: said now, once the minute since the last is over, or not at all (ours). */
  function decide(id: string, say: () => void): void {
    if (watch.offline()) {
      unsaid.add(id);
      ours.set(id, say);
      return;
    }
    const last = saidAt.get(id);
    const wait = last === undefined ? 0 : last + SILENCE_SAID_EVERY_MS - now();
    if (wait <= 0) {
      sayNow(id, say);
      return;
    }
    unsaid.add(id);
    clearTimeout(deferred.get(id));
    deferred.set(
      id,
      setTimeout(() => {
        deferred.delete(id);
        // Back meanwhile (its "is back" went unsaid with it), or our own outage now: nothing.
        if (!unsaid.has(id) || watch.offline()) return;
        unsaid.delete(id);
        sayNow(id, say);
      }, wait),
    );
  }

  return {
    /**
     * The member fell silent on its link. `alone`: others were heard well after it was last
     * heard (mesh.ts), so it is not our network: no hold, unless we are just back from an
     * outage (its link may take that long to carry again, as everyone's).
     */
    silent(id: string, say: () => void, alone = false): void {
      if (watch.offline()) {
        unsaid.add(id);
        ours.set(id, say);
        return;
      }
      const recovering = backAt + LINKS_RECOVER_MS - now();
      hold(id, say, alone ? recovering : Math.max(SILENT_NOTICE_HOLD_MS, recovering));
    },
    back(id: string, say: () => void): void {
      ours.delete(id);
      const entry = held.get(id);
      if (entry) {
        entry.stop();
        held.delete(id);
        return;
      }
      clearTimeout(deferred.get(id));
      deferred.delete(id);
      if (unsaid.delete(id)) return;
      say();
    },
    /**
     * A member silent on its own link is reached through another member (relay.ts): its lines
     * arrive, so "not responding" is not the chat's last word of it. Held back still, it is
     * not said at all; said, `say` tells how it is reached. Either way the direct link's
     * return later says nothing (the member list shows it): the chat had "not responding"
     * standing while the member's lines came in through the relay.
     */
    reached(id: string, say: () => void): void {
      // Heard: not to be held again once we are back from our outage.
      ours.delete(id);
      const entry = held.get(id);
      if (entry) {
        entry.stop();
        held.delete(id);
        unsaid.add(id);
        return;
      }
      // A "not responding" waiting out the minute (settle) is not said either: its member is heard.
      clearTimeout(deferred.get(id));
      deferred.delete(id);
      if (unsaid.has(id)) return;
      unsaid.add(id);
      if (saidAt.has(id)) say();
    },
    /** Its "not responding" is held back still: whose silence it is is not known yet. */
    holding: (id: string): boolean => held.has(id),
    /** Runs `tell` each time a held "not responding" is decided, said or not (its hold is over). */
    afterHold(tell: () => void): void {
      decided.add(tell);
    },
    /** The member went for good: nothing more is said of its silence. */
    gone(id: string): void {
      held.get(id)?.stop();
      held.delete(id);
      ours.delete(id);
      clearTimeout(deferred.get(id));
      deferred.delete(id);
      unsaid.delete(id);
    },
  };
}

export type SilenceNotices = ReturnType<typeof createSilenceNotices>;
