// Shim of the `lwc` module for preview.html: a LightningElement is a custom element whose
// `template` is its shadow root. Decorators are no-ops (preview.js strips them from the source).
export const api = () => {};
export const wire = () => {};
export class LightningElement extends HTMLElement {
  constructor() {
    super();
    this.lwcRoot = this.attachShadow({ mode: 'open' });
  }

  get template() {
    return this.lwcRoot;
  }
}
