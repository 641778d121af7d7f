// For the screens' tests: the unlocked screen over a fake backend at FAKE_NOW, as App shows it
// after an unlock (it lands on the dashboard).
import { render } from '@testing-library/svelte';
import { vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../backend';
import { FAKE_NOW, type FakeBackend } from '../backend/fake';
import { FixedClock } from '../model/clock.svelte';
import { testContext } from '../testing';
import Inventory from './Inventory.svelte';

export function showInventory(backend: FakeBackend, settings: Settings = { ...DEFAULT_SETTINGS }) {
  const clock = new FixedClock(FAKE_NOW);
  const onLock = vi.fn();
  render(Inventory, {
    props: { settings, keyring: false, onLock, onSettingsChange: vi.fn() },
    context: testContext(backend, clock),
  });
  return { clock, onLock };
}
