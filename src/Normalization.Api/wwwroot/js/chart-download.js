// PNG and SVG downloads of the chart as drawn (the what-if line and zoom included). The SVG's look comes from site.css, so
// the copy carries the computed paint of each element inline; the PNG is that SVG drawn on a canvas at twice the size.
import { t } from './reader.js';

const PAINT = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline'];

function standalone(svgNode) {
  const copy = svgNode.cloneNode(true);
  const from = [svgNode, ...svgNode.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((node, i) => {
    const style = getComputedStyle(node);
    to[i].removeAttribute('class');
    to[i].removeAttribute('tabindex');
    for (const prop of PAINT) { const v = style.getPropertyValue(prop); if (v) to[i].setAttribute(prop, v); }
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = svgNode.viewBox.baseVal;
  copy.setAttribute('width', String(box?.width || svgNode.clientWidth));
  copy.setAttribute('height', String(box?.height || svgNode.clientHeight));
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  Object.entries({ x: box?.x || 0, y: box?.y || 0, width: '100%', height: '100%', fill: '#ffffff' }).forEach(([k, v]) => background.setAttribute(k, v));
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

function save(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

/** The SVG text of the chart in chartBox, or null before it is drawn. */
export function chartSvg(chartBox) {
  const node = chartBox.querySelector('svg');
  return node ? standalone(node) : null;
}

/** Adds the two download buttons to holder for the chart drawn in chartBox; files are named after baseName. */
export function setupChartDownloads(holder, chartBox, baseName) {
  const button = (label, onclick) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', onclick);
    return b;
  };
  holder.append(
    button(t('download.svg'), () => { const text = chartSvg(chartBox); if (text) save(new Blob([text], { type: 'image/svg+xml' }), `${baseName}.svg`); }),
    ' ',
    button(t('download.png'), () => {
      const text = chartSvg(chartBox);
      if (!text) return;
      const image = new Image();
      image.onload = () => {
        const canvas = document.createElement('canvas');
        canvas.width = image.width * 2; canvas.height = image.height * 2;
        const g = canvas.getContext('2d');
        g.scale(2, 2);
        g.drawImage(image, 0, 0);
        canvas.toBlob((blob) => blob && save(blob, `${baseName}.png`), 'image/png');
      };
      image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
    }));
}
