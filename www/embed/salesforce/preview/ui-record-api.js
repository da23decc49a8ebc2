// Shim of `lightning/uiRecordApi` for preview.html: getRecord is only a wire-adapter token here;
// preview.js calls the component's wired method with a record shaped like UI API's.
export const getRecord = Symbol('getRecord');
