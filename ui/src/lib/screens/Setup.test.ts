// First run: password rules, the strength meter and creating the vault.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { FakeBackend } from '../backend/fake';
import { strength } from '../model/strength';
import { testContext } from '../testing';
import Setup from './Setup.svelte';

function renderSetup(backend = new FakeBackend({ exists: false })) {
  const onCreated = vi.fn();
  render(Setup, { props: { onCreated }, context: testContext(backend) });
  return { backend, onCreated };
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe('password strength', () => {
  it('grades by length times character classes', () => {
    expect(strength('abc')).toBe('weak');
    expect(strength('abcdefgh')).toBe('weak');
    expect(strength('abcdefghijk1')).toBe('fair');
    expect(strength('correct horse battery staple')).toBe('strong');
    expect(strength('Tr0ub4dor&3xyz!')).toBe('strong');
  });
});

describe('Setup', () => {
  it('focuses the password field', async () => {
    renderSetup();
    await waitFor(() => expect(screen.getByTestId('setup-password')).toHaveFocus());
  });

  it('shows the strength as the password is typed', async () => {
    renderSetup();
    await type('setup-password', 'abc');
    expect(screen.getByTestId('setup-strength')).toHaveTextContent('weak');
    await type('setup-password', 'correct horse battery staple');
    expect(screen.getByTestId('setup-strength')).toHaveTextContent('strong');
  });

  it('refuses a short password next to the field and creates nothing', async () => {
    const { backend, onCreated } = renderSetup();
    await type('setup-password', 'short');
    await type('setup-password-confirm', 'short');
    await fireEvent.click(screen.getByTestId('setup-submit'));

    expect(screen.getByTestId('setup-error')).toHaveTextContent('at least 8 characters');
    expect(backend.status.exists).toBe(false);
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('refuses two different passwords', async () => {
    const { backend } = renderSetup();
    await type('setup-password', 'correct horse battery');
    await type('setup-password-confirm', 'correct horse batterY');
    await fireEvent.click(screen.getByTestId('setup-submit'));

    expect(screen.getByTestId('setup-error')).toHaveTextContent('differ');
    expect(backend.log.some((c) => c.method === 'createVault')).toBe(false);
  });

  it('creates the vault with the keyring choice and moves on', async () => {
    const { backend, onCreated } = renderSetup();
    await type('setup-password', 'correct horse battery');
    await type('setup-password-confirm', 'correct horse battery');
    await fireEvent.click(screen.getByTestId('setup-keyring'));
    await fireEvent.click(screen.getByTestId('setup-submit'));

    await waitFor(() => expect(onCreated).toHaveBeenCalledOnce());
    expect(backend.status).toMatchObject({ exists: true, locked: false, keyring_slot: true });
    expect(screen.queryByTestId('setup-error')).toBeNull();
  });
});
