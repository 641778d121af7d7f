// Runs before the first paint (a classic script in <head>): the theme the person chose, which the
// app remembers outside the vault, so the window never flashes the other one. App.svelte keeps it
// up to date; see applyTheme there.
try {
  const theme = localStorage.getItem('tokenwarden.theme');
  if (theme === 'light' || theme === 'dark' || theme === 'system') {
    document.documentElement.dataset['theme'] = theme;
  }
} catch {
  // Storage may be unavailable: the OS's light or dark then applies until unlock.
}
