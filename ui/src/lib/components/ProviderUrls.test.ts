// Provider API addresses: defaults as placeholders, saving (button and Enter), the Rust side's
// refusal of plain http under the row, reset, and the environment's override.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, type FakeOptions } from '../backend/fake';
import { testContext } from '../testing';
import ProviderUrls from './ProviderUrls.svelte';

function renderUrls(options: FakeOptions = {}) {
  const backend = new FakeBackend({ locked: false, tokens: [], ...options });
  render(ProviderUrls, { context: testContext(backend) });
  return backend;
}

const PW = 'correct horse battery';

/** Every change asks for the vault password again. */
async function password(value = PW) {
  await fireEvent.input(screen.getByTestId('provider-urls-password'), { target: { value } });
}

async function type(provider: string, value: string) {
  await fireEvent.input(screen.getByTestId(`provider-url-${provider}`), { target: { value } });
}

describe('ProviderUrls', () => {
  it('lists every provider with its default address as the placeholder', async () => {
    renderUrls();
    const gitlab = await screen.findByTestId('provider-url-gitlab');
    expect(screen.getByTestId('provider-urls')).toHaveTextContent('Provider API addresses');
    expect(gitlab).toHaveAttribute('placeholder', 'https://gitlab.com');
    expect(gitlab).toHaveValue('');
    expect(screen.getByLabelText('GitLab')).toBe(gitlab);
    expect(screen.getByTestId('provider-url-cloudflare')).toHaveAttribute(
      'placeholder',
      'https://api.cloudflare.com/client/v4',
    );
    expect(screen.getAllByRole('textbox')).toHaveLength(8);
    expect(screen.queryByTestId('provider-url-reset-gitlab')).not.toBeInTheDocument();
  });

  it('shows a saved address as the value, with Reset', async () => {
    renderUrls({ apiUrls: { gitlab: 'https://gitlab.example.com/' } });
    expect(await screen.findByTestId('provider-url-gitlab')).toHaveValue(
      'https://gitlab.example.com/',
    );
    expect(screen.getByTestId('provider-url-reset-gitlab')).toBeInTheDocument();
  });

  it('saves an https address and shows it normalised', async () => {
    const backend = renderUrls();
    await screen.findByTestId('provider-url-gitlab');
    await password();
    await type('gitlab', '  https://gitlab.example.com ');
    await fireEvent.click(screen.getByTestId('provider-url-save-gitlab'));

    await waitFor(() =>
      expect(screen.getByTestId('provider-url-gitlab')).toHaveValue('https://gitlab.example.com/'),
    );
    expect(backend.log.at(-1)).toEqual({
      method: 'setProviderApiUrl',
      args: ['gitlab', 'https://gitlab.example.com', PW],
    });
    expect(backend.apiUrls.get('gitlab')).toBe('https://gitlab.example.com/');
    expect(screen.getByTestId('provider-url-status-gitlab')).toHaveTextContent('Saved');
    expect(screen.getByTestId('provider-url-reset-gitlab')).toBeInTheDocument();
  });

  it('saves on Enter', async () => {
    const backend = renderUrls();
    const input = await screen.findByTestId('provider-url-github');
    await password();
    await type('github', 'https://github.example.com/api/v3');
    await fireEvent.submit(input.closest('form') as HTMLFormElement);
    await waitFor(() =>
      expect(backend.apiUrls.get('github')).toBe('https://github.example.com/api/v3'),
    );
  });

  it('shows the refusal of plain http under the row and keeps the saved address', async () => {
    const backend = renderUrls({ apiUrls: { gitlab: 'https://gitlab.example.com/' } });
    await screen.findByTestId('provider-url-gitlab');
    await password();
    await type('gitlab', 'http://gitlab.example.com');
    await fireEvent.click(screen.getByTestId('provider-url-save-gitlab'));

    const error = await screen.findByTestId('provider-url-error-gitlab');
    expect(error).toHaveAttribute('role', 'alert');
    expect(error).toHaveTextContent('http');
    expect(backend.apiUrls.get('gitlab')).toBe('https://gitlab.example.com/');
    const input = screen.getByTestId('provider-url-gitlab');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    // What was typed stays, to correct; the saved address is still the one in use.
    expect(input).toHaveValue('http://gitlab.example.com');
    expect(screen.getByTestId('provider-url-reset-gitlab')).toBeInTheDocument();
    expect(screen.getByTestId('provider-url-status-gitlab')).toHaveTextContent('');

    // Editing clears the error; plain http to this computer is fine.
    await type('gitlab', 'http://127.0.0.1:8080');
    expect(screen.queryByTestId('provider-url-error-gitlab')).not.toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('provider-url-save-gitlab'));
    await waitFor(() => expect(backend.apiUrls.get('gitlab')).toBe('http://127.0.0.1:8080/'));
  });

  it('refuses credentials or a query in the address', async () => {
    const backend = renderUrls();
    await screen.findByTestId('provider-url-vercel');
    await password();
    await type('vercel', 'https://user:pw@api.vercel.example');
    await fireEvent.click(screen.getByTestId('provider-url-save-vercel'));
    expect(await screen.findByTestId('provider-url-error-vercel')).toBeInTheDocument();
    expect(backend.apiUrls.has('vercel')).toBe(false);
  });

  it('resets to the default and moves the focus to the input', async () => {
    const backend = renderUrls({ apiUrls: { slack: 'https://slack.example.com/api' } });
    const reset = await screen.findByTestId('provider-url-reset-slack');
    await password();
    await fireEvent.click(reset);

    await waitFor(() =>
      expect(screen.queryByTestId('provider-url-reset-slack')).not.toBeInTheDocument(),
    );
    expect(backend.log.at(-1)).toEqual({ method: 'setProviderApiUrl', args: ['slack', null, PW] });
    expect(backend.apiUrls.has('slack')).toBe(false);
    const input = screen.getByTestId('provider-url-slack');
    expect(input).toHaveValue('');
    expect(input).toHaveFocus();
  });

  it('asks for the vault password again and changes nothing when it is wrong', async () => {
    const backend = renderUrls({ apiUrls: { gitlab: 'https://gitlab.example.com/' } });
    await screen.findByTestId('provider-url-gitlab');
    expect(screen.getByLabelText(/Vault password/)).toBe(
      screen.getByTestId('provider-urls-password'),
    );
    await type('gitlab', 'https://elsewhere.example.com');
    await fireEvent.click(screen.getByTestId('provider-url-save-gitlab'));
    expect(await screen.findByTestId('provider-url-error-gitlab')).toHaveTextContent('password');
    await password('wrong password');
    await fireEvent.click(screen.getByTestId('provider-url-save-gitlab'));
    await waitFor(() =>
      expect(screen.getByTestId('provider-url-error-gitlab')).toHaveTextContent(
        'does not open this vault',
      ),
    );
    expect(backend.apiUrls.get('gitlab')).toBe('https://gitlab.example.com/');
  });

  it('notes an address set in the environment while the vault has none', async () => {
    renderUrls({
      apiEnv: { 'hugging-face': 'http://localhost:9000', gitlab: 'https://env.example.com' },
      apiUrls: { gitlab: 'https://gitlab.example.com/' },
    });
    const note = await screen.findByTestId('provider-url-env-hugging-face');
    expect(note).toHaveTextContent('Set by TOKENWARDEN_API_HUGGING_FACE: http://localhost:9000');
    expect(screen.getByTestId('provider-url-hugging-face')).toHaveAccessibleDescription(
      /TOKENWARDEN_API_HUGGING_FACE/,
    );
    // The vault's setting wins, so no note for GitLab.
    expect(screen.queryByTestId('provider-url-env-gitlab')).not.toBeInTheDocument();
  });
});
