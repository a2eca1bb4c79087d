/*
 * Every chart can be downloaded as a picture: each chart card gets two buttons, "PNG" and "SVG"
 * ("Download <chart title> as PNG"). The SVG is standalone: a copy of the chart as drawn, every
 * element's look resolved from the page's computed CSS into inline styles (so it looks the same
 * in any viewer, with no stylesheet), on a white background, under the chart's title, its
 * summary and its legend. It is written with XMLSerializer, so labels from a model file stay text
 * (XML-escaped), never markup. The PNG is that SVG drawn at 2× into a canvas through an Image
 * loaded from a blob: URL (the page's CSP allows img-src blob: and data:), which works from
 * file:// as well as over http. Downloads go through app.dom.downloadBlob.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const PAD = 16; // white margin around everything
  const PNG_SCALE = 2; // PNG pixels per CSS pixel
  // The computed properties that give a chart its look, each with the value that goes without saying.
  const SHAPE_STYLE = {
    fill: 'rgb(0, 0, 0)', 'fill-opacity': '1', stroke: 'none', 'stroke-width': '1px', 'stroke-opacity': '1',
    'stroke-dasharray': 'none', 'stroke-linecap': 'butt', 'stroke-linejoin': 'miter', opacity: '1',
    'paint-order': 'normal', visibility: 'visible', display: 'inline',
  };
  const TEXT_STYLE = Object.assign({
    'font-family': null, 'font-size': null, 'font-weight': '400', 'font-style': 'normal', 'text-anchor': 'start',
    'dominant-baseline': 'auto', 'letter-spacing': 'normal', 'text-transform': 'none', 'font-variant-numeric': 'normal',
  }, SHAPE_STYLE);

  (CVC.modules = CVC.modules || {}).chartExport = function (app) {
    const { cell, downloadBlob, messageOf } = app.dom;

    function svgEl(name, attrs, text) {
      const node = document.createElementNS(SVG_NS, name);
      for (const key of Object.keys(attrs || {})) node.setAttribute(key, String(attrs[key]));
      if (text !== undefined) node.textContent = text;
      return node;
    }

    function chartTitle(figure) {
      const title = figure.querySelector('.chart-title');
      return (title ? title.textContent : 'Chart').replace(/\s+/g, ' ').trim();
    }

    /** "Where the value comes from" → "where-the-value-comes-from". */
    function fileName(title, extension) {
      return (title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'chart') + '.' + extension;
    }

    /** The chart's legend (HTML next to the svg) as [{color, label}]: each swatch and the words after it. */
    function legendEntries(figure) {
      return Array.from(figure.querySelectorAll('.chart-legend .legend-swatch'), (swatch) => {
        let node = swatch.nextSibling;
        while (node && node.nodeType === Node.TEXT_NODE && !node.textContent.trim()) node = node.nextSibling;
        const label = node && node.nodeType === Node.TEXT_NODE ? node.textContent.replace(/\s+/g, ' ').trim() : '';
        return { color: getComputedStyle(swatch).backgroundColor, label };
      }).filter((entry) => entry.label);
    }

    /** Copies each drawn element's computed look into its copy's style attribute. */
    function inlineStyles(live, copy) {
      const from = live.querySelectorAll('*');
      const to = copy.querySelectorAll('*');
      for (let i = 0; i < from.length; i++) {
        const name = from[i].localName;
        if (name === 'title' || name === 'desc') continue;
        const computed = getComputedStyle(from[i]);
        const props = name === 'text' || name === 'tspan' ? TEXT_STYLE : SHAPE_STYLE;
        const style = [];
        for (const prop of Object.keys(props)) {
          const value = computed.getPropertyValue(prop);
          if (value && value !== props[prop]) style.push(prop + ': ' + value);
        }
        to[i].setAttribute('style', style.join('; '));
        to[i].removeAttribute('class');
      }
    }

    /** Text widths for the layout, in the chart's font. */
    function measurer(fontFamily) {
      const context = document.createElement('canvas').getContext('2d');
      return (text, size, weight) => {
        if (!context) return text.length * size * 0.6;
        context.font = (weight || 400) + ' ' + size + 'px ' + fontFamily;
        return context.measureText(text).width;
      };
    }

    /**
     * The chart in a figure as a standalone SVG document: {text, width, height} (CSS pixels).
     * `scale` multiplies the width and height it asks to be drawn at (the viewBox stays), for the PNG.
     */
    function standaloneSvg(figure, scale) {
      const live = figure.querySelector('.chart-svg svg');
      const width = Number(live.getAttribute('width'));
      const height = Number(live.getAttribute('height'));
      const look = getComputedStyle(live);
      const font = look.fontFamily;
      const measure = measurer(font);
      const titleNode = figure.querySelector('.chart-title');
      const titleColor = titleNode ? getComputedStyle(titleNode).color : look.color;
      const mutedNode = figure.querySelector('.chart-subtitle, .chart-legend');
      const muted = mutedNode ? getComputedStyle(mutedNode).color : look.color;
      const title = chartTitle(figure);
      const own = live.querySelector(':scope > title');
      const summary = own ? own.textContent.trim() : '';
      const descNode = live.querySelector(':scope > desc');
      const desc = descNode ? descNode.textContent.trim() : '';
      const legend = legendEntries(figure);

      // The card's title, then the chart's own summary title (which names the view shown), unless it says the same.
      const repeats = !summary || summary.toLowerCase().startsWith(title.toLowerCase());
      const head = [{ text: repeats && summary ? summary : title, size: 16, weight: 700, color: titleColor }];
      if (!repeats) head.push({ text: summary, size: 13, weight: 400, color: muted });
      const totalWidth = Math.ceil(Math.max(width, ...head.map((line) => measure(line.text, line.size, line.weight)))) + 2 * PAD;

      const root = svgEl('svg', {
        role: 'img', // XMLSerializer writes the SVG namespace itself 'aria-labelledby': 'chart-title', 'aria-describedby': 'chart-desc',
        'font-family': font,
      });
      root.appendChild(svgEl('title', { id: 'chart-title' }, repeats ? head[0].text : title + ': ' + summary));
      root.appendChild(svgEl('desc', { id: 'chart-desc' }, desc));
      const background = svgEl('rect', { x: 0, y: 0, fill: '#ffffff' });
      root.appendChild(background);

      let y = PAD;
      for (const line of head) {
        y += Math.round(line.size * 1.2);
        root.appendChild(svgEl('text', {
          x: PAD, y, style: 'font-size: ' + line.size + 'px; font-weight: ' + line.weight + '; fill: ' + line.color,
        }, line.text));
        y += 4;
      }
      // The legend, wrapped to the width: a swatch, then its words.
      if (legend.length) {
        y += 6;
        let x = PAD;
        for (const entry of legend) {
          const w = 12 + 6 + measure(entry.label, 13) + 16;
          if (x > PAD && x + w > totalWidth - PAD) {
            x = PAD;
            y += 20;
          }
          root.appendChild(svgEl('rect', { x, y: y, width: 12, height: 12, rx: 3, fill: entry.color }));
          root.appendChild(svgEl('text', { x: x + 18, y: y + 11, style: 'font-size: 13px; fill: ' + muted }, entry.label));
          x += w;
        }
        y += 16;
      }
      y += 10;

      const chart = svgEl('g', { transform: 'translate(' + PAD + ' ' + y + ')' });
      const copy = live.cloneNode(true);
      inlineStyles(live, copy);
      for (const node of Array.from(copy.childNodes)) {
        if (node.localName !== 'title' && node.localName !== 'desc') chart.appendChild(node);
      }
      root.appendChild(chart);

      const totalHeight = Math.ceil(y + height + PAD);
      background.setAttribute('width', String(totalWidth));
      background.setAttribute('height', String(totalHeight));
      root.setAttribute('width', String(totalWidth * scale));
      root.setAttribute('height', String(totalHeight * scale));
      root.setAttribute('viewBox', '0 0 ' + totalWidth + ' ' + totalHeight);
      const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root) + '\n';
      return { text, width: totalWidth * scale, height: totalHeight * scale };
    }

    /** Draws SVG text into a canvas of width × height; resolves to the PNG Blob. */
    function renderPng(svgText, width, height) {
      return new Promise((resolve, reject) => {
        const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
        const image = new Image();
        image.onload = () => {
          try {
            const canvas = document.createElement('canvas');
            canvas.width = width;
            canvas.height = height;
            const context = canvas.getContext('2d');
            context.fillStyle = '#ffffff';
            context.fillRect(0, 0, width, height);
            context.drawImage(image, 0, 0, width, height);
            canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser made no image'))), 'image/png');
          } catch (e) {
            reject(e);
          } finally {
            URL.revokeObjectURL(url);
          }
        };
        image.onerror = () => {
          URL.revokeObjectURL(url);
          reject(new Error('the browser could not draw the chart as an image'));
        };
        image.src = url;
      });
    }

    /** Downloads the figure's chart; says in the figure's status line when there is none or it failed. */
    function exportChart(figure, kind, status) {
      status.textContent = '';
      const title = chartTitle(figure);
      if (!figure.querySelector('.chart-svg svg')) {
        const empty = figure.querySelector('.chart-svg');
        status.textContent = 'There is no chart to download: ' + (empty ? empty.textContent.trim() : 'no data.');
        return Promise.resolve();
      }
      if (kind === 'svg') {
        downloadBlob(new Blob([standaloneSvg(figure, 1).text], { type: 'image/svg+xml' }), fileName(title, 'svg'));
        return Promise.resolve();
      }
      const svg = standaloneSvg(figure, PNG_SCALE);
      return renderPng(svg.text, svg.width, svg.height).then((blob) => {
        if (!app.disposed) downloadBlob(blob, fileName(title, 'png'));
      }, (e) => {
        if (!app.disposed) status.textContent = 'Could not make a PNG of this chart (' + messageOf(e) + '); the SVG download works.';
      });
    }

    /** Two buttons under each chart (after the part of the card that holds the drawing). */
    function bind() {
      for (const figure of app.all('figure.chart-card')) {
        const host = figure.querySelector('.chart-svg');
        if (!host) continue;
        const title = chartTitle(figure);
        const bar = cell('div', '', 'chart-export');
        bar.appendChild(cell('span', 'Download', 'chart-export-label'));
        const status = cell('p', '', 'chart-export-status');
        status.setAttribute('role', 'status');
        for (const kind of ['png', 'svg']) {
          const button = cell('button', kind.toUpperCase(), 'btn btn-secondary btn-small');
          button.type = 'button';
          button.setAttribute('aria-label', 'Download ' + title + ' as ' + kind.toUpperCase());
          button.dataset.testid = 'export-' + kind + '-' + host.id;
          button.addEventListener('click', () => exportChart(figure, kind, status));
          bar.appendChild(button);
        }
        bar.appendChild(status);
        let anchor = host;
        while (anchor.parentElement && anchor.parentElement !== figure) anchor = anchor.parentElement;
        anchor.after(bar);
      }
    }

    return { bind, standaloneSvg, exportChart };
  };
})();
