// One of our lines as the receipts see it (OwnLine: who it was for, who has it, who read it)
// and the receipt that says so (Receipt), in the words of its note.

/** 'queued': written while we seemed offline (outage.ts), and nobody has it yet: it goes once we are back. */
export type ReceiptState = 'queued' | 'sent' | 'delivered-some' | 'delivered-all' | 'read' | 'undelivered';

export interface Receipt {
  state: ReceiptState;
  /** Members the line was written to (minus those that left without getting it). */
  recipients: number;
  delivered: number;
  read: number;
  /** Who read it (peer ids, in the order they did): only its author learns, on its note. */
  readBy: readonly string[];
  /** Members it was written to who went for good without it (peer ids). */
  missed: readonly string[];
}

export interface OwnLine {
  recipients: Set<string>;
  delivered: Set<string>;
  read: Set<string>;
  /** Recipients that went for good without it (left, shut out): no longer counted in `recipients`. */
  missed: Set<string>;
  /** To one member alone: it stays a recipient when it goes (the chat keeps the line for its return). */
  privately: boolean;
  /** Written while we seemed offline, and we have not been back since (absent: not). */
  queued?: boolean;
  /** When it was written (ms since the epoch): the newest are kept across a reload. */
  at: number;
}

export function receiptOf(line: OwnLine): Receipt {
  const recipients = line.recipients.size;
  const delivered = line.delivered.size;
  const read = line.read.size;
  let state: ReceiptState = line.queued ? 'queued' : 'sent';
  // Everyone it was for went without it: "sent" would wait for good.
  if (recipients === 0 && line.missed.size > 0) state = 'undelivered';
  else if (read > 0) state = 'read';
  else if (recipients > 0 && delivered >= recipients) state = 'delivered-all';
  else if (delivered > 0) state = 'delivered-some';
  return { state, recipients, delivered, read, readBy: [...line.read], missed: [...line.missed] };
}

export function receiptText(receipt: Receipt): string {
  switch (receipt.state) {
    case 'queued':
      return 'waiting to send';
    case 'sent':
      return 'sent';
    case 'delivered-some':
      return `delivered to ${receipt.delivered} of ${receipt.recipients}`;
    case 'delivered-all':
      // "All" of one (a private line, a room of two) reads as if others had it too.
      return receipt.recipients === 1 ? 'delivered' : 'delivered to all';
    case 'read':
      return `read by ${receipt.read}`;
    case 'undelivered':
      return 'not delivered';
  }
}
