// The embedding demo's own script (demo.html): logs the element's events, and drives the framed
// calculator page with postMessage, checking that every message comes from that frame and origin.
// Everything shown is put on the page as text.
'use strict';
(function () {
  const element = document.querySelector('customer-value-calculator');
  const elementLog = document.getElementById('element-log');
  const frame = document.getElementById('demo-frame');
  const frameLog = document.getElementById('frame-log');
  const buttons = [document.getElementById('frame-price'), document.getElementById('frame-results')];

  /** The net value of a {results} detail or message, in words. */
  function netValue(numbers) {
    const mean = numbers && numbers.results && numbers.results.overall.net_value.mean;
    return typeof mean === 'number' && Number.isFinite(mean)
      ? mean.toLocaleString('en', { maximumFractionDigits: 1 }) : 'not available';
  }

  element.addEventListener('ready', (event) => {
    elementLog.textContent = 'ready: net value ' + netValue(event.detail);
  });
  element.addEventListener('change', (event) => {
    elementLog.textContent = 'change: net value ' + netValue(event.detail);
  });
  element.addEventListener('error', (event) => {
    elementLog.textContent = 'error in ' + event.detail.field + ': ' + event.detail.message;
  });

  const served = window.location.protocol === 'http:' || window.location.protocol === 'https:';
  const page = new URL('customer-value-calculator.html', window.location.href);
  if (!served) {
    // From a file the page has no origin to list, so the frame's message API stays off.
    frame.src = page.href;
    frameLog.textContent = 'Opened from a file: the iframe shows the calculator, but its message API needs the ' +
      'pages served over http(s) (node scripts/serve.js).';
    return;
  }
  page.searchParams.set('embed-origin', window.location.origin);
  const calculatorOrigin = page.origin;

  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== calculatorOrigin) return;
    const message = event.data || {};
    if (message.type === 'cvc:error') {
      frameLog.textContent = 'cvc:error (' + message.field + '): ' + message.message;
      return;
    }
    frameLog.textContent = message.type + (message.request ? ' for ' + message.request : '') + ': net value ' +
      netValue(message);
    for (const button of buttons) button.disabled = false;
  });

  function send(message) {
    frame.contentWindow.postMessage(message, calculatorOrigin);
  }
  buttons[0].addEventListener('click', () => send({ type: 'cvc:set-weight', item: 'price', weight: 10 }));
  buttons[1].addEventListener('click', () => send({ type: 'cvc:get-results' }));
  frame.src = page.href;
})();
