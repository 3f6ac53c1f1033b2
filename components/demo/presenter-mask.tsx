'use client';
// Presenter mode: while on, every text on the page has its emails and ids masked, including text
// that arrives later.
import { useEffect } from 'react';
import { maskText } from '@/lib/demo/mask-text';

function maskNode(node: Node) {
  if (node.nodeType === Node.TEXT_NODE) {
    const text = node.nodeValue ?? '';
    const masked = maskText(text);
    if (masked !== text) node.nodeValue = masked;
    return;
  }
  if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) return;
  node.childNodes.forEach(maskNode);
}

export function PresenterMask() {
  useEffect(() => {
    maskNode(document.body);
    const observer = new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === 'characterData') maskNode(mutation.target);
        mutation.addedNodes.forEach(maskNode);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  return null;
}
