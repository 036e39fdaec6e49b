#!/bin/sh
# Playwright's executablePath for roomlink's end-to-end tests: Chromium inside the network
# namespace $RL_NETNS. `ip netns exec` and Debian's /usr/bin/chromium both exec, so this
# shell's pid becomes Chromium's main pid (written to $RL_PIDFILE for freeze/thaw) and
# Playwright's pipes (fds 3 and 4, --remote-debugging-pipe) survive.
[ -n "${RL_PIDFILE:-}" ] && echo $$ > "$RL_PIDFILE"
exec "${RL_IP:-ip}" netns exec "${RL_NETNS:?set RL_NETNS to the namespace}" "${CHROMIUM_PATH:-/usr/bin/chromium}" "$@"
