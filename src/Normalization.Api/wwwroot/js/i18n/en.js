// English messages. The pages are written in English, so static text needs no entry here (data-i18n keys fall back to the
// page's own text); the entries are the texts the scripts write and the stage names.
export const messages = {
  'language.switch': 'Language',
  'stage.Hostility': 'Hostility', 'stage.Estrangement': 'Estrangement', 'stage.Exploratory': 'Exploratory',
  'stage.ConfidenceBuilding': 'Confidence building', 'stage.Representation': 'Representation', 'stage.Recognition': 'Recognition',
  'stage.FullRelations': 'Full relations',
  'knownAt.zone': 'Times in {zone}. Empty: everything recorded so far.',
  'readOnly.notice': 'This tracker is read-only: it publishes its record. What-if projections are open to everyone; nothing is stored.',
  'share.copied': 'The address now holds this view: copy it to share.',
  'download.svg': 'Download the chart (SVG)', 'download.png': 'Download the chart (PNG)',
  'embed.open': 'Open the full page',
  'scenario.loaded': 'Saved scenario "{name}".',
  'quote.original': 'Original ({language}):',
  'feed.none': 'No stage change announced yet.', 'feed.failed': 'Could not read the feed: {error}',
  'feed.cause.event': 'an event', 'feed.cause.window-expired': 'window expired', 'feed.cause.revised': 'revised history',
};
