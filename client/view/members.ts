// The member list: one entry per member with its link state, path and problems.
import type { MemberView } from '../member.ts';
import { byTestId, el } from './dom.ts';

const STATE_LABEL: Record<MemberView['state'], string> = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  unreachable: 'unreachable',
};

export interface MembersView {
  setSelf(id: string | null, name: string): void;
  render(members: readonly MemberView[]): void;
}

export function createMembersView(): MembersView {
  const self = byTestId<HTMLElement>('self');
  const list = document.getElementById('members') as HTMLUListElement;
  const count = document.getElementById('member-count') as HTMLElement;

  function item(member: MemberView): HTMLLIElement {
    const entry = el('li', { className: 'member', testId: 'peer' });
    entry.dataset.peerId = member.id;
    entry.dataset.state = member.state;
    entry.dataset.verified = member.verification;
    const name = el('span', { className: 'member-name', text: member.name });
    const state = el('span', { className: `member-state state-${member.state}`, text: STATE_LABEL[member.state] });
    entry.append(name, state);
    if (member.verification === 'verified') {
      const badge = el('span', { className: 'verified', text: '✓' });
      badge.title = 'Proved it holds this room’s key: nobody sits in the middle';
      name.append(' ', badge);
    }
    if (member.path && member.state === 'connected') {
      const kind = member.path.relayed ? 'relayed' : 'direct';
      const rtt = member.path.rttMs === null ? '' : ` · ${member.path.rttMs} ms`;
      const path = el('span', { className: 'member-path', text: `${kind}${rtt}` });
      path.dataset.path = kind;
      path.title = `${member.path.local} ↔ ${member.path.remote}`;
      entry.append(path);
    }
    if (member.reason) {
      const reason = el('span', { className: 'member-reason', text: member.reason.text });
      reason.dataset.reason = member.reason.code;
      entry.append(reason);
    }
    return entry;
  }

  return {
    setSelf(id, name) {
      if (id === null) delete self.dataset.peerId;
      else self.dataset.peerId = id;
      self.textContent = `${name} (you)`;
    },
    render(members) {
      const shown = members.filter((m) => m.visible).sort((a, b) => a.name.localeCompare(b.name));
      list.replaceChildren(self, ...shown.map(item));
      count.textContent = String(shown.length + 1);
    },
  };
}
