// Attachments for focus: dialogs and gates focus their first field when they appear.
// (An attachment rather than `autofocus`, which screen readers and svelte-check dislike.)

export function focusOnMount(element: HTMLElement): void {
  queueMicrotask(() => element.focus());
}
