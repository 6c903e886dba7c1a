// Keeps an order page's status live: asks /orders/:id/status every few seconds and shows the
// answer, until the order can change no more. The page works without it (reload to see).
(() => {
  const element = document.querySelector('[data-poll]');
  if (!element) return;
  const FINAL = ['delivered', 'cancelled', 'payment_failed'];
  const poll = async () => {
    if (FINAL.includes(element.dataset.status)) return;
    try {
      const response = await fetch(element.dataset.poll, { headers: { Accept: 'application/json' } });
      if (response.ok) {
        const { status, label } = await response.json();
        if (status !== element.dataset.status) {
          element.dataset.status = status;
          element.className = `status status-${status}`;
          element.textContent = label;
        }
      }
    } catch {
      // Offline for a moment: the next round tries again.
    }
    setTimeout(poll, 3000);
  };
  setTimeout(poll, 1500);
})();
