// Keeps an order page's status live: asks /orders/:id/status every few seconds and shows the
// answer, until the order can change no more. The page works without it (reload to see). Each
// change is announced as a `shop:status` event (the Mini App's Pay follows it); `shop:poll-now`
// asks at once (an invoice was just paid).
(() => {
  const element = document.querySelector('[data-poll]');
  if (!element) return;
  const FINAL = ['delivered', 'cancelled', 'payment_failed'];
  let timer;
  const poll = async () => {
    clearTimeout(timer);
    if (FINAL.includes(element.dataset.status)) return;
    try {
      const response = await fetch(element.dataset.poll, { headers: { Accept: 'application/json' } });
      if (response.ok) {
        const { status, label } = await response.json();
        if (status !== element.dataset.status) {
          element.dataset.status = status;
          element.className = `status status-${status}`;
          element.textContent = label;
          document.dispatchEvent(new CustomEvent('shop:status', { detail: { status } }));
        }
      }
    } catch {
      // Offline for a moment: the next round tries again.
    }
    timer = setTimeout(poll, 3000);
  };
  document.addEventListener('shop:poll-now', () => poll());
  timer = setTimeout(poll, 1500);
})();
