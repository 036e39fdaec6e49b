// The user's relay settings (whether this page relays for others, and how many messages a
// second per pair), remembered in this browser and bound to their inputs on the page.
// Separate from main.ts because it owns those two values: the relay (relay.ts) reads them.
import { RELAY_RATE } from '../relay.ts';
import { loadRelayEnabled, loadRelayRate, RELAY_RATE_RANGE, saveRelayEnabled, saveRelayRate } from '../storage.ts';

export function createRelaySettings() {
  let relayEnabled = loadRelayEnabled();
  /** Messages a second we pass on per pair (the setting, or the default). */
  let relayRate = loadRelayRate() ?? RELAY_RATE;
  return {
    enabled: (): boolean => relayEnabled,
    rate: (): number => relayRate,
    /** Binds the settings' inputs, if the page has them; a change goes to the relay at once. */
    bind(relay: { refresh(): void; setRate(rate: number): void }): void {
      const relayToggle = document.querySelector<HTMLInputElement>('[data-testid="relay-toggle"]');
      if (relayToggle) {
        relayToggle.checked = relayEnabled;
        relayToggle.addEventListener('change', () => {
          relayEnabled = relayToggle.checked;
          saveRelayEnabled(relayEnabled);
          relay.refresh();
        });
      }
      const relayRateInput = document.querySelector<HTMLInputElement>('[data-testid="relay-rate"]');
      if (relayRateInput) {
        relayRateInput.value = String(relayRate);
        relayRateInput.addEventListener('change', () => {
          const wanted = Math.round(relayRateInput.valueAsNumber);
          // Out of range or empty: refused, the value that holds stays.
          if (Number.isFinite(wanted) && wanted >= RELAY_RATE_RANGE.min && wanted <= RELAY_RATE_RANGE.max) {
            relayRate = wanted;
            saveRelayRate(relayRate);
            relay.setRate(relayRate);
          }
          relayRateInput.value = String(relayRate);
        });
      }
    },
  };
}
