// Shim of `@salesforce/resourceUrl/leadforest`: the static resource's root is www/ here (the zip
// holds the same layout: embed/, widget/, leadforest/, demo/).
export default new URL('../../..', import.meta.url).href.replace(/\/$/, '');
