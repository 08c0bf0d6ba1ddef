// Demo page only: switch the page language; widgets without their own lang follow <html lang>.
const buttons = document.querySelectorAll('nav[aria-label] button[data-lang]');
for (const button of buttons) {
  button.addEventListener('click', () => {
    document.documentElement.lang = button.dataset.lang;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
  });
}
// Hosts can listen to Compa's events for their own (self-hosted) analytics.
for (const name of ['compa-subscribe', 'compa-sign', 'compa-register', 'compa-share', 'compa-queued', 'compa-error']) {
  document.addEventListener(name, (event) => console.info(`[demo] ${name}`, event.detail));
}
