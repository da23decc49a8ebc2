// leadforestScore: a Lightning record-page component that shows the leadforest score of the Lead
// it sits on. The scoring runs in the leadforest card page (static resource `leadforest`), framed
// by this component: the card holds the WebAssembly engine and the model, this component only reads
// the Lead's fields and posts them to the card's exact origin. No lead data leaves Salesforce.
import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import LEADFOREST from '@salesforce/resourceUrl/leadforest';

// Lead field API name → the column name the model was trained on (the export's header). Fit it to
// your model in App Builder (the "Field map" property, JSON); this default matches the demo model.
const DEFAULT_FIELD_MAP = {
  CreatedDate: 'Created Date',
  LeadSource: 'Lead Source',
  Industry: 'Industry',
  Company_Size__c: 'Company Size',
  Title: 'Job Title',
  Seniority__c: 'Seniority',
  Country: 'Country',
  Pages_Viewed__c: 'Pages Viewed',
  Time_on_Site__c: 'Time on Site (s)',
  Email_Opens__c: 'Email Opens',
  Email_Clicks__c: 'Email Clicks',
  Trial_Signup__c: 'Trial Signup',
  Name: 'Full Name',
};

function parseFieldMap(text) {
  if (!text) return null;
  try {
    const map = JSON.parse(text);
    return map && typeof map === 'object' && !Array.isArray(map) ? map : null;
  } catch {
    return null;
  }
}

export default class LeadforestScore extends LightningElement {
  /** The Lead's Id (set by the record page). */
  @api recordId;
  /** JSON object: Lead field API name → model column name. Empty = the demo model's map. */
  @api fieldMap;
  /** Path of the card page inside the static resource. */
  @api cardPath = 'embed/card.html';
  /** Card height in pixels. */
  @api height = 460;

  error;
  summary = '';
  _record = null;
  _ready = false;
  _onMessage = (event) => this.handleMessage(event);

  /** The field map in use: the configured one, or the default when it is empty or not valid JSON. */
  get map() {
    return parseFieldMap(this.fieldMap) || DEFAULT_FIELD_MAP;
  }

  /** Fields for getRecord: optional, so a field the user cannot see is skipped, not an error. */
  get fields() {
    return Object.keys(this.map).map((name) => `Lead.${name}`);
  }

  get cardUrl() {
    return `${LEADFOREST}/${this.cardPath}`;
  }

  get cardOrigin() {
    return new URL(this.cardUrl, window.location.href).origin;
  }

  get frameStyle() {
    return `width:100%;height:${Number(this.height) || 460}px;border:0;display:block`;
  }

  @wire(getRecord, { recordId: '$recordId', optionalFields: '$fields' })
  wiredLead({ data, error }) {
    if (error) {
      this.error = `Cannot read this Lead: ${error.body?.message || error.message || error}`;
      return;
    }
    if (!data) return;
    this.error = this.fieldMap && !parseFieldMap(this.fieldMap)
      ? 'The field map is not a JSON object of field names; using the default map.' : undefined;
    const record = {};
    for (const [field, column] of Object.entries(this.map)) {
      const value = data.fields[field]?.value;
      // Dates as YYYY-MM-DD like the CSV export; everything else as Salesforce returns it.
      record[column] = value === undefined ? null : field.endsWith('Date') && typeof value === 'string' ? value.slice(0, 10) : value;
    }
    this._record = record;
    this.send();
  }

  connectedCallback() {
    window.addEventListener('message', this._onMessage);
  }

  disconnectedCallback() {
    window.removeEventListener('message', this._onMessage);
  }

  handleLoad() {
    this._ready = true;
    this.send();
  }

  handleMessage(event) {
    const frame = this.template.querySelector('iframe');
    if (!frame || event.origin !== this.cardOrigin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (data?.type === 'leadforest:ready') {
      this._ready = true;
      this.send();
    } else if (data?.type === 'leadforest:score') {
      this.summary = `Score ${data.score} of 100, tier ${data.tier}: ${data.action}`;
    }
  }

  send() {
    const frame = this.template.querySelector('iframe');
    if (!this._ready || !this._record || !frame?.contentWindow) return;
    frame.contentWindow.postMessage({ type: 'leadforest:record', record: this._record }, this.cardOrigin);
  }
}
