/** Removes anything that looks like an email address from text bound for logs or stored errors. */
export function redact(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '[address]');
}
