/** Copies text; resolves to a sentence for the live region either way. */
export async function copyText(text: string, what: string): Promise<string> {
  try {
    await navigator.clipboard.writeText(text);
    return `${what} copied.`;
  } catch {
    return `${what} could not be copied: select it and copy it by hand.`;
  }
}
